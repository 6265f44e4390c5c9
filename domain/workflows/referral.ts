import type { Role } from '../roles.ts';

/**
 * The lifecycle of a closed-loop referral, as FHIR SDOH Clinical Care Task statuses (domain.md
 * "Closed-loop referral"): the requester (the department) sets draft and requested; the performer (the
 * community organisation, through its link or its Kith inbox) sets received, accepted, rejected,
 * in-progress, on-hold, failed and completed; either may cancel; entered-in-error is the requester's.
 *
 * Many organisations answer by phone, so the department may also record an outcome on their behalf
 * (completed or failed), always with a note saying how it learnt of it.
 */
export const REFERRAL_STATUSES = [
  'draft',
  'requested',
  'received',
  'accepted',
  'in-progress',
  'on-hold',
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'entered-in-error',
] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];

/** Sent and not yet ended: what follow-up watches for stalls and what keeps a need being addressed. */
export const ACTIVE_REFERRAL_STATUSES = [
  'requested',
  'received',
  'accepted',
  'in-progress',
  'on-hold',
] as const satisfies readonly ReferralStatus[];
export const FINAL_REFERRAL_STATUSES = [
  'completed',
  'rejected',
  'cancelled',
  'failed',
  'entered-in-error',
] as const satisfies readonly ReferralStatus[];

export const REFERRAL_STATUS_LABELS: Record<ReferralStatus, string> = {
  draft: 'Draft',
  requested: 'Sent',
  received: 'Received',
  accepted: 'Accepted',
  'in-progress': 'In progress',
  'on-hold': 'On hold',
  completed: 'Completed',
  rejected: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Did not happen',
  'entered-in-error': 'Entered in error',
};

export const REFERRAL_ACTIONS = [
  'send',
  'receive',
  'accept',
  'reject',
  'start',
  'hold',
  'resume',
  'complete',
  'fail',
  'cancel',
  'enter-in-error',
] as const;
export type ReferralAction = (typeof REFERRAL_ACTIONS)[number];

/** Who acts: the department's staff, the organisation (link or community_partner account), or Kith itself. */
export type ReferralActor = { kind: 'requester'; role: Role } | { kind: 'performer' } | { kind: 'system' };

const REQUESTER_ROLES = ['admin', 'supervisor', 'social_worker'] as const satisfies readonly Role[];

interface ReferralTransition {
  action: ReferralAction;
  from: readonly ReferralStatus[];
  to: ReferralStatus;
  by: readonly ('requester' | 'performer')[];
  /** `reason`: a coded reason (reject, fail, cancel, hold); `outcome`: what was delivered (complete). */
  needs?: readonly ('reason' | 'outcome')[];
  /** When the requester takes a performer's step, a note saying how the department learnt of it. */
  requesterNeedsNote?: boolean;
  label: string;
}

export const REFERRAL_TRANSITIONS: readonly ReferralTransition[] = [
  { action: 'send', from: ['draft'], to: 'requested', by: ['requester'], label: 'Send' },
  { action: 'receive', from: ['requested'], to: 'received', by: ['performer'], label: 'Received' },
  { action: 'accept', from: ['requested', 'received'], to: 'accepted', by: ['performer'], label: 'Accept' },
  {
    action: 'reject',
    from: ['requested', 'received'],
    to: 'rejected',
    by: ['performer'],
    needs: ['reason'],
    label: 'Decline',
  },
  { action: 'start', from: ['accepted'], to: 'in-progress', by: ['performer'], label: 'Service started' },
  {
    // Not from received: resuming leads to in-progress, which would skip the organisation's acceptance.
    action: 'hold',
    from: ['accepted', 'in-progress'],
    to: 'on-hold',
    by: ['performer'],
    needs: ['reason'],
    label: 'Put on hold',
  },
  { action: 'resume', from: ['on-hold'], to: 'in-progress', by: ['performer'], label: 'Resume' },
  {
    action: 'complete',
    from: ['accepted', 'in-progress'],
    to: 'completed',
    by: ['performer', 'requester'],
    needs: ['outcome'],
    requesterNeedsNote: true,
    label: 'Service delivered',
  },
  {
    action: 'fail',
    from: ['accepted', 'in-progress', 'on-hold'],
    to: 'failed',
    by: ['performer', 'requester'],
    needs: ['reason'],
    requesterNeedsNote: true,
    label: 'Did not happen',
  },
  {
    action: 'cancel',
    from: ['draft', 'requested', 'received', 'accepted', 'in-progress', 'on-hold'],
    to: 'cancelled',
    by: ['requester'],
    needs: ['reason'],
    label: 'Cancel',
  },
  // The organisation never sees a draft, so it cancels only what was sent to it.
  {
    action: 'cancel',
    from: ['requested', 'received', 'accepted', 'in-progress', 'on-hold'],
    to: 'cancelled',
    by: ['performer'],
    needs: ['reason'],
    label: 'Cancel',
  },
  {
    action: 'enter-in-error',
    from: ['draft', 'requested', 'received'],
    to: 'entered-in-error',
    by: ['requester'],
    label: 'Entered in error',
  },
];

export interface ReferralInput {
  reason?: string | null;
  note?: string | null;
  outcome?: unknown;
}

export type ReferralDecision =
  | { ok: true; to: ReferralStatus }
  | {
      ok: false;
      reason: 'not-allowed-now' | 'actor' | 'missing';
      allowed: ReferralAction[];
      missing?: 'reason' | 'outcome' | 'note';
    };

function mayAct(rule: ReferralTransition, actor: ReferralActor): boolean {
  if (actor.kind === 'system') return false;
  if (actor.kind === 'performer') return rule.by.includes('performer');
  return rule.by.includes('requester') && (REQUESTER_ROLES as readonly Role[]).includes(actor.role);
}

/** The actions `actor` may take on a referral in `status`. */
export function allowedReferralActions(status: ReferralStatus, actor: ReferralActor): ReferralAction[] {
  const actions = REFERRAL_TRANSITIONS.filter((t) => t.from.includes(status) && mayAct(t, actor));
  return [...new Set(actions.map((t) => t.action))];
}

/** Whether `actor` may take `action` on a referral in `status` with `input`, and where it leads. */
export function decideReferralTransition(
  status: ReferralStatus,
  action: ReferralAction,
  actor: ReferralActor,
  input: ReferralInput = {},
): ReferralDecision {
  const allowed = allowedReferralActions(status, actor);
  // An action may have a rule per actor (cancel): the one from this status that this actor may take.
  const rules = REFERRAL_TRANSITIONS.filter((t) => t.action === action && t.from.includes(status));
  if (!rules.length) return { ok: false, reason: 'not-allowed-now', allowed };
  const rule = rules.find((t) => mayAct(t, actor));
  if (!rule) return { ok: false, reason: 'actor', allowed };
  if (rule.needs?.includes('reason') && !input.reason?.trim()) {
    return { ok: false, reason: 'missing', allowed, missing: 'reason' };
  }
  if (rule.needs?.includes('outcome') && (input.outcome === undefined || input.outcome === null)) {
    return { ok: false, reason: 'missing', allowed, missing: 'outcome' };
  }
  if (actor.kind === 'requester' && rule.requesterNeedsNote && !input.note?.trim()) {
    return { ok: false, reason: 'missing', allowed, missing: 'note' };
  }
  return { ok: true, to: rule.to };
}

export const isActiveReferral = (s: ReferralStatus): boolean =>
  (ACTIVE_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(s);
export const isFinalReferral = (s: ReferralStatus): boolean =>
  (FINAL_REFERRAL_STATUSES as readonly ReferralStatus[]).includes(s);
