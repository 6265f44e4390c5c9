import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { isOpenNeed } from '../../../domain/workflows/need.ts';
import { api } from '../../api/client.ts';
import type { NeedCreate, NeedTransitionRequest, NeedView } from './types.ts';

export const needsKey = (patientId: string) => ['patients', patientId, 'needs'] as const;

/** Open needs first (the work still to do), each group in the server's order. */
export function openFirst(needs: readonly NeedView[]): NeedView[] {
  return [...needs.filter((n) => isOpenNeed(n.status)), ...needs.filter((n) => !isOpenNeed(n.status))];
}

/** Every need of the patient, open and closed. */
export function useNeeds(patientId: string, enabled = true) {
  return useQuery({
    enabled,
    queryKey: needsKey(patientId),
    queryFn: () => api.get<{ items: NeedView[] }>(`/api/patients/${patientId}/needs?status=all`),
    select: (data) => openFirst(data.items),
  });
}

/** A change to a need shows on the chart (its timeline) and on the worklist's open-needs count. */
function useRefreshNeeds(patientId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
    void queryClient.invalidateQueries({ queryKey: ['worklist'] });
  };
}

export function useRecordNeed(patientId: string, onDone?: (need: NeedView) => void) {
  const refresh = useRefreshNeeds(patientId);
  return useMutation({
    mutationFn: (body: NeedCreate) => api.post<NeedView>(`/api/patients/${patientId}/needs`, body),
    onSuccess: (need) => {
      refresh();
      onDone?.(need);
    },
  });
}

/** Resolves, declines or reopens a need; the server answers with the need as it now is. */
export function useNeedTransition(patientId: string, needId: string, onDone?: (need: NeedView) => void) {
  const refresh = useRefreshNeeds(patientId);
  return useMutation({
    mutationFn: (body: NeedTransitionRequest) => api.post<NeedView>(`/api/needs/${needId}/transition`, body),
    onSuccess: (need) => {
      refresh();
      onDone?.(need);
    },
  });
}
