import { List, Text } from '@mantine/core';
import { REFERRAL_STATUS_LABELS } from '../../../domain/workflows/referral.ts';
import { formatDateTime } from '../../components/dates.ts';
import { reasonLabel } from './labels.tsx';
import type { ReferralView } from './types.ts';

/** Every change of the referral: when, from what to what, who (a worker, the organisation, Kith), and why. */
export function ReferralHistory({ referral }: { referral: ReferralView }) {
  if (referral.events.length === 0) return <Text size="sm">No changes recorded yet.</Text>;
  return (
    <List spacing={6} size="sm" aria-label="Referral history">
      {referral.events.map((e) => {
        const reason = reasonLabel(e.toStatus, e.reason);
        return (
          <List.Item key={e.id}>
            <Text size="sm" span fw={600}>
              {formatDateTime(e.at)}
            </Text>{' '}
            {e.fromStatus ? `${REFERRAL_STATUS_LABELS[e.fromStatus]} → ` : ''}
            {REFERRAL_STATUS_LABELS[e.toStatus]} by {e.actor}
            {reason ? `: ${reason}` : ''}
            {e.note && (
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                “{e.note}”
              </Text>
            )}
          </List.Item>
        );
      })}
    </List>
  );
}
