import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  CONSULT_REASONS,
  type ConsultTargets,
  DEFAULT_CONSULT_TARGETS,
  firstContactDue,
  URGENCY_LABELS,
  type Urgency,
} from '../../../domain/casework.ts';
import {
  BACKDATE_LIMIT_DAYS,
  type CaseUpdateRequest,
  ConsultTargets as ConsultTargetsSchema,
} from '../../../domain/schemas/cases.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import {
  CASELOAD_ROLES,
  type CaseSource,
  type CaseStatus,
  openingStatus,
} from '../../../domain/workflows/case.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import {
  AppError,
  conflict,
  type FieldError,
  forbidden,
  invalid,
  notFound,
  staleVersion,
} from '../../platform/errors.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { activeSupervisors, getOrganization } from '../../platform/users.service.ts';
import { encounterInOrganization } from '../encounters/encounters.service.ts';
import { ensureCareTeamMember } from '../patients/care-team.service.ts';
import { caseAbilities } from './cases.policy.ts';
import { cases, caseTransitions } from './cases.tables.ts';

export type CaseRow = typeof cases.$inferSelect;
type UpdateInput = z.infer<typeof CaseUpdateRequest>;

/** A case of the actor's organisation, or 404 (another organisation's case is not found either). */
export async function loadCase(db: DbOrTx, actor: Actor, caseId: string): Promise<CaseRow> {
  const [row] = await db
    .select()
    .from(cases)
    .where(and(eq(cases.id, caseId), eq(cases.organizationId, actor.organizationId)));
  if (!row) throw notFound('case');
  return row;
}

/** The organisation's first-contact targets; the department defaults when it set none (or they are unreadable). */
export function consultTargetsOf(org: { consultTargets: unknown }): ConsultTargets {
  const parsed = ConsultTargetsSchema.safeParse(org.consultTargets);
  return parsed.success ? parsed.data : DEFAULT_CONSULT_TARGETS;
}

/** When first contact is due for a case of this organisation, from its targets and time zone. */
async function dueFor(db: DbOrTx, organizationId: string, requestedAt: Date, urgency: Urgency) {
  const org = await getOrganization(db, organizationId);
  return firstContactDue(requestedAt, urgency, consultTargetsOf(org), org.timeZone);
}

export const caseLink = (c: { patientId: string; id: string }) => TIMELINE_KINDS.case.link(c.patientId, c.id);

/** An active social worker or supervisor of the organisation, the people a case can be given to. */
export async function findCaseworker(db: DbOrTx, organizationId: string, userId: string) {
  const [user] = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(
      and(
        eq(users.id, userId),
        eq(users.organizationId, organizationId),
        eq(users.kind, 'person'),
        isNull(users.disabledAt),
        inArray(users.role, [...CASELOAD_ROLES]),
      ),
    );
  return user;
}

export const notACaseworker = (field: string): FieldError => ({
  field,
  message: 'must be an active social worker or supervisor of this organisation',
});

export interface CaseOpening {
  patientId: string;
  encounterId?: string | undefined;
  reasonCode: keyof typeof CONSULT_REASONS;
  reasonText?: string | undefined;
  urgency: Urgency;
  source: CaseSource;
  requestedAt?: Date | undefined;
  /** The worker who keeps the case from the start (a worker opening a case for themselves). */
  assignTo?: string | undefined;
}

/**
 * Opens a case: a consult waiting for triage, or a worker's own case assigned to them. The case, its first
 * history row, the timeline entry, the audit record and the notifications commit together.
 */
