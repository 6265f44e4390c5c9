import { Center, Container, Paper, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { useParams } from 'react-router';
import { ApiError, api } from '../../api/client.ts';
import { PartnerReferralPanel } from './PartnerReferralPanel.tsx';
import type { PartnerView, ReferralTransition } from './types.ts';

/** The link stopped working: expired, altered or unknown, revoked, or its referral is closed. */
const isDeadLink = (error: unknown) => error instanceof ApiError && [403, 404, 410].includes(error.status);

function usePageTitle(title: string) {
  useEffect(() => {
    document.title = `${title} · Kith`;
  }, [title]);
}

/** A page that changes nothing: the problem as the API words it, with what to do next. */
function LinkProblem({ error }: { error: unknown }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  let title = 'Something went wrong';
  let detail = 'Please try again later, or contact the department that sent the referral.';
  if (error instanceof ApiError && error.is('csrf')) {
    title = 'A Kith staff session is open in this browser';
    detail = 'Sign out of Kith, or open the link in a private window, then open it again.';
  } else if (isDeadLink(error) && error instanceof ApiError) {
    title = error.title;
    detail = error.detail ?? 'Contact the department that sent the referral.';
  } else if (error instanceof ApiError && error.status === 429) {
    title = 'Too many attempts';
    detail = 'Wait a minute, then open the link again.';
  }
  usePageTitle(title);
  return (
    <Center component="main" id="main" mih="100vh" p="md">
      <Paper withBorder p="xl" maw={600}>
        <Stack>
          <Title order={1} ref={heading} tabIndex={-1}>
            {title}
          </Title>
          <Text size="xl">{detail}</Text>
        </Stack>
      </Paper>
    </Center>
  );
}

/**
 * The page a community organisation opens from its referral email, at /referral-response/:token: no account,
 * only the signed link. It shows the referral as the organisation may see it and takes its answer; a dead
 * link gets a page that says why and changes nothing.
 */
export function PartnerLinkPage() {
  const { token = '' } = useParams();
  const path = `/api/referral-response/${encodeURIComponent(token)}`;
  const queryClient = useQueryClient();
  const key = ['referral-response', token];
  const view = useQuery({
    queryKey: key,
    queryFn: () => api.get<PartnerView>(path),
    retry: false,
    staleTime: Number.POSITIVE_INFINITY,
  });
  const transition = useMutation({
    mutationFn: (body: ReferralTransition) => api.post<PartnerView>(`${path}/transition`, body),
    onSuccess: (changed) => queryClient.setQueryData(key, changed),
    // Someone else answered meanwhile (a colleague, the department): show the referral as it now is.
    onError: (error) => {
      if (error instanceof ApiError && error.status === 409)
        void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  usePageTitle(view.data ? `Referral: ${view.data.service}` : 'Referral');

  if (view.error) return <LinkProblem error={view.error} />;
  // The link died while the page was open (a newer one was sent, consent withdrawn): say so, change nothing.
  if (isDeadLink(transition.error) && !(transition.error as ApiError).is('csrf'))
    return <LinkProblem error={transition.error} />;
  if (!view.data)
    return (
      <Center component="main" id="main" mih="100vh" role="status">
        Loading…
      </Center>
    );
  return (
    <Container component="main" id="main" size="sm" py="xl" px="md">
      <PartnerReferralPanel
        view={view.data}
        pending={transition.isPending}
        error={transition.error}
        onAct={(body) => transition.mutateAsync(body)}
      />
    </Container>
  );
}
