import { eq } from 'drizzle-orm';
import type { z } from 'zod';
import { CLOSE_REASONS } from '../../../domain/casework.ts';
import type { CaseTransitionRequest } from '../../../domain/schemas/cases.ts';
import {
  type CaseAction,
  type CaseStatus,
  caseActionNeeds,
  decideCaseTransition,
} from '../../../domain/workflows/case.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, type FieldError, invalid } from '../../platform/errors.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { ensureCareTeamMember } from '../patients/care-team.service.ts';
import {
  assertVersion,
  type CaseRow,
  caseLink,
  findCaseworker,
  notACaseworker,
  writeCase,
} from './cases.service.ts';
import { caseTransitions } from './cases.tables.ts';

type TransitionInput = z.infer<typeof CaseTransitionRequest>;

/** The fields a transition changes on the case row. */
type CaseChanges = Partial<Pick<CaseRow, 'status' | 'assignedTo' | 'assignedAt' | 'firstContactAt'>> & {
  closedAt?: Date | null;
  closeReason?: string | null;
};

/**
 * Moves a case through its lifecycle (domain/workflows/case.ts): a refused action is a 409 naming the actions
 * allowed instead; what the action needs (a worker, a close reason, a hand-off note) is checked; the case, its
 * history row, the timeline entry, the audit record, the care team and the notification commit together.
 */
export async function transitionCase(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  c: CaseRow,
  input: TransitionInput,
): Promise<CaseRow> {
  assertVersion(c, input.version);
  const now = new Date();
  // A case whose worker has left returns to the queue when it is reopened.
  const holder =
    input.action === 'reopen' && c.assignedTo && !(await findCaseworker(db, c.organizationId, c.assignedTo))
      ? null
      : c.assignedTo;
  const decision = decideCaseTransition(
    { status: c.status as CaseStatus, assignedTo: holder, firstContactAt: c.firstContactAt },
    input.action,
    { id: actor.userId, role: actor.role },
  );
  if (!decision.ok) {
    throw conflict(
      'transition-not-allowed',
      decision.reason === 'not-from-here'
        ? `A ${c.status} case cannot take the action "${input.action}"`
        : `Your role does not allow "${input.action}" on this case`,
      { allowed: decision.allowed, caseStatus: c.status, currentVersion: c.version },
    );
  }
  const needs = caseActionNeeds(input.action);
  const errors: FieldError[] = [];
  let assignee: { id: string; displayName: string } | undefined;
  if (needs.includes('assignee')) {
    if (!input.assigneeId) errors.push({ field: 'assigneeId', message: 'is required: choose a worker' });
    else {
      assignee = await findCaseworker(db, c.organizationId, input.assigneeId);
      if (!assignee) errors.push(notACaseworker('assigneeId'));
      else if (assignee.id === c.assignedTo)
        errors.push({ field: 'assigneeId', message: 'already holds this case' });
    }
  }
  if (needs.includes('closeReason') && !input.closeReason)
    errors.push({ field: 'closeReason', message: 'is required: say why the case closes' });
  if (needs.includes('note') && !input.note)
    errors.push({
      field: 'note',
      message:
        input.action === 'reassign'
          ? 'is required: write a hand-off note for the next worker'
          : 'is required: say why the case reopens',
    });
  if (errors.length) throw invalid(errors);

  const changes = changesFor(input.action, decision.to, c, holder, assignee?.id, input, now);
  return db.transaction(async (tx) => {
    const updated = await writeCase(tx, c, input.version, changes, now);
    const [history] = await tx
      .insert(caseTransitions)
      .values({
        organizationId: c.organizationId,
        caseId: c.id,
        action: input.action,
        fromStatus: c.status,
        toStatus: updated.status,
        byUser: actor.userId,
        at: now,
        fromAssignee: c.assignedTo,
        toAssignee: updated.assignedTo,
        note: input.note || null,
        closeReason: input.action === 'close' ? (input.closeReason ?? null) : null,
      })
      .returning({ id: caseTransitions.id });
    const previous = c.assignedTo ? await nameOf(tx, c.assignedTo) : null;
    await recordOnTimeline(tx, {
      organizationId: c.organizationId,
      patientId: c.patientId,
      kind: 'case',
      summary: summaryFor(input, assignee?.displayName, previous),
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'case',
      recordId: c.id,
      detail: { action: input.action, fromStatus: c.status, toStatus: updated.status },
    });
    await appendAudit(
      tx,
      access.entry('case.transition', {
        recordKind: 'case',
        recordId: c.id,
        detail: {
          action: input.action,
          fromStatus: c.status,
          toStatus: updated.status,
          transitionId: history!.id,
          ...(assignee ? { assigneeId: assignee.id } : {}),
          ...(input.closeReason ? { closeReason: input.closeReason } : {}),
        },
      }),
    );
    if (assignee) {
      await ensureCareTeamMember(tx, access, actor, assignee.id, 'Social worker');
      await notify(tx, {
        organizationId: c.organizationId,
        userIds: [assignee.id],
        kind: 'case-assigned',
        title:
          input.action === 'reassign'
            ? `A ${updated.urgency} case was handed off to you: read the hand-off note`
            : `A ${updated.urgency} case was assigned to you`,
        link: caseLink(c),
        patientId: c.patientId,
      });
    }
    return updated;
  });
}

function changesFor(
  action: CaseAction,
  to: CaseStatus,
  c: CaseRow,
  holder: string | null,
  assigneeId: string | undefined,
  input: TransitionInput,
  now: Date,
): CaseChanges {
  switch (action) {
    case 'triage':
      return { status: to };
    case 'assign':
    case 'reassign':
      return { status: to, assignedTo: assigneeId!, assignedAt: now };
    case 'start':
      return { status: to, firstContactAt: c.firstContactAt ?? now };
    case 'close':
      return { status: to, closedAt: now, closeReason: input.closeReason! };
    case 'reopen':
      return { status: to, closedAt: null, closeReason: null, assignedTo: holder };
  }
}

function summaryFor(input: TransitionInput, assigneeName?: string, previousName?: string | null): string {
  switch (input.action) {
    case 'triage':
      return 'Case triaged';
    case 'assign':
      return `Case assigned to ${assigneeName}`;
    case 'reassign':
      return `Case handed off from ${previousName ?? 'its worker'} to ${assigneeName}`;
    case 'start':
      return 'First contact with the patient recorded';
    case 'close':
      return `Case closed: ${CLOSE_REASONS[input.closeReason!]}`;
    case 'reopen':
      return 'Case reopened';
  }
}

async function nameOf(db: DbOrTx, userId: string): Promise<string | null> {
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
}
