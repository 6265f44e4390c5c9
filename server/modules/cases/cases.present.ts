import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  CLOSE_REASONS,
  type CloseReason,
  CONSULT_REASONS,
  type ConsultReason,
  describeTarget,
  firstContactTiming,
  type Urgency,
} from '../../../domain/casework.ts';
import type { Case, CaseTransitionEntry } from '../../../domain/schemas/cases.ts';
import {
  type CaseHistoryAction,
  type CaseSource,
  type CaseStatus,
  caseActionLabel,
} from '../../../domain/workflows/case.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { users } from '../../platform/platform.tables.ts';
import { getOrganization } from '../../platform/users.service.ts';
import { caseAbilities, caseActionsFor } from './cases.policy.ts';
import { type CaseRow, consultTargetsOf } from './cases.service.ts';
import { cases, caseTransitions } from './cases.tables.ts';

type CaseView = z.infer<typeof Case>;
type TransitionView = z.infer<typeof CaseTransitionEntry>;
type PersonRef = { id: string; displayName: string };

/** Display names of users, by id, in one query. */
async function namesOf(db: DbOrTx, ids: (string | null | undefined)[]): Promise<Map<string, PersonRef>> {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))];
  if (!wanted.length) return new Map();
  const rows = await db
    .select({ id: users.id, displayName: users.displayName })
    .from(users)
    .where(inArray(users.id, wanted));
  return new Map(rows.map((r) => [r.id, r]));
}

/** The cases as the API shows them to this actor: names, first-contact timing, hand-off and allowed actions. */
export async function presentCases(db: DbOrTx, actor: Actor, rows: CaseRow[]): Promise<CaseView[]> {
  if (!rows.length) return [];
  const now = new Date();
  const org = await getOrganization(db, actor.organizationId);
  const targets = consultTargetsOf(org);
  // The last hand-off of each case: its note goes to the worker who received it.
  const handOffs = await db
    .select()
    .from(caseTransitions)
    .where(
      and(
        inArray(
          caseTransitions.caseId,
          rows.map((r) => r.id),
        ),
        eq(caseTransitions.action, 'reassign'),
      ),
    )
    .orderBy(desc(caseTransitions.at));
  const lastHandOff = new Map<string, (typeof handOffs)[number]>();
  for (const h of handOffs) if (!lastHandOff.has(h.caseId)) lastHandOff.set(h.caseId, h);
  const names = await namesOf(db, [
    ...rows.flatMap((r) => [r.requestedBy, r.assignedTo]),
    ...handOffs.flatMap((h) => [h.byUser, h.fromAssignee]),
  ]);
  const person = (id: string | null) => (id ? (names.get(id) ?? { id, displayName: 'Unknown user' }) : null);

  return rows.map((c) => {
    const facts = {
      status: c.status as CaseStatus,
      assignedTo: c.assignedTo,
      firstContactAt: c.firstContactAt,
    };
    const timing = firstContactTiming(c, now);
    const handOff = lastHandOff.get(c.id);
    const closeReason = c.closeReason as CloseReason | null;
    return {
      id: c.id,
      version: c.version,
      patientId: c.patientId,
      encounterId: c.encounterId,
      status: facts.status,
      source: c.source as CaseSource,
      urgency: c.urgency as Urgency,
      acuity: c.acuity,
      reasonCode: c.reasonCode as ConsultReason,
      reasonLabel: CONSULT_REASONS[c.reasonCode as ConsultReason] ?? c.reasonCode,
      reasonText: c.reasonText,
      requestedBy: person(c.requestedBy),
      requestedAt: c.requestedAt.toISOString(),
      assignee: person(c.assignedTo),
      assignedAt: c.assignedAt?.toISOString() ?? null,
      firstContact: {
        dueAt: timing.dueAt.toISOString(),
        metAt: timing.metAt?.toISOString() ?? null,
        state: timing.state,
        overdue: timing.overdue,
        late: timing.late,
        minutesToFirstContact: timing.minutesToFirstContact,
        target: describeTarget(c.urgency as Urgency, targets),
      },
      closedAt: c.closedAt?.toISOString() ?? null,
      closeReason,
      closeReasonLabel: closeReason ? (CLOSE_REASONS[closeReason] ?? closeReason) : null,
      handOff:
        handOff?.note && handOff.toAssignee === c.assignedTo
          ? {
              note: handOff.note,
              from: person(handOff.fromAssignee),
              by: person(handOff.byUser)!,
              at: handOff.at.toISOString(),
            }
          : null,
      allowedActions: caseActionsFor(actor, facts),
      abilities: caseAbilities(actor, facts),
      createdAt: c.createdAt.toISOString(),
      updatedAt: c.updatedAt.toISOString(),
    };
  });
}

export async function presentCase(db: DbOrTx, actor: Actor, row: CaseRow): Promise<CaseView> {
  const [view] = await presentCases(db, actor, [row]);
  return view!;
}

/** A patient's cases, open ones first, then the most recently requested. */
export async function listPatientCases(
  db: DbOrTx,
  actor: Actor,
  patientId: string,
  q: { page: number; pageSize: number },
) {
  const where = and(eq(cases.patientId, patientId), eq(cases.organizationId, actor.organizationId));
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(cases)
      .where(where)
      .orderBy(sql`${cases.closedAt} is not null`, desc(cases.requestedAt), desc(cases.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(cases).where(where),
  ]);
  return { items: await presentCases(db, actor, rows), total: count?.n ?? 0 };
}

/** The history of a case, oldest first, with the names of who acted and who held it. */
export async function listTransitions(db: DbOrTx, caseId: string): Promise<TransitionView[]> {
  const rows = await db
    .select()
    .from(caseTransitions)
    .where(eq(caseTransitions.caseId, caseId))
    .orderBy(asc(caseTransitions.at), asc(caseTransitions.id));
  const names = await namesOf(
    db,
    rows.flatMap((r) => [r.byUser, r.fromAssignee, r.toAssignee]),
  );
  const person = (id: string | null) => (id ? (names.get(id) ?? { id, displayName: 'Unknown user' }) : null);
  return rows.map((r) => ({
    id: r.id,
    action: r.action,
    label: caseActionLabel(r.action as CaseHistoryAction),
    fromStatus: (r.fromStatus as CaseStatus | null) ?? null,
    toStatus: r.toStatus as CaseStatus,
    at: r.at.toISOString(),
    by: person(r.byUser)!,
    fromAssignee: person(r.fromAssignee),
    toAssignee: person(r.toAssignee),
    note: r.note,
    closeReason: (r.closeReason as CloseReason | null) ?? null,
    closeReasonLabel: r.closeReason ? (CLOSE_REASONS[r.closeReason as CloseReason] ?? r.closeReason) : null,
  }));
}