export async function openCase(db: Db, actor: Actor, access: PatientAccess, input: CaseOpening) {
  const now = new Date();
  const requestedAt = input.requestedAt ?? now;
  const errors: FieldError[] = [];
  if (requestedAt.getTime() > now.getTime() + 5 * 60_000)
    errors.push({ field: 'requestedAt', message: 'must not be in the future' });
  if (requestedAt.getTime() < now.getTime() - BACKDATE_LIMIT_DAYS * 86_400_000)
    errors.push({ field: 'requestedAt', message: `must be within the last ${BACKDATE_LIMIT_DAYS} days` });
  if (input.encounterId) {
    const visit = await encounterInOrganization(db, actor.organizationId, input.encounterId).catch(
      (error: unknown) => {
        if (error instanceof AppError && error.status === 404) return null;
        throw error;
      },
    );
    if (visit?.patientId !== access.patient.id)
      errors.push({ field: 'encounterId', message: 'must be a visit of this patient' });
  }
  const assignee = input.assignTo
    ? await findCaseworker(db, actor.organizationId, input.assignTo)
    : undefined;
  if (input.assignTo && !assignee) errors.push(notACaseworker('assignToMe'));
  if (errors.length) throw invalid(errors);

  const status = openingStatus({ assignedTo: assignee?.id ?? null });
  const firstContactDueAt = await dueFor(db, actor.organizationId, requestedAt, input.urgency);
  return db.transaction(async (tx) => {
    const [created] = await tx
      .insert(cases)
      .values({
        organizationId: actor.organizationId,
        patientId: access.patient.id,
        encounterId: input.encounterId ?? null,
        status,
        source: input.source,
        urgency: input.urgency,
        reasonCode: input.reasonCode,
        reasonText: input.reasonText || null,
        requestedBy: actor.userId,
        requestedAt,
        firstContactDueAt,
        assignedTo: assignee?.id ?? null,
        assignedAt: assignee ? now : null,
      })
      .returning();
    const c = created!;
    await tx.insert(caseTransitions).values({
      organizationId: actor.organizationId,
      caseId: c.id,
      action: 'open',
      fromStatus: null,
      toStatus: status,
      byUser: actor.userId,
      at: now,
      toAssignee: assignee?.id ?? null,
    });
    if (assignee) await ensureCareTeamMember(tx, access, actor, assignee.id, 'Social worker');
    const what = `${URGENCY_LABELS[input.urgency].toLowerCase()}: ${CONSULT_REASONS[input.reasonCode]}`;
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: access.patient.id,
      kind: 'case',
      summary:
        input.source === 'consult'
          ? `Social work consult requested (${what})`
          : `Case opened by ${actor.displayName} (${what})`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'case',
      recordId: c.id,
      detail: { action: 'open', toStatus: status, urgency: input.urgency, reasonCode: input.reasonCode },
    });
    await appendAudit(
      tx,
      access.entry('case.create', {
        recordKind: 'case',
        recordId: c.id,
        detail: { source: input.source, urgency: input.urgency, reasonCode: input.reasonCode, status },
      }),
    );
    if (status === 'new') {
      await notify(tx, {
        organizationId: actor.organizationId,
        userIds: await activeSupervisors(tx, actor.organizationId),
        kind: 'consult-requested',
        title: `New ${input.urgency} consult waiting for triage`,
        link: '/triage',
        patientId: access.patient.id,
      });
    }
    return c;
  });
}

/**
 * Opens a case that an admission trigger set off, in the caller's transaction: it waits for triage like a
 * consult, its supervisors are told, and it is on the timeline. `openedBy` is the user the history names (the
 * person who admitted, or the feed's account); the caller writes the audit record with the returned id.
 */
