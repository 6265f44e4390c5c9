import type { Role } from '../roles.ts';

/**
 * The lifecycle of an identified need: identified → being-addressed (a referral or goal is linked) →
 * resolved; or declined by the patient. `identified` and `being-addressed` are open: a need found again
 * while open is the same need. Resolved and declined needs can be reopened; a need found again after it
 * closed is a new need.
 */
export const NEED_STATUSES = ['identified', 'being-addressed', 'resolved', 'declined'] as const;
export type NeedStatus = (typeof NEED_STATUSES)[number];
export const OPEN_NEED_STATUSES = ['identified', 'being-addressed'] as const satisfies readonly NeedStatus[];

export const NEED_ACTIONS = ['address', 'resolve', 'decline', 'reopen'] as const;
export type NeedAction = (typeof NEED_ACTIONS)[number];

interface NeedTransition {
  action: NeedAction;
  from: readonly NeedStatus[];
  to: NeedStatus | ((s: NeedState) => NeedStatus);
  /** `address` is taken by the system when a referral or goal is linked, never asked for by a person. */
  by: readonly Role[] | 'system';
  /** A decline needs the patient's reason; a resolution, a note of how. */
  needs?: readonly 'note'[];
  label: string;
}

export interface NeedState {
  status: NeedStatus;
  /** Live links (referrals, goals): reopening returns a linked need to being-addressed. */
  activeLinks: number;
}

const WORKERS = ['admin', 'supervisor', 'social_worker'] as const satisfies readonly Role[];

export const NEED_TRANSITIONS: readonly NeedTransition[] = [
  { action: 'address', from: ['identified'], to: 'being-addressed', by: 'system', label: 'Being addressed' },
  {
    action: 'resolve',
    from: ['identified', 'being-addressed'],
    to: 'resolved',
    by: WORKERS,
    label: 'Resolve',
  },
  {
    action: 'decline',
    from: ['identified', 'being-addressed'],
    to: 'declined',
    by: WORKERS,
    needs: ['note'],
    label: 'Declined by the patient',
  },
  {
    action: 'reopen',
    from: ['resolved', 'declined'],
    to: (s) => (s.activeLinks > 0 ? 'being-addressed' : 'identified'),
    by: WORKERS,
    label: 'Reopen',
  },
];

export type NeedDecision =
  | { ok: true; to: NeedStatus }
  | { ok: false; reason: 'not-allowed-now' | 'role' | 'missing'; allowed: NeedAction[]; missing?: 'note' };

/** Whether `role` (or the system) may take `action` on a need in `state`, and where it leads. */
export function decideNeedTransition(
  state: NeedState,
  action: NeedAction,
  by: Role | 'system',
  input: { note?: string | null } = {},
): NeedDecision {
  const allowed = allowedNeedActions(state, by);
  const rule = NEED_TRANSITIONS.find((t) => t.action === action);
  if (!rule?.from.includes(state.status)) return { ok: false, reason: 'not-allowed-now', allowed };
  const mayAct = rule.by === 'system' ? by === 'system' : by !== 'system' && rule.by.includes(by);
  if (!mayAct) return { ok: false, reason: 'role', allowed };
  if (rule.needs?.includes('note') && !input.note?.trim()) {
    return { ok: false, reason: 'missing', allowed, missing: 'note' };
  }
  return { ok: true, to: typeof rule.to === 'function' ? rule.to(state) : rule.to };
}

/** The actions open to `by` on a need in `state`, in lifecycle order. */
export function allowedNeedActions(state: NeedState, by: Role | 'system'): NeedAction[] {
  return NEED_TRANSITIONS.filter(
    (t) =>
      t.from.includes(state.status) &&
      (t.by === 'system' ? by === 'system' : by !== 'system' && t.by.includes(by)),
  ).map((t) => t.action);
}

export const isOpenNeed = (status: NeedStatus) => (OPEN_NEED_STATUSES as readonly string[]).includes(status);
