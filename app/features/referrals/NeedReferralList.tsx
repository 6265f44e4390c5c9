import { Anchor, Group, Stack, Text } from '@mantine/core';
import type { Role } from '../../../domain/roles.ts';
import { formatDateTime } from '../../components/dates.ts';
import { ReferralStatusBadge, StalledBadge } from './labels.tsx';
import type { ReferralSummary, ReferralView } from './types.ts';

/** Who refers: the department's social work staff (domain/workflows/referral.ts, the requester's roles). */
export const REFERRER_ROLES: readonly Role[] = ['admin', 'supervisor', 'social_worker'];

/** A full referral reduced to what a need lists at a glance. */
export function summaryOf(r: ReferralView): ReferralSummary {
  return {
    id: r.id,
    status: r.status,
    statusLabel: r.statusLabel,
    service: r.service,
    organization: r.organization,
    stalled: r.stalled,
    statusChangedAt: r.statusChangedAt,
  };
}

export const referralButtonId = (referralId: string) => `referral-${referralId}-open`;

/**
 * A need's referrals at a glance: status, service and organisation, a stalled marker in words, and when it
 * last changed. Each opens the referral's details.
 */
export function NeedReferralList({
  referrals,
  needLabel,
  onOpen,
}: {
  referrals: readonly ReferralSummary[];
  needLabel: string;
  onOpen: (referralId: string) => void;
}) {
  if (referrals.length === 0) return <Text size="sm">None yet</Text>;
  return (
    <Stack gap={6} component="ul" p={0} m={0} aria-label={`Referrals for ${needLabel}`}>
      {referrals.map((r) => (
        <Stack key={r.id} gap={0} component="li" style={{ listStyle: 'none' }}>
          <Group gap={6} wrap="nowrap">
            <ReferralStatusBadge status={r.status} label={r.statusLabel} />
            {r.stalled && <StalledBadge />}
          </Group>
          <Anchor
            component="button"
            type="button"
            id={referralButtonId(r.id)}
            size="sm"
            ta="left"
            onClick={() => onOpen(r.id)}
            aria-label={`Referral to ${r.service.name}, ${r.organization.name}: ${r.statusLabel}${r.stalled ? ', stalled' : ''}`}
          >
            {r.service.name}, {r.organization.name}
          </Anchor>
          <Text size="xs">since {formatDateTime(r.statusChangedAt)}</Text>
        </Stack>
      ))}
    </Stack>
  );
}