export async function openTriggeredCase(
  tx: DbOrTx,
  input: {
    organizationId: string;
    patientId: string;
    encounterId: string;
    urgency: Urgency;
    reasonCode: keyof typeof CONSULT_REASONS;
    reasonText: string;
    openedBy: string;
    requestedBy: string | null;
  },
): Promise<CaseRow> {
  const now = new Date();
  const status = openingStatus({ assignedTo: null });
  const firstContactDueAt = await dueFor(tx, input.organizationId, now, input.urgency);
  const [created] = await tx
    .insert(cases)
    .values({
      organizationId: input.organizationId,
      patientId: input.patientId,
      encounterId: input.encounterId,
      status,
      source: 'admission-trigger',
      urgency: input.urgency,
      reasonCode: input.reasonCode,
      reasonText: input.reasonText,
      requestedBy: input.requestedBy,
      requestedAt: now,
      firstContactDueAt,
    })
    .returning();
  const c = created!;
  await tx.insert(caseTransitions).values({
    organizationId: input.organizationId,
    caseId: c.id,
    action: 'open',
    fromStatus: null,
    toStatus: status,
    byUser: input.openedBy,
    at: now,
  });
  const what = `${URGENCY_LABELS[input.urgency].toLowerCase()}: ${CONSULT_REASONS[input.reasonCode]}`;
  await recordOnTimeline(tx, {
    organizationId: input.organizationId,
    patientId: input.patientId,
    kind: 'case',
    summary: `Case opened by an admission trigger (${what})`,
    actorId: input.requestedBy,
    occurredAt: now,
    recordKind: 'case',
    recordId: c.id,
    detail: { action: 'open', toStatus: status, urgency: input.urgency, reasonCode: input.reasonCode },
  });
  await notify(tx, {
    organizationId: input.organizationId,
    userIds: await activeSupervisors(tx, input.organizationId),
    kind: 'consult-requested',
    title: `New ${input.urgency} case from an admission trigger waiting for triage`,
    link: '/triage',
    patientId: input.patientId,
  });
  return c;
}

/** Refuses a request made against an older version of the case, naming the current one. */
export function assertVersion(c: CaseRow, version: number) {
  if (c.version !== version) throw staleVersion(c.version);
}

/** Writes the changes only if nobody changed the case since `version`; otherwise 409 and nothing is written. */
export async function writeCase(
  tx: DbOrTx,
  c: CaseRow,
  version: number,
  changes: Partial<CaseRow>,
  now: Date,
) {
  const [updated] = await tx
    .update(cases)
    .set({ ...changes, version: sql`${cases.version} + 1`, updatedAt: now })
    .where(and(eq(cases.id, c.id), eq(cases.version, version)))
    .returning();
  if (!updated) {
    const [current] = await tx.select({ version: cases.version }).from(cases).where(eq(cases.id, c.id));
    throw staleVersion(current?.version ?? c.version);
  }
  return updated;
}

/**
 * Changes urgency, acuity or the details of an open case (leads, or its worker). A new urgency recomputes when
 * first contact is due, from the time of the original request.
 */
export async function updateCase(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  c: CaseRow,
  input: UpdateInput,
): Promise<CaseRow> {
  if (c.status === 'closed')
    throw conflict('case-closed', 'A closed case cannot be changed; reopen it first');
  if (!caseAbilities(actor, { ...c, status: c.status as CaseStatus }).update) {
    await appendAudit(
      db,
      access.entry('case.update', { outcome: 'denied', recordKind: 'case', recordId: c.id }),
    );
    throw forbidden('Only a supervisor or the worker assigned to this case can change it');
  }
  assertVersion(c, input.version);
  const now = new Date();
  const changes: Partial<CaseRow> = {};
  if (input.urgency !== undefined && input.urgency !== c.urgency) {
    changes.urgency = input.urgency;
    changes.firstContactDueAt = await dueFor(db, c.organizationId, c.requestedAt, input.urgency);
    // A new due time is watched afresh by the overdue-consult sweep.
    changes.overdueNotifiedAt = null;
  }
  if (input.acuity !== undefined) changes.acuity = input.acuity;
  if (input.reasonText !== undefined) changes.reasonText = input.reasonText || null;
  return db.transaction(async (tx) => {
    const updated = await writeCase(tx, c, input.version, changes, now);
    if (changes.urgency) {
      await recordOnTimeline(tx, {
        organizationId: c.organizationId,
        patientId: c.patientId,
        kind: 'case',
        summary: `Case urgency changed from ${c.urgency} to ${changes.urgency}`,
        actorId: actor.userId,
        occurredAt: now,
        recordKind: 'case',
        recordId: c.id,
        detail: { action: 'update', urgency: changes.urgency },
      });
    }
    await appendAudit(
      tx,
      access.entry('case.update', {
        recordKind: 'case',
        recordId: c.id,
        detail: { fields: Object.keys(changes) },
      }),
    );
    return updated;
  });
}
