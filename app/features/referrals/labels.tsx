import { Badge } from '@mantine/core';
import type { CONTACT_METHODS } from '../../../domain/referrals.ts';
import { REASONS_BY_ACTION } from '../../../domain/schemas/referrals.ts';
import {
  REFERRAL_STATUS_LABELS,
  REFERRAL_TRANSITIONS,
  type ReferralAction,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';

// Colours chosen for text contrast (WCAG AA); the words carry the meaning.
const STATUS_STYLE: Record<ReferralStatus, { color: string; variant: 'filled' | 'outline' }> = {
  draft: { color: 'gray.8', variant: 'outline' },
  requested: { color: 'blue.9', variant: 'filled' },
  received: { color: 'blue.9', variant: 'outline' },
  accepted: { color: 'indigo.9', variant: 'filled' },
  'in-progress': { color: 'cyan.9', variant: 'filled' },
  'on-hold': { color: 'grape.9', variant: 'outline' },
  completed: { color: 'teal.9', variant: 'filled' },
  rejected: { color: 'red.9', variant: 'filled' },
  cancelled: { color: 'gray.8', variant: 'outline' },
  failed: { color: 'red.9', variant: 'outline' },
  'entered-in-error': { color: 'gray.8', variant: 'outline' },
};

/** Badges never shrink into an ellipsis in a narrow column. */
const WHOLE = { root: { minWidth: 'max-content', overflow: 'visible' }, label: { overflow: 'visible' } };

export function ReferralStatusBadge({ status, label }: { status: ReferralStatus; label?: string }) {
  return (
    <Badge {...STATUS_STYLE[status]} autoContrast styles={WHOLE}>
      {label ?? REFERRAL_STATUS_LABELS[status]}
    </Badge>
  );
}

/** Said in words, not only by colour: the referral has not moved for longer than the department allows. */
export function StalledBadge() {
  return (
    <Badge color="yellow.3" variant="filled" autoContrast styles={WHOLE}>
      Stalled
    </Badge>
  );
}

/** An action's button, as the lifecycle names it ("Accept", "Service delivered"). */
export function actionLabel(action: ReferralAction): string {
  return REFERRAL_TRANSITIONS.find((t) => t.action === action)?.label ?? action;
}

export type ReasonAction = keyof typeof REASONS_BY_ACTION;
export const hasReasons = (action: ReferralAction): action is ReasonAction => action in REASONS_BY_ACTION;

const REASON_OF_STATUS: Partial<Record<ReferralStatus, ReasonAction>> = {
  rejected: 'reject',
  failed: 'fail',
  cancelled: 'cancel',
  'on-hold': 'hold',
};

/** A coded reason in words ("Outside our service area"), read against the status it led to. */
export function reasonLabel(status: ReferralStatus, reason: string | null): string | null {
  if (!reason) return null;
  const action = REASON_OF_STATUS[status];
  const labels: Record<string, string> = action ? REASONS_BY_ACTION[action] : {};
  return labels[reason] ?? reason;
}

export const CONTACT_METHOD_LABELS: Record<(typeof CONTACT_METHODS)[number], string> = {
  phone: 'Phone call',
  text: 'Text message',
  email: 'Email',
  mail: 'Letter',
  'in-person': 'In person',
};

export const CONSENT_METHOD_LABELS = {
  verbal: 'Verbal',
  written: 'Written (signed form)',
  electronic: 'Electronic',
} as const;
