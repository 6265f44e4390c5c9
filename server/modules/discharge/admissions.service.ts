import { and, asc, desc, eq, inArray, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import {
  type AdmissionFacts,
  ageOn,
  dayIn,
  daysBetween,
  matchingTriggers,
  type TriggerMatch,
} from '../../../domain/admissions.ts';
import { AdmissionTrigger, type AdmissionTriggersUpdateRequest } from '../../../domain/schemas/admissions.ts';
import { TASK_ASSIGNEE_ROLES } from '../../../domain/tasks.ts';
import type { Db, DbOrTx, Tx } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { auditActor } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { invalid } from '../../platform/errors.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { activeSupervisors } from '../../platform/users.service.ts';
import { openTriggeredCase } from '../cases/cases.service.ts';
import type { EncounterRecorder } from '../encounters/encounters.service.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { feedUserId } from '../hl7/adt.feed-user.ts';
import { invalidateHl7Routing } from '../hl7/routing.cache.ts';
import { primaryWorkerOf } from '../patients/care-team.service.ts';
import { patients } from '../patients/patients.tables.ts';
import { createTask } from '../tasks/tasks.service.ts';

type EncounterRow = typeof encounters.$inferSelect;

/** The organisation's rules; a stored list that no longer validates is skipped rule by rule, never fatal. */
export function rulesOf(stored: unknown): AdmissionTrigger[] {
  if (!Array.isArray(stored)) return [];
  return stored.flatMap((r) => {
    const parsed = AdmissionTrigger.safeParse(r);
    return parsed.success ? [parsed.data] : [];
  });
}

export async function readAdmissionTriggers(db: DbOrTx, organizationId: string) {
  const [org] = await db
    .select({ rules: organizations.admissionTriggers })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  const units = await db
    .selectDistinct({ unit: encounters.unit })
    .from(encounters)
    .where(
      and(
        eq(encounters.organizationId, organizationId),
        isNotNull(encounters.unit),
        sql`${encounters.admittedAt} > now() - interval '180 days'`,
      ),
    )
    .orderBy(asc(encounters.unit))
    .limit(200);
  return { rules: rulesOf(org?.rules), knownUnits: units.map((u) => u.unit!) };
}

/** Replaces the organisation's rules (validated by the route's schema), audited with the rule ids. */
export async function saveAdmissionTriggers(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: AdmissionTriggersUpdateRequest,
) {
  const errors: { field: string; message: string }[] = [];
  for (const [i, rule] of input.rules.entries()) {
    const named = rule.action.kind === 'task' ? rule.action.assigneeId : null;
    if (!named) continue;
    const [user] = await db
      .select({ id: users.id })
      .from(users)
      .where(
        and(
          eq(users.id, named),
          eq(users.organizationId, actor.organizationId),
          eq(users.kind, 'person'),
          isNull(users.disabledAt),
          inArray(users.role, [...TASK_ASSIGNEE_ROLES]),
        ),
      );
    if (!user)
      errors.push({
        field: `rules.${i}.action.assigneeId`,
        message: 'must be an active colleague who does tasks',
      });
  }
  if (errors.length) throw invalid(errors);
  await db.transaction(async (tx) => {
    await tx
      .update(organizations)
      .set({ admissionTriggers: input.rules })
      .where(eq(organizations.id, actor.organizationId));
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'admission-triggers.update',
      outcome: 'success',
      recordKind: 'organization',
      recordId: actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { rules: input.rules.map((r) => r.id) },
    });
  });
  invalidateHl7Routing(db); // the feed caches the rules with its routing
  return readAdmissionTriggers(db, actor.organizationId);
}

