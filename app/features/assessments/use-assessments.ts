import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import type { Questionnaire } from '../../../domain/instruments/fhir.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import type {
  AssessmentStartRequest,
  AssessmentSummary,
  AssessmentView,
  InstrumentSummary,
  ScoreResult,
  Trend,
} from './types.ts';

/** Under ['patients', id] so that the chart's own refreshes reach the list too. */
export const assessmentListKey = (patientId: string) => ['patients', patientId, 'assessments'] as const;
export const assessmentKey = (assessmentId: string) => ['assessments', assessmentId] as const;

export const assessmentPath = (patientId: string, assessmentId: string) =>
  `/patients/${patientId}/assessments/${assessmentId}`;

/** The patient's assessments, newest first, superseded originals included so that their marks show. */
export function useAssessmentList(patientId: string, page: number, pageSize: number) {
  return useQuery({
    queryKey: [...assessmentListKey(patientId), page],
    queryFn: () =>
      api.get<Page<AssessmentSummary>>(
        `/api/patients/${patientId}/assessments${toQuery({ page, pageSize, includeSuperseded: 'true' })}`,
      ),
  });
}

export function useAssessment(assessmentId: string) {
  return useQuery({
    queryKey: assessmentKey(assessmentId),
    queryFn: () => api.get<AssessmentView>(`/api/assessments/${assessmentId}`),
  });
}

/** Every instrument Kith can give; they change only with a release. */
export function useInstruments() {
  return useQuery({
    queryKey: ['instruments'],
    queryFn: () => api.get<{ items: InstrumentSummary[] }>('/api/instruments'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** The FHIR Questionnaire of an instrument at the version an assessment was given in. */
export function useQuestionnaire(instrument: string, version: string | undefined, enabled = true) {
  return useQuery({
    queryKey: ['instruments', instrument, version ?? 'current'],
    queryFn: () => api.get<Questionnaire>(`/api/instruments/${instrument}${toQuery({ version })}`),
    staleTime: Number.POSITIVE_INFINITY,
    enabled,
  });
}

export function useTrend(patientId: string, instrument: 'phq-9' | 'gad-7') {
  return useQuery({
    queryKey: [...assessmentListKey(patientId), 'trend', instrument],
    queryFn: () => api.get<Trend>(`/api/patients/${patientId}/assessments/trend${toQuery({ instrument })}`),
  });
}

/**
 * The live score of the answers so far, from the same endpoint that scores a finished screen
 * (`?draft=true` accepts missing items). Debounced, and the last result stays on screen while the next loads.
 */
export function useLiveScore(instrument: string, version: string, response: unknown, enabled: boolean) {
  const [debounced] = useDebouncedValue(JSON.stringify(response), 250);
  return useQuery({
    queryKey: ['instruments', instrument, version, 'score', debounced],
    queryFn: () =>
      api.post<ScoreResult>(
        `/api/instruments/${instrument}/score${toQuery({ draft: 'true', version })}`,
        JSON.parse(debounced),
      ),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

/** Everything on screen that shows this patient's assessments, needs, flags and timeline. */
export function useRefreshPatient() {
  const queryClient = useQueryClient();
  return (patientId: string, assessment?: AssessmentView) => {
    if (assessment) queryClient.setQueryData(assessmentKey(assessment.id), assessment);
    void queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
    // An amendment also changes the original it supersedes.
    void queryClient.invalidateQueries({
      queryKey: ['assessments'],
      predicate: (q) => q.queryKey[1] !== assessment?.id,
    });
  };
}

/** Starts a draft of an instrument (or the psychosocial assessment) and opens it. */
export function useStartAssessment(patientId: string) {
  const navigate = useNavigate();
  const refresh = useRefreshPatient();
  return useMutation({
    mutationFn: (body: AssessmentStartRequest) =>
      api.post<AssessmentView>(`/api/patients/${patientId}/assessments`, body),
    onSuccess: async (created) => {
      refresh(patientId, created);
      await navigate(assessmentPath(patientId, created.id));
    },
  });
}
