import type { Role } from '../roles.ts';

/** The states of a social work case, in the order a case normally moves through them. */
export const CASE_STATUSES = ['new', 'triaged', 'assigned', 'active', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const CASE_ACTIONS = ['triage', 'assign', 'reassign', 'start', 'close', 'reopen'] as const;
export type CaseAction = (typeof CASE_ACTIONS)[number];

/** How a case came to social work: a clinician's consult, a worker's own finding, or an admission rule. */
export const CASE_SOURCES = ['consult', 'worker', 'admission-trigger'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];

/** What a case history row records: an action of the lifecycle, or the opening of the case itself. */
export type CaseHistoryAction = CaseAction | 'open';

/** Roles that carry a caseload: the people a case can be assigned to. */
export const CASELOAD_ROLES = ['social_worker', 'supervisor'] as const satisfies readonly Role[];

/** What the lifecycle needs to know about a case. */
export interface CaseState {
  status: CaseStatus;
  assignedTo: string | null;
  /** When the worker first reached the patient; reopening returns a case that had contact to `active`. */
  firstContactAt?: Date | string | null;
}

/** Who may take an action: roles, and (`assignee`) the worker the case is assigned to. */
type Actor = Role | 'assignee';

interface CaseTransition {
  action: CaseAction;
  from: readonly CaseStatus[];
  /** The state after the action; reopening returns a case to its worker when it still has one. */
  to: CaseStatus | ((c: CaseState) => CaseStatus);
  by: readonly Actor[];
  /** What the request must carry: a worker to assign, a close reason, or a hand-off note. */
  needs?: readonly ('assignee' | 'closeReason' | 'note')[];
  label: string;
}

const LEADS = ['supervisor', 'admin'] as const;

/**
 * The case lifecycle: new → triaged → assigned → active → closed, and reopen. `start` records the first
 * contact with the patient. A change of worker needs a hand-off note.
 */
export const CASE_TRANSITIONS: readonly CaseTransition[] = [
  { action: 'triage', from: ['new'], to: 'triaged', by: LEADS, label: 'Triage' },
  {
    action: 'assign',
    from: ['new', 'triaged'],
    to: 'assigned',
    by: LEADS,
    needs: ['assignee'],
    label: 'Assign',
  },
  {
    action: 'reassign',
    from: ['assigned', 'active'],
    to: (c) => c.status,
    by: LEADS,
    needs: ['assignee', 'note'],
    label: 'Reassign',
  },
  {
    action: 'start',
    from: ['assigned'],
    to: 'active',
    by: ['assignee', ...LEADS],
    label: 'Record first contact',
  },
  {
    action: 'close',
    from: ['new', 'triaged', 'assigned', 'active'],
    to: 'closed',
    by: ['assignee', ...LEADS],
    needs: ['closeReason'],
    label: 'Close',
  },
  {
    action: 'reopen',
    from: ['closed'],
    // Back to its worker: active when they had reached the patient, else assigned (first contact still to
    // make and measure); without a worker, back to the queue as triaged.
    to: (c) => (c.assignedTo ? (c.firstContactAt ? 'active' : 'assigned') : 'triaged'),
    by: ['assignee', ...LEADS],
    needs: ['note'],
    label: 'Reopen',
  },
];

/**
 * The state a case opens in. A consult (or an admission trigger) waits in the queue as `new`; a worker who
 * opens a case for themselves holds it as `assigned`, so first contact is still recorded and measured.
 */
export function openingStatus(opening: { assignedTo: string | null }): CaseStatus {
  return opening.assignedTo ? 'assigned' : 'new';
}

/** The actions possible from a state, whoever asks. */
export function actionsFrom(status: CaseStatus): CaseAction[] {
  return CASE_TRANSITIONS.filter((t) => t.from.includes(status)).map((t) => t.action);
}

/** The actions this user may take on this case now. */
export function allowedCaseActions(c: CaseState, user: { id: string; role: Role }): CaseAction[] {
  return CASE_TRANSITIONS.filter(
    (t) =>
      t.from.includes(c.status) &&
      t.by.some((who) => (who === 'assignee' ? c.assignedTo === user.id : who === user.role)),
  ).map((t) => t.action);
}

export type TransitionResult =
  | { ok: true; to: CaseStatus; transition: CaseTransition }
  | { ok: false; reason: 'not-from-here' | 'not-yours'; allowed: CaseAction[] };

/**
 * Decides a transition: the new state, or why not, with the actions this user is allowed instead.
 */
export function decideCaseTransition(
  c: CaseState,
  action: CaseAction,
  user: { id: string; role: Role },
): TransitionResult {
  const transition = CASE_TRANSITIONS.find((t) => t.action === action)!;
  if (!transition.from.includes(c.status))
    return { ok: false, reason: 'not-from-here', allowed: allowedCaseActions(c, user) };
  const mayAct = transition.by.some((who) =>
    who === 'assignee' ? c.assignedTo === user.id : who === user.role,
  );
  if (!mayAct) return { ok: false, reason: 'not-yours', allowed: allowedCaseActions(c, user) };
  const to = typeof transition.to === 'function' ? transition.to(c) : transition.to;
  return { ok: true, to, transition };
}

/** What an action needs in its request. */
export const caseActionNeeds = (action: CaseAction) =>
  CASE_TRANSITIONS.find((t) => t.action === action)?.needs ?? [];

/** The label the department uses for an action (and 'Opened' for the opening of a case). */
export const caseActionLabel = (action: CaseHistoryAction) =>
  action === 'open' ? 'Opened' : (CASE_TRANSITIONS.find((t) => t.action === action)?.label ?? action);

/** How the department names each state. */
export const CASE_STATUS_LABELS: Record<CaseStatus, string> = {
  new: 'New',
  triaged: 'Triaged',
  assigned: 'Assigned',
  active: 'Active',
  closed: 'Closed',
};

/** States in which a case counts in its worker's caseload. */
export const OPEN_CASELOAD_STATUSES = ['assigned', 'active'] as const satisfies readonly CaseStatus[];

/** States in which a case waits in the triage queue. */
export const QUEUE_STATUSES = ['new', 'triaged'] as const satisfies readonly CaseStatus[];
