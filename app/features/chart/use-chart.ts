import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { PatientChart } from '../../api/types.ts';

/** Under ['patients', id] so that anything that changes the patient also refreshes the chart header. */
export const chartKey = (patientId: string) => ['patients', patientId, 'chart'] as const;

/** The chart header and the timeline's first page, in one request. */
export function useChart(patientId: string) {
  return useQuery({
    queryKey: chartKey(patientId),
    queryFn: () => api.get<PatientChart>(`/api/patients/${patientId}/chart`),
    retry: false,
  });
}
