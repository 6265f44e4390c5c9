import { TZDate } from '@date-fns/tz';
import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  CONSULT_REASONS,
  type ConsultReason,
  type ConsultTargets,
  describeTarget,
  URGENCIES,
  type Urgency,
} from '../../../domain/casework.ts';
import type { Caseload, FirstContactReportRow, TriageQueueItem } from '../../../domain/schemas/cases.ts';
import {
  CASELOAD_ROLES,
  type CaseStatus,
  OPEN_CASELOAD_STATUSES,
  QUEUE_STATUSES,
} from '../../../domain/workflows/case.ts';
import type { Db } from '../../db/client.ts';
import { patientScope } from '../../platform/access.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { getOrganization } from '../../platform/users.service.ts';
import { patients } from '../patients/patients.tables.ts';
import { caseActionsFor } from './cases.policy.ts';
import { consultTargetsOf } from './cases.service.ts';
import { cases } from './cases.tables.ts';

/** A case without first contact past its due time, at `now`. */
const overdueAt = (now: Date) =>
  sql<boolean>`(${cases.firstContactAt} is null and ${cases.firstContactDueAt} < ${now.toISOString()}::timestamptz)`;

/**
 * Where the patient is now: the case's own visit while it is open, else the patient's latest open visit.
 * Plain SQL with qualified names: the encounters module owns the table, this only reads a unit and a room.
 */
const openVisit = (column: 'unit' | 'room') =>
  sql<
    string | null
  >`(select e.${sql.raw(column)} from encounters e where e.patient_id = "cases"."patient_id" and e.discharged_at is null order by (e.id = "cases"."encounter_id") desc, e.admitted_at desc limit 1)`;

/**
 * The triage queue: cases waiting for a worker (new or triaged), overdue first contact first, then by due
 * time. The patient ids shown are audited as a list read.
 */
export async function triageQueue(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: { page: number; pageSize: number; urgency?: Urgency | undefined },
): Promise<{ items: z.infer<typeof TriageQueueItem>[]; total: number }> {
  const now = new Date();
  const where = and(
    eq(cases.organizationId, actor.organizationId),
    inArray(cases.status, [...QUEUE_STATUSES]),
    isNull(cases.closedAt),
    q.urgency ? eq(cases.urgency, q.urgency) : undefined,
    patientScope(actor),
  );
  const overdue = overdueAt(now);
  const [rows, [count]] = await Promise.all([
    db
      .select({
        c: cases,
        familyName: patients.familyName,
        givenName: patients.givenName,
        mrn: patients.mrn,
        requestedByName: users.displayName,
        unit: openVisit('unit'),
        room: openVisit('room'),
        overdue,
      })
      .from(cases)
      .innerJoin(patients, eq(patients.id, cases.patientId))
      .leftJoin(users, eq(users.id, cases.requestedBy))
      .where(where)
      .orderBy(desc(overdue), asc(cases.firstContactDueAt), asc(cases.requestedAt), asc(cases.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: sql<number>`count(*)::int` })
      .from(cases)
      .innerJoin(patients, eq(patients.id, cases.patientId))
      .where(where),
  ]);
  if (rows.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'triage.queue.read',
      outcome: 'success',
      recordKind: 'case',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: [...new Set(rows.map((r) => r.c.patientId))] },
    });
  }
  return {
    total: count?.n ?? 0,
    items: rows.map(({ c, ...r }) => ({
      id: c.id,
      version: c.version,
      status: c.status as CaseStatus,
      patient: { id: c.patientId, name: `${r.familyName}, ${r.givenName}`, mrn: r.mrn },
      unit: r.unit,
      room: r.room,
      reasonCode: c.reasonCode as ConsultReason,
      reasonLabel: CONSULT_REASONS[c.reasonCode as ConsultReason] ?? c.reasonCode,
      reasonText: c.reasonText,
      urgency: c.urgency as Urgency,
      acuity: c.acuity,
      requestedBy: c.requestedBy
        ? { id: c.requestedBy, displayName: r.requestedByName ?? 'Unknown user' }
        : null,
      requestedAt: c.requestedAt.toISOString(),
      dueAt: c.firstContactDueAt.toISOString(),
      overdue: Boolean(r.overdue),
      allowedActions: caseActionsFor(actor, {
        status: c.status as CaseStatus,
        assignedTo: c.assignedTo,
        firstContactAt: c.firstContactAt,
      }),
    })),
  };
}

/**
 * Each active social worker and supervisor with their open caseload (assigned and active cases): counts,
 * acuity, urgencies and overdue first contacts, so that a supervisor can choose who takes the next case.
 */
