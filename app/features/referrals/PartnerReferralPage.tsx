import { Anchor, Loader, Stack } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { partnerInboxKey } from './PartnerInboxPage.tsx';
import { PartnerReferralPanel } from './PartnerReferralPanel.tsx';
import type { PartnerView, ReferralTransition } from './types.ts';

/** One referral in the partner inbox: the same view and steps as the link page, inside the signed-in app. */
export function PartnerReferralPage() {
  const { referralId = '' } = useParams();
  const queryClient = useQueryClient();
  const key = [...partnerInboxKey, 'one', referralId];
  const view = useQuery({
    queryKey: key,
    queryFn: () => api.get<PartnerView>(`/api/partner/referrals/${referralId}`),
  });
  const transition = useMutation({
    mutationFn: (body: ReferralTransition) =>
      api.post<PartnerView>(`/api/partner/referrals/${referralId}/transition`, body),
    onSuccess: (changed) => {
      queryClient.setQueryData(key, changed);
      void queryClient.invalidateQueries({ queryKey: partnerInboxKey, refetchType: 'none' });
    },
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409)
        void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  useEffect(() => {
    document.title = `${view.data ? `Referral: ${view.data.service}` : 'Referral'} · Kith`;
  }, [view.data]);

  return (
    <Stack>
      <Anchor component={Link} to="/partner/referrals" size="sm">
        Back to referrals
      </Anchor>
      <ProblemAlert error={view.error} />
      {view.isPending && <Loader aria-label="Loading referral" />}
      {view.data && (
        <PartnerReferralPanel
          view={view.data}
          pending={transition.isPending}
          error={transition.error}
          onAct={(body) => transition.mutateAsync(body)}
        />
      )}
    </Stack>
  );
}
