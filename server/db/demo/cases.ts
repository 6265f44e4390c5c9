import {
  CLOSE_REASONS,
  type CloseReason,
  CONSULT_REASON_CODES,
  CONSULT_REASONS,
  type ConsultReason,
  DEFAULT_CONSULT_TARGETS,
  firstContactDue,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/casework.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import type { CaseAction, CaseStatus } from '../../../domain/workflows/case.ts';
import { cases, caseTransitions } from '../../modules/cases/cases.tables.ts';
import { REASON_TEXTS } from './casework-texts.ts';
import {
  DAY,
  type DemoContext,
  HOUR,
  joinCareTeam,
  MINUTE,
  notifyDemo,
  onTimeline,
  type PatientScope,
  type Person,
} from './context.ts';

/** How often clinicians ask for each reason. */
const REASON_MIX: readonly (readonly [number, ConsultReason])[] = CONSULT_REASON_CODES.map((code) => [
  (
    {
      'discharge-planning': 30,
      'post-acute-placement': 14,
      'psychosocial-assessment': 10,
      'adjustment-to-illness': 5,
      'suicide-risk': 3,
      'abuse-neglect': 2,
      'intimate-partner-violence': 2,
      'substance-use': 6,
      'housing-homelessness': 6,
      'financial-insurance': 6,
      'caregiver-support': 5,
      'advance-care-planning': 5,
      'capacity-guardianship': 3,
      'grief-bereavement': 2,
      'resource-needs': 4,
      other: 1,
    } as Record<ConsultReason, number>
  )[code],
  code,
]);

const EMERGENT_REASONS = new Set<ConsultReason>([
  'suicide-risk',
  'abuse-neglect',
  'intimate-partner-violence',
]);

/** What a generated case became, for the tasks, messages and flags hung on it. */
export interface DemoCase {
  id: string;
  status: CaseStatus;
  reasonCode: ConsultReason;
  urgency: Urgency;
  requestedAt: number;
  worker: Person | null;
  assignedAt: number | null;
  firstContactAt: number | null;
  closedAt: number | null;
}

export interface CasePlan {
  patient: PatientScope;
  encounterId: string | null;
  requestedAt: number;
  /** The state the case is in now. */
  status: CaseStatus;
  clinician: Person;
  /** The worker of an assigned, active or closed case (closed ones may have none). */
  worker: Person | null;
  /** A colleague who takes an active case over, with a hand-off note. */
  handOffTo?: Person | null;
  /** An active case that was closed once and reopened. */
  reopened?: boolean;
  closeReason?: CloseReason;
  /** Nothing happens after this time (the end of the stay for past cases; "now" for current ones). */
  endBy: number;
  /** When the care team members it added left the team (past cases), or null. */
  teamLeavesAt?: number | null;
  reasonCode?: ConsultReason;
}

const HAND_OFF_NOTES = [
  'Hand-off: I am out from tomorrow. Family meeting set for Thursday; SNF referrals pending at two facilities.',
  'Hand-off: patient moved to your unit. Assessment done; waiting on MassHealth decision.',
  'Hand-off: rebalancing caseloads. Daughter is the main contact; interpreter needed for calls.',
] as const;

/**
 * A case from the consult to its state now, with every transition the workflow allows on the way, the
 * timeline entries, care team changes and notifications that the cases service would have written.
 */
export function generateCase(ctx: DemoContext, plan: CasePlan): DemoCase {
  const { r } = ctx;
  const supervisor = r.pick(ctx.supervisors);
  const reasonCode = plan.reasonCode ?? r.weighted(REASON_MIX);
  const urgency: Urgency = EMERGENT_REASONS.has(reasonCode)
    ? r.weighted([
        [50, 'emergent'],
        [40, 'urgent'],
        [10, 'routine'],
      ] as const)
    : r.weighted([
        [6, 'emergent'],
        [28, 'urgent'],
        [66, 'routine'],
      ] as const);
  const requestedAt = plan.requestedAt;
  const due = firstContactDue(
    new Date(requestedAt),
    urgency,
    DEFAULT_CONSULT_TARGETS,
    ctx.timeZone,
  ).getTime();
  const id = r.id(requestedAt);
  const patientId = plan.patient.id;
  const record = { kind: 'case', id };
  const caseLink = TIMELINE_KINDS.case.link(patientId, id);
  const recent = (at: number) => ctx.now - at < 14 * DAY;

  // Each step happens after the one before and before `endBy`: a typical delay, squeezed when time is short.
  let t = requestedAt;
  const after = (typical: number) => {
    const room = plan.endBy - t;
    const share = room * (0.3 + r.faker.number.float() * 0.5);
    t += room > 4 * MINUTE ? Math.max(MINUTE, Math.min(typical, share)) : Math.max(1000, room / 4);
    return t;
  };

  let status: CaseStatus = 'new';
  let assignedTo: Person | null = null;
  let assignedAt: number | null = null;
  let firstContactAt: number | null = null;
  let closedAt: number | null = null;
  let closeReason: string | null = null;
  let acuity: number | null = null;
  let version = 1;
  let overdueNotifiedAt: number | null = null;

  const transition = (
    action: CaseAction | 'open',
    at: number,
    by: Person,
    to: CaseStatus,
    summary: string,
    extra: { toAssignee?: Person | null; note?: string | null; closeReason?: CloseReason } = {},
  ) => {
    const fromAssignee = assignedTo;
    const toAssignee = extra.toAssignee === undefined ? assignedTo : extra.toAssignee;
    ctx.w.add(caseTransitions, {
      id: r.id(at),
      organizationId: ctx.organizationId,
      caseId: id,
      action,
      fromStatus: action === 'open' ? null : status,
      toStatus: to,
      byUser: by.id,
      at: new Date(at),
      fromAssignee: action === 'open' ? null : (fromAssignee?.id ?? null),
      toAssignee: toAssignee?.id ?? null,
      note: extra.note ?? null,
      closeReason: extra.closeReason ?? null,
    });
    onTimeline(ctx, patientId, 'case', at, summary, { ...record, actorId: by.id });
    if (action !== 'open') version += 1;
    status = to;
    assignedTo = toAssignee;
  };

  const reasonLabel = `${URGENCY_LABELS[urgency].toLowerCase()}: ${CONSULT_REASONS[reasonCode]}`;
  transition('open', requestedAt, plan.clinician, 'new', `Social work consult requested (${reasonLabel})`, {
    toAssignee: null,
  });
  joinCareTeam(
    ctx,
    plan.patient,
    plan.clinician,
    'Requesting clinician',
    requestedAt,
    plan.clinician.id,
    plan.teamLeavesAt ?? null,
  );
  if (recent(requestedAt))
    for (const s of ctx.supervisors)
      notifyDemo(
        ctx,
        s.id,
        'consult-requested',
        requestedAt,
        `New ${urgency} consult waiting for triage`,
        '/triage',
        patientId,
      );

  const target = plan.status;
  const withWorker = plan.worker !== null && target !== 'new' && target !== 'triaged';
  const quick = urgency === 'emergent' ? 15 * MINUTE : urgency === 'urgent' ? HOUR : 3 * HOUR;

  if (target === 'triaged' || (withWorker && r.chance(0.6))) {
    acuity = r.weighted([
      [25, 1],
      [40, 2],
      [25, 3],
      [10, 4],
    ] as const);
    transition('triage', after(quick), supervisor, 'triaged', 'Case triaged');
  }
  if (withWorker) {
    acuity ??= r.int(1, 4);
    assignedAt = after(quick);
    const worker = plan.worker!;
    transition('assign', assignedAt, supervisor, 'assigned', `Case assigned to ${worker.displayName}`, {
      toAssignee: worker,
    });
    joinCareTeam(
      ctx,
      plan.patient,
      worker,
      'Social worker',
      assignedAt,
      supervisor.id,
      plan.teamLeavesAt ?? null,
    );
    if (recent(assignedAt))
      notifyDemo(
        ctx,
        worker.id,
        'case-assigned',
        assignedAt,
        `A ${urgency} case was assigned to you`,
        caseLink,
        patientId,
      );

    const contacted = target === 'active' || (target === 'closed' && r.chance(0.9));
    if (contacted) {
      // Most first contacts meet the target; some are late.
      const onTime = due > assignedAt && r.chance(0.82);
      const at = onTime
        ? Math.min(
            assignedAt + (due - assignedAt) * (0.2 + r.faker.number.float() * 0.7),
            plan.endBy - MINUTE,
          )
        : due + r.int(10, 360) * MINUTE;
      firstContactAt = at < plan.endBy && at > t ? at : after(quick);
      t = firstContactAt;
      transition('start', firstContactAt, worker, 'active', 'First contact with the patient recorded');
    }
    if (plan.reopened && target === 'active') {
      const closeAt = after(DAY);
      transition('close', closeAt, worker, 'closed', `Case closed: ${CLOSE_REASONS['declined-services']}`);
      const reopenAt = after(DAY);
      transition('reopen', reopenAt, worker, 'active', 'Case reopened', {
        note: 'Patient now agrees to a rehab placement and asked to restart the plan.',
      });
    }
    if (plan.handOffTo && target === 'active') {
      const at = after(2 * DAY);
      const next = plan.handOffTo;
      transition(
        'reassign',
        at,
        supervisor,
        'active',
        `Case handed off from ${worker.displayName} to ${next.displayName}`,
        {
          toAssignee: next,
          note: r.pick(HAND_OFF_NOTES),
        },
      );
      assignedAt = at;
      joinCareTeam(ctx, plan.patient, next, 'Social worker', at, supervisor.id, plan.teamLeavesAt ?? null);
      if (recent(at))
        notifyDemo(
          ctx,
          next.id,
          'case-assigned',
          at,
          `A ${urgency} case was handed off to you: read the hand-off note`,
          caseLink,
          patientId,
        );
    }
  }
  if (target === 'closed') {
    const reason = plan.closeReason ?? 'goals-met';
    closedAt = after(3 * DAY);
    const by = assignedTo ?? supervisor;
    closeReason = reason;
    transition('close', closedAt, by, 'closed', `Case closed: ${CLOSE_REASONS[reason]}`, {
      closeReason: reason,
    });
  }

  // Supervisors hear once about a consult that missed its target (the reminder job's mark).
  const missedAt = due + 5 * MINUTE;
  const contactBy = firstContactAt ?? closedAt ?? ctx.now;
  if (contactBy > missedAt && missedAt < ctx.now) {
    overdueNotifiedAt = missedAt;
    if (recent(missedAt))
      for (const s of ctx.supervisors)
        notifyDemo(
          ctx,
          s.id,
          'consult-overdue',
          missedAt,
          `A consult missed its first-contact target (${URGENCY_LABELS[urgency]})`,
          caseLink,
          patientId,
        );
  }

  const worker = assignedTo as Person | null;
  ctx.w.add(cases, {
    id,
    organizationId: ctx.organizationId,
    patientId,
    encounterId: plan.encounterId,
    status,
    source: 'consult',
    urgency,
    acuity,
    reasonCode,
    reasonText: r.chance(0.85) ? r.pick(REASON_TEXTS[reasonCode]) : null,
    requestedBy: plan.clinician.id,
    requestedAt: new Date(requestedAt),
    firstContactDueAt: new Date(due),
    firstContactAt: firstContactAt === null ? null : new Date(firstContactAt),
    overdueNotifiedAt: overdueNotifiedAt === null ? null : new Date(overdueNotifiedAt),
    assignedTo: worker?.id ?? null,
    assignedAt: assignedAt === null ? null : new Date(assignedAt),
    closedAt: closedAt === null ? null : new Date(closedAt),
    closeReason,
    version,
    createdAt: new Date(requestedAt),
    updatedAt: new Date(t),
  });
  return {
    id,
    status,
    reasonCode,
    urgency,
    requestedAt,
    worker,
    assignedAt,
    firstContactAt,
    closedAt,
  };
}

/** A close reason that fits how the stay ended. */
export function closeReasonFor(ctx: DemoContext, disposition: string | null): CloseReason {
  if (disposition === 'expired') return 'patient-deceased';
  if (disposition === 'transferred') return 'transferred';
  return ctx.r.weighted([
    [45, 'discharged'],
    [25, 'goals-met'],
    [10, 'declined-services'],
    [10, 'no-needs-identified'],
    [4, 'transferred'],
    [3, 'duplicate'],
    [3, 'other'],
  ] as const);
}