export async function caseloads(db: Db, organizationId: string): Promise<z.infer<typeof Caseload>[]> {
  const now = new Date();
  const open = sql`${cases.status} in ${OPEN_CASELOAD_STATUSES}`;
  const count = (condition: SQL) => sql<number>`(count(${cases.id}) filter (where ${condition}))::int`;
  const rows = await db
    .select({
      userId: users.id,
      displayName: users.displayName,
      role: users.role,
      openCases: count(open),
      assigned: count(sql`${cases.status} = 'assigned'`),
      active: count(sql`${cases.status} = 'active'`),
      acuitySum: sql<number>`(coalesce(sum(${cases.acuity}) filter (where ${open}), 0))::int`,
      emergent: count(sql`${open} and ${cases.urgency} = 'emergent'`),
      urgent: count(sql`${open} and ${cases.urgency} = 'urgent'`),
      routine: count(sql`${open} and ${cases.urgency} = 'routine'`),
      overdueFirstContact: count(sql`${open} and ${overdueAt(now)}`),
    })
    .from(users)
    .leftJoin(
      cases,
      and(eq(cases.assignedTo, users.id), eq(cases.organizationId, organizationId), isNull(cases.closedAt)),
    )
    .where(
      and(
        eq(users.organizationId, organizationId),
        eq(users.kind, 'person'),
        isNull(users.disabledAt),
        inArray(users.role, [...CASELOAD_ROLES]),
      ),
    )
    .groupBy(users.id, users.displayName, users.role)
    .orderBy(asc(users.displayName), asc(users.id));
  return rows.map(({ emergent, urgent, routine, ...r }) => ({
    ...r,
    byUrgency: { emergent, urgent, routine },
  }));
}

/** The organisation's targets as the API shows them. */
export async function readConsultTargets(db: Db, organizationId: string) {
  const org = await getOrganization(db, organizationId);
  const targets = consultTargetsOf(org);
  return {
    ...targets,
    isDefault: org.consultTargets === null,
    descriptions: {
      emergent: describeTarget('emergent', targets),
      urgent: describeTarget('urgent', targets),
      routine: describeTarget('routine', targets),
    },
  };
}

/** Saves an organisation's first-contact targets; open cases keep the due time they were given. */
export async function saveConsultTargets(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  targets: ConsultTargets,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .update(organizations)
      .set({ consultTargets: targets })
      .where(eq(organizations.id, actor.organizationId));
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'organization.consult-targets.update',
      outcome: 'success',
      recordKind: 'organization',
      recordId: actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { ...targets },
    });
  });
}

/** Closures that never were consults to answer: they do not count for or against the targets. */
const NOT_MEASURED = ['duplicate', 'entered-in-error'];

/**
 * Time to first contact for consults requested between two dates (inclusive, in the organisation's zone),
 * per urgency: the median, and how many were reached within target out of those whose outcome is known.
 */
export async function firstContactReport(db: Db, organizationId: string, q: { from: string; to: string }) {
  const org = await getOrganization(db, organizationId);
  const targets = consultTargetsOf(org);
  const start = dayStart(q.from, org.timeZone);
  const end = dayStart(q.to, org.timeZone, 1);
  const now = new Date().toISOString();
  const noContact = sql`${cases.firstContactAt} is null`;
  const rows = await db
    .select({
      urgency: cases.urgency,
      requested: sql<number>`count(*)::int`,
      contacted: sql<number>`count(${cases.firstContactAt})::int`,
      withinTarget: sql<number>`(count(*) filter (where ${cases.firstContactAt} <= ${cases.firstContactDueAt}))::int`,
      missed: sql<number>`(count(*) filter (where ${noContact} and ${cases.firstContactDueAt} < ${now}::timestamptz and (${cases.closedAt} is null or ${cases.closedAt} > ${cases.firstContactDueAt})))::int`,
      pending: sql<number>`(count(*) filter (where ${noContact} and ${cases.closedAt} is null and ${cases.firstContactDueAt} >= ${now}::timestamptz))::int`,
      medianMinutes: sql<
        number | string | null
      >`percentile_cont(0.5) within group (order by extract(epoch from (${cases.firstContactAt} - ${cases.requestedAt})) / 60)`,
    })
    .from(cases)
    .where(
      and(
        eq(cases.organizationId, organizationId),
        eq(cases.source, 'consult'),
        sql`${cases.requestedAt} >= ${start.toISOString()}::timestamptz`,
        sql`${cases.requestedAt} < ${end.toISOString()}::timestamptz`,
        sql`(${cases.closeReason} is null or ${cases.closeReason} not in ${NOT_MEASURED})`,
      ),
    )
    .groupBy(cases.urgency);
  const byUrgency = new Map(rows.map((r) => [r.urgency, r]));
  const report: z.infer<typeof FirstContactReportRow>[] = URGENCIES.map((urgency) => {
    const r = byUrgency.get(urgency);
    const known = (r?.contacted ?? 0) + (r?.missed ?? 0);
    const median =
      r?.medianMinutes === null || r?.medianMinutes === undefined ? null : Number(r.medianMinutes);
    return {
      urgency,
      target: describeTarget(urgency, targets),
      requested: r?.requested ?? 0,
      contacted: r?.contacted ?? 0,
      withinTarget: r?.withinTarget ?? 0,
      missed: r?.missed ?? 0,
      pending: r?.pending ?? 0,
      medianMinutes: median === null ? null : Math.round(median),
      percentWithinTarget: known ? Math.round((1000 * (r?.withinTarget ?? 0)) / known) / 10 : null,
    };
  });
  return { from: q.from, to: q.to, timeZone: org.timeZone, rows: report };
}

/** Midnight starting a calendar day (plus `addDays`) in a time zone. */
function dayStart(date: string, timeZone: string, addDays = 0): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(new TZDate(y, m - 1, d + addDays, timeZone).getTime());
}
