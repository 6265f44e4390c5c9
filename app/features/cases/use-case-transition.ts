import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { CaseTransitionRequest, CaseView } from './types.ts';

/** Everything on screen that shows a case: refreshed after any change to one. */
export function useRefreshCases() {
  const queryClient = useQueryClient();
  return (patientId?: string) => {
    void queryClient.invalidateQueries({ queryKey: ['triage'] });
    void queryClient.invalidateQueries({ queryKey: ['caseloads'] });
    void queryClient.invalidateQueries({ queryKey: ['cases'] });
    if (patientId) void queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
  };
}

/** Moves a case through its lifecycle; the server answers with the case as it now is. */
export function useCaseTransition(caseId: string, onDone?: (c: CaseView) => void) {
  const refresh = useRefreshCases();
  return useMutation({
    mutationFn: (body: CaseTransitionRequest) => api.post<CaseView>(`/api/cases/${caseId}/transitions`, body),
    onSuccess: (updated) => {
      refresh(updated.patientId);
      onDone?.(updated);
    },
  });
}
