import { Anchor, Loader, NativeSelect, Stack, Table, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import { REFERRAL_STATUS_LABELS, REFERRAL_STATUSES } from '../../../domain/workflows/referral.ts';
import { api, type Page, toQuery } from '../../api/client.ts';
import { formatDateTime } from '../../components/dates.ts';
import { Pager } from '../../components/Pager.tsx';
import { PageTitle } from '../../components/PageTitle.tsx';
import { ProblemAlert } from '../../components/ProblemAlert.tsx';
import { ReferralStatusBadge } from './labels.tsx';
import type { PartnerView } from './types.ts';

const PAGE_SIZE = 25;
export const partnerInboxKey = ['partner-referrals'] as const;

const STATUS_CHOICES = [
  { value: 'active', label: 'Still being worked' },
  { value: '', label: 'All referrals' },
  ...REFERRAL_STATUSES.filter((s) => s !== 'draft').map((s) => ({
    value: s,
    label: REFERRAL_STATUS_LABELS[s],
  })),
];

/**
 * The community partner's inbox: the referrals sent to the organisations they answer for, newest first, with
 * a status filter. Each opens the same view and steps as the emailed link.
 */
export function PartnerInboxPage() {
  const [params, setParams] = useSearchParams();
  const status = params.get('status') ?? 'active';
  const page = Number(params.get('page')) || 1;
  const list = useQuery({
    queryKey: [...partnerInboxKey, status, page],
    queryFn: () =>
      api.get<Page<PartnerView>>(
        `/api/partner/referrals${toQuery({ status: status || undefined, page, pageSize: PAGE_SIZE })}`,
      ),
    placeholderData: (previous) => previous,
  });
  const set = (patch: Record<string, string>) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      for (const [k, v] of Object.entries(patch)) next.set(k, v);
      return next;
    });
  const items = list.data?.items ?? [];

  return (
    <Stack>
      <PageTitle>Referrals to us</PageTitle>
      <NativeSelect
        label="Show"
        maw={320}
        value={status}
        onChange={(e) => set({ status: e.currentTarget.value, page: '1' })}
        data={STATUS_CHOICES}
      />
      <ProblemAlert error={list.error} />
      {list.isPending && <Loader aria-label="Loading referrals" />}
      {list.data && items.length === 0 && <Text>No referrals here.</Text>}
      {items.length > 0 && (
        <Table.ScrollContainer minWidth={640}>
          <Table captionSide="top" verticalSpacing="xs" withRowBorders>
            <Table.Caption>
              {`${list.data?.total ?? 0} ${list.data?.total === 1 ? 'referral' : 'referrals'}, newest first`}
            </Table.Caption>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Service</Table.Th>
                <Table.Th scope="col">Patient</Table.Th>
                <Table.Th scope="col">From</Table.Th>
                <Table.Th scope="col">Sent</Table.Th>
                <Table.Th scope="col">Status</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.id}>
                  <Table.Th scope="row">
                    <Anchor component={Link} to={`/partner/referrals/${r.id}`} fw={600}>
                      {r.service}
                    </Anchor>
                    {r.organization && <Text size="xs">{r.organization}</Text>}
                  </Table.Th>
                  <Table.Td>{r.shared.name ?? 'Not shared'}</Table.Td>
                  <Table.Td>{r.department}</Table.Td>
                  <Table.Td>{formatDateTime(r.sentAt)}</Table.Td>
                  <Table.Td>
                    <ReferralStatusBadge status={r.status} label={r.statusLabel} />
                    {r.priority === 'urgent' && (
                      <Text span fw={700} size="sm" ml={6}>
                        Urgent
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Pager result={list.data} page={page} onChange={(p) => set({ page: String(p) })} />
    </Stack>
  );
}
