import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type {
  ConsentRequest,
  ConsentView,
  ReferralCreate,
  ReferralTransition,
  ReferralTransitionAnswer,
  ReferralView,
} from './types.ts';

// Under ['patients', id] so that a change to a referral refreshes the chart, its needs and its timeline.
export const patientReferralsKey = (patientId: string) => ['patients', patientId, 'referrals'] as const;
export const consentsKey = (patientId: string) => ['patients', patientId, 'referral-consents'] as const;
export const referralKey = (referralId: string) => ['referrals', referralId] as const;

/** Every referral of the patient, each with its need. */
export function usePatientReferrals(patientId: string) {
  return useQuery({
    queryKey: patientReferralsKey(patientId),
    queryFn: () => api.get<{ items: ReferralView[] }>(`/api/patients/${patientId}/referrals`),
    select: (data) => data.items,
  });
}

/** One referral with its history, link and the actions the user may take. */
export function useReferral(referralId: string | null) {
  return useQuery({
    queryKey: referralKey(referralId ?? ''),
    queryFn: () => api.get<ReferralView>(`/api/referrals/${referralId}`),
    enabled: Boolean(referralId),
  });
}

/** The patient's consents to share, in force or not. */
export function useConsents(patientId: string, enabled = true) {
  return useQuery({
    queryKey: consentsKey(patientId),
    queryFn: () => api.get<{ items: ConsentView[] }>(`/api/patients/${patientId}/referral-consents`),
    select: (data) => data.items,
    enabled,
  });
}

/** A referral change shows on the chart (needs, timeline), the worklist's stalled flag and the bell. */
function useRefresh(patientId: string) {
  const queryClient = useQueryClient();
  return (referralId?: string) => {
    void queryClient.invalidateQueries({ queryKey: ['patients', patientId] });
    void queryClient.invalidateQueries({ queryKey: ['worklist'] });
    if (referralId) void queryClient.invalidateQueries({ queryKey: referralKey(referralId) });
  };
}

export function useRecordConsent(patientId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: ConsentRequest) =>
      api.post<ConsentView>(`/api/patients/${patientId}/referral-consents`, body),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: consentsKey(patientId) }),
  });
}

/** One referral per chosen service, sent (or kept as drafts) at once. */
export function useCreateReferrals(
  patientId: string,
  needId: string,
  onDone?: (sent: ReferralView[]) => void,
) {
  const refresh = useRefresh(patientId);
  return useMutation({
    mutationFn: (body: ReferralCreate) =>
      api.post<{ items: ReferralView[] }>(`/api/needs/${needId}/referrals`, body),
    onSuccess: (answer) => {
      refresh();
      onDone?.(answer.items);
    },
  });
}

export function useReferralTransition(
  patientId: string,
  referralId: string,
  onDone?: (r: ReferralTransitionAnswer) => void,
) {
  const refresh = useRefresh(patientId);
  return useMutation({
    mutationFn: (body: ReferralTransition) =>
      api.post<ReferralTransitionAnswer>(`/api/referrals/${referralId}/transition`, body),
    onSuccess: (referral) => {
      refresh(referralId);
      onDone?.(referral);
    },
    // A 409 may mean someone else moved it: show the referral as it now is.
    onError: () => refresh(referralId),
  });
}

/** A fresh link for the organisation (the old one stops working). */
export function useResendLink(patientId: string, referralId: string) {
  const refresh = useRefresh(patientId);
  return useMutation({
    mutationFn: () => api.post<ReferralView>(`/api/referrals/${referralId}/resend-link`),
    onSuccess: () => refresh(referralId),
  });
}