/** Who a screening task goes to: the rule's assignee, else the patient's primary worker, else a supervisor. */
async function screeningAssignee(tx: Tx, organizationId: string, patientId: string, named?: string | null) {
  const doesTasks = (id: string | null | undefined) =>
    id
      ? tx
          .select({ id: users.id })
          .from(users)
          .where(
            and(
              eq(users.id, id),
              eq(users.organizationId, organizationId),
              eq(users.kind, 'person'),
              isNull(users.disabledAt),
              inArray(users.role, [...TASK_ASSIGNEE_ROLES]),
            ),
          )
      : Promise.resolve([]);
  const [rulePick] = await doesTasks(named);
  // A named assignee outside the care team may not see the patient: createTask refuses that, so fall back.
  const member = await primaryWorkerOf(tx, patientId);
  const candidates = [rulePick?.id, member, ...(await activeSupervisors(tx, organizationId))];
  for (const id of candidates) {
    if (!id) continue;
    const [user] = await tx
      .select({
        role: users.role,
        onTeam: sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = ${patientId} and c.user_id = ${id} and c.removed_at is null)`,
      })
      .from(users)
      .where(eq(users.id, id));
    if (user && (user.onTeam || user.role === 'admin' || user.role === 'supervisor')) return id;
  }
  return null;
}

/** The previous inpatient stay discharged before this admission, the latest one. */
export async function previousStay(tx: DbOrTx, encounter: EncounterRow) {
  const [prior] = await tx
    .select()
    .from(encounters)
    .where(
      and(
        eq(encounters.patientId, encounter.patientId),
        eq(encounters.encounterClass, 'inpatient'),
        ne(encounters.id, encounter.id),
        ne(encounters.status, 'cancelled'),
        isNotNull(encounters.dischargedAt),
        sql`${encounters.dischargedAt} <= ${encounter.admittedAt.toISOString()}`,
      ),
    )
    .orderBy(desc(encounters.dischargedAt))
    .limit(1);
  return prior ?? null;
}

const actorIdOf = (by: EncounterRecorder) => ('actor' in by ? by.actor.userId : null);

function auditAs(by: EncounterRecorder, patientId: string) {
  return (action: string, extra: Partial<AuditEntry>): AuditEntry =>
    'actor' in by
      ? by.access.entry(action, extra)
      : {
          organizationId: by.organizationId,
          actorUserId: null,
          actorRole: null,
          actorLabel: 'ADT feed',
          action,
          outcome: 'success',
          patientId,
          ...extra,
        };
}

/**
 * Evaluates the organisation's admission triggers once per inpatient admission (encounters.triggers_evaluated_at),
 * in the admitting transaction: each matching rule opens a case or a screening task, and the timeline says
 * which rule matched and why. Returns the encounter as updated.
 */
export async function evaluateAdmissionTriggers(
  tx: Tx,
  encounter: EncounterRow,
  by: EncounterRecorder,
  sink?: AuditEntry[],
): Promise<{ encounter: EncounterRow; matches: TriggerMatch[] }> {
  if (encounter.triggersEvaluatedAt) return { encounter, matches: [] };
  // The feed carries the rules and zone from its routing cache (dropped when they are saved); others read them.
  const cached = 'system' in by && by.timeZone && by.admissionTriggers !== undefined;
  const [org] = cached
    ? [{ timeZone: by.timeZone!, rules: by.admissionTriggers }]
    : await tx
        .select({ timeZone: organizations.timeZone, rules: organizations.admissionTriggers })
        .from(organizations)
        .where(eq(organizations.id, encounter.organizationId));
  const rules = rulesOf(org?.rules);
  const zone = org?.timeZone ?? 'UTC';
  let matches: TriggerMatch[] = [];
  const audit: AuditEntry[] = sink ?? [];
  if (rules.length) {
    const [patient] = await tx
      .select({ birthDate: patients.birthDate, insurance: patients.insurance })
      .from(patients)
      .where(eq(patients.id, encounter.patientId));
    const prior = await previousStay(tx, encounter);
    const facts: AdmissionFacts = {
      age: patient?.birthDate ? ageOn(patient.birthDate, dayIn(zone, encounter.admittedAt)) : null,
      daysSincePreviousDischarge: prior?.dischargedAt
        ? daysBetween(zone, prior.dischargedAt, encounter.admittedAt)
        : null,
      unit: encounter.unit,
      payerTypes: ((patient?.insurance as { payerType?: string }[] | null) ?? []).flatMap((c) =>
        c.payerType ? [c.payerType] : [],
      ),
    };
    matches = matchingTriggers(rules, facts);
    const record = auditAs(by, encounter.patientId);
    for (const { rule, because } of matches) {
      let outcome: string;
      if (rule.action.kind === 'case') {
        const openedBy = actorIdOf(by) ?? (await feedUserId(tx, encounter.organizationId, audit));
        const opened = await openTriggeredCase(tx, {
          organizationId: encounter.organizationId,
          patientId: encounter.patientId,
          encounterId: encounter.id,
          urgency: rule.action.urgency,
          reasonCode: rule.action.reasonCode,
          reasonText: `Admission trigger: ${rule.name} (${because})`,
          openedBy,
          requestedBy: actorIdOf(by),
        });
        audit.push(
          record('case.create', {
            recordKind: 'case',
            recordId: opened.id,
            detail: { source: 'admission-trigger', rule: rule.id, urgency: rule.action.urgency },
          }),
        );
        outcome = 'case opened for triage';
      } else {
        const assigneeId = await screeningAssignee(
          tx,
          encounter.organizationId,
          encounter.patientId,
          rule.action.assigneeId,
        );
        if (assigneeId) {
          await createTask(
            tx,
            'actor' in by
              ? by.actor
              : { system: 'admission-trigger', organizationId: encounter.organizationId },
            {
              title: rule.action.title,
              detail: `Admission trigger: ${rule.name} (${because}).`,
              assigneeId,
              dueAt: new Date(encounter.admittedAt.getTime() + rule.action.dueInHours * 3_600_000),
              priority: rule.action.priority,
              patientId: encounter.patientId,
              kind: 'screening',
            },
            'actor' in by ? { access: by.access } : {},
          );
          outcome = 'screening task created';
        } else {
          outcome = 'no worker to give the screening task to';
        }
      }
      await recordOnTimeline(tx, {
        organizationId: encounter.organizationId,
        patientId: encounter.patientId,
        kind: 'encounter',
        summary: `Admission trigger "${rule.name}" matched (${because}): ${outcome}`,
        actorId: actorIdOf(by),
        recordKind: 'encounter',
        recordId: encounter.id,
        detail: { rule: rule.id, action: rule.action.kind },
      });
    }
  }
  const [updated] = await tx
    .update(encounters)
    .set({ triggersEvaluatedAt: new Date() })
    .where(eq(encounters.id, encounter.id))
    .returning();
  if (!sink) await appendAudit(tx, ...audit);
  return { encounter: updated!, matches };
}
