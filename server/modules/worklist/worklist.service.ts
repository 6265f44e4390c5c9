import { type SQL, sql } from 'drizzle-orm';
import type { Urgency } from '../../../domain/casework.ts';
import { ageInYears, daysSinceAdmission, flagsBySeverity, localDay } from '../../../domain/chart-facts.ts';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import {
  DEFAULT_SORT_DIRECTION,
  SCOPE_STATUSES,
  type WorklistItem,
  type WorklistQuery,
  type WorklistSort,
} from '../../../domain/schemas/worklist.ts';
import type { CaseStatus } from '../../../domain/workflows/case.ts';
import type { Db } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { forbidden } from '../../platform/errors.ts';
import { OPEN_NEED_SQL } from '../needs/lifecycle.service.ts';
import { ACTIVE_REFERRAL_SQL } from '../referrals/referrals.sql.ts';

/*
 * A read model (docs/decisions/004-worklist-and-chart-read-models.md): the page is one SQL statement over the
 * tables of cases, patients, encounters, tasks, flags, needs and referrals, because the worklist is the most-used screen and a
 * query per row, or per module, would spend its latency budget on round trips.
 */

interface WorklistRow {
  case_id: string;
  version: number;
  status: string;
  urgency: string;
  acuity: number | null;
  reason_code: string;
  requested_at: Date | string;
  first_contact_due_at: Date | string;
  first_contact_at: Date | string | null;
  patient_id: string;
  mrn: string;
  family_name: string;
  given_name: string;
  preferred_name: string | null;
  birth_date: string;
  interpreter_needed: boolean;
  unit: string | null;
  room: string | null;
  bed: string | null;
  admitted_at: Date | string | null;
  expected_discharge_on: string | null;
  assignee_id: string | null;
  assignee_name: string | null;
  tasks_due: number;
  flag_kinds: string[] | null;
  open_needs: number;
  stalled_referrals: number;
  total: number;
  /** The organisation's calendar day: ages turn on the birthday there, not in UTC. */
  today: string;
}

const iso = (v: Date | string) => new Date(v).toISOString();

/** A sort key: an expression over the page's columns and the direction it takes when sorting "asc". */
type SortKey = [SQL, 'asc' | 'desc'];

const URGENCY_RANK = sql`(case c.urgency when 'emergent' then 0 when 'urgent' then 1 else 2 end)`;
const PRIORITY: SortKey[] = [
  [URGENCY_RANK, 'asc'],
  [sql`c.acuity`, 'desc'],
  [sql`e.admitted_at`, 'asc'],
  [sql`c.requested_at`, 'asc'],
];
const SORT_KEYS: Record<WorklistSort, SortKey[]> = {
  priority: PRIORITY,
  admitted: [[sql`e.admitted_at`, 'asc']],
  expectedDischarge: [[sql`e.expected_discharge_on`, 'asc']],
  name: [
    [sql`lower(p.family_name)`, 'asc'],
    [sql`lower(p.given_name)`, 'asc'],
  ],
  tasksDue: [[sql`td.n`, 'desc']],
};

/** ORDER BY of the page: the chosen sort (flipped for the other direction), then priority, then the case id. */
function orderBy(sort: WorklistSort, dir: 'asc' | 'desc' | undefined): SQL {
  const flip = (dir ?? DEFAULT_SORT_DIRECTION[sort]) !== DEFAULT_SORT_DIRECTION[sort];
  const primary = SORT_KEYS[sort].map(
    ([expr, natural]): SortKey => [expr, flip ? (natural === 'asc' ? 'desc' : 'asc') : natural],
  );
  const keys = sort === 'priority' ? primary : [...primary, ...PRIORITY];
  // Missing values (no encounter, no acuity) go last whichever way the list is sorted.
  const parts = keys.map(([expr, d]) => sql`${expr} ${sql.raw(d)} nulls last`);
  return sql.join([...parts, sql`c.id asc`], sql`, `);
}

/** Which cases the scope holds, and the care-team rule: a worker lists only patients on their care teams. */
function scopeFilter(actor: Actor, q: WorklistQuery): SQL {
  const organisationWide = ORGANISATION_WIDE_ROLES.includes(actor.role);
  if (q.scope !== 'mine' && !organisationWide) {
    throw forbidden('Only supervisors and admins see other caseloads and the unassigned queue');
  }
  const statuses: readonly CaseStatus[] = q.status ? [q.status] : SCOPE_STATUSES[q.scope];
  const conditions: SQL[] = [
    sql`c.organization_id = ${actor.organizationId}`,
    sql`c.closed_at is null`,
    sql`c.status in (${sql.join(
      statuses.map((s) => sql`${s}`),
      sql`, `,
    )})`,
  ];
  if (q.scope === 'mine') conditions.push(sql`c.assigned_to = ${actor.userId}`);
  if (q.scope === 'worker') conditions.push(sql`c.assigned_to = ${q.workerId!}`);
  if (!organisationWide) {
    // One probe of care_team_active_key per case: a worker's cases are few, their care-team patients many.
    conditions.push(
      sql`exists (select 1 from care_team_members ct where ct.patient_id = c.patient_id and ct.user_id = ${actor.userId} and ct.removed_at is null)`,
    );
  }
  if (q.urgency) conditions.push(sql`c.urgency = ${q.urgency}`);
  if (q.unit) conditions.push(sql`e.unit = ${q.unit}`);
  if (q.flag) {
    const stored = sql`exists (select 1 from patient_flags f where f.patient_id = c.patient_id and f.cleared_at is null and f.kind = ${q.flag})`;
    conditions.push(q.flag === 'interpreter-needed' ? sql`(p.interpreter_needed or ${stored})` : stored);
  }
  return sql.join(conditions, sql` and `);
}

const CURRENT_ENCOUNTER_WHERE = sql`e.discharged_at is null and e.admitted_at <= now()
      and e.status not in ('finished', 'cancelled')`;

/**
 * The current encounter: the latest one begun and not discharged, finished nor cancelled (a planned visit
 * to come is not where the patient is). For a few cases (one worker's), one backward probe of
 * encounters_patient_idx per case; for the organisation's queue or all its cases, the organisation's open
 * encounters read once through encounters_unit_idx and hash-joined, which beats thousands of probes.
 */
function currentEncounter(of: SQL, organizationId: string, perRow: boolean): SQL {
  if (perRow) {
    return sql`left join lateral (
      select e.unit, e.room, e.bed, e.admitted_at, e.expected_discharge_on
      from encounters e
      where e.patient_id = ${of} and ${CURRENT_ENCOUNTER_WHERE}
      order by e.admitted_at desc
      limit 1
    ) e on true`;
  }
  return sql`left join (
      select distinct on (e.patient_id) e.patient_id, e.unit, e.room, e.bed, e.admitted_at, e.expected_discharge_on
      from encounters e
      where e.organization_id = ${organizationId} and ${CURRENT_ENCOUNTER_WHERE}
      order by e.patient_id, e.admitted_at desc
    ) e on e.patient_id = ${of}`;
}

/** Open tasks about the patient due before the end of the organisation's day, overdue ones included. */
const tasksDueOf = (patientId: SQL) => sql`left join lateral (
    select count(*)::int as n from tasks t
    where t.patient_id = ${patientId} and t.status = 'open' and t.due_at < (select end_of_day from day)
  ) td on true`;

/**
 * One page of the worklist in one statement. First the scope's cases are ranked on narrow rows (the case,
 * its sort keys and a window count of the whole scope) and cut to the page; then only the page's rows are
 * joined to their patient, encounter, assignee, tasks due and flags. Exported for the benchmark.
 */
export function worklistStatement(actor: Actor, q: WorklistQuery): SQL {
  const perRow = q.scope === 'mine' || q.scope === 'worker';
  const needsPatient = q.sort === 'name' || q.flag === 'interpreter-needed';
  return sql`
    with day as (
      select (date_trunc('day', now() at time zone o.time_zone) + interval '1 day') at time zone o.time_zone as end_of_day,
        to_char(now() at time zone o.time_zone, 'YYYY-MM-DD') as today,
        now() - make_interval(days => o.referral_stall_days) as stall_before
      from organizations o where o.id = ${actor.organizationId}
    ),
    ranked as (
      select c.id as case_id, count(*) over ()::int as total,
        row_number() over (order by ${orderBy(q.sort, q.dir)}) as position
      from cases c
      ${needsPatient ? sql`join patients p on p.id = c.patient_id` : sql``}
      ${currentEncounter(sql`c.patient_id`, actor.organizationId, perRow)}
      ${q.sort === 'tasksDue' ? tasksDueOf(sql`c.patient_id`) : sql``}
      where ${scopeFilter(actor, q)}
      order by position
      limit ${q.pageSize} offset ${(q.page - 1) * q.pageSize}
    )
    select ranked.total, (select today from day) as today, c.id as case_id, c.version, c.status, c.urgency, c.acuity, c.reason_code, c.requested_at,
      c.first_contact_due_at, c.first_contact_at,
      p.id as patient_id, p.mrn, p.family_name, p.given_name, p.preferred_name,
      p.birth_date::text as birth_date, p.interpreter_needed,
      e.unit, e.room, e.bed, e.admitted_at, e.expected_discharge_on::text as expected_discharge_on,
      u.id as assignee_id, u.display_name as assignee_name, td.n as tasks_due, fl.kinds as flag_kinds,
      nd.n as open_needs, rs.n as stalled_referrals
    from ranked
    join cases c on c.id = ranked.case_id
    -- A merged record has no open cases (they move to the survivor); a retired one is never shown.
    join patients p on p.id = c.patient_id and p.retired_at is null
    ${currentEncounter(sql`c.patient_id`, actor.organizationId, true)}
    left join lateral (select u.id, u.display_name from users u where u.id = c.assigned_to) u on true
    ${tasksDueOf(sql`c.patient_id`)}
    left join lateral (
      select array_agg(f.kind) as kinds from patient_flags f where f.patient_id = c.patient_id and f.cleared_at is null
    ) fl on true
    -- One probe of needs_patient_open_idx per row: the predicate must match the partial index's, as literals.
    left join lateral (
      select count(*)::int as n from needs n where n.patient_id = c.patient_id and n.status in ${OPEN_NEED_SQL}
    ) nd on true
    -- One probe of referrals_patient_idx per row: a patient has a handful of referrals.
    left join lateral (
      select count(*)::int as n from referrals r
      where r.patient_id = c.patient_id and r.status in ${ACTIVE_REFERRAL_SQL}
        and r.status_changed_at < (select stall_before from day)
    ) rs on true
    order by ranked.position`;
}

/** One page of the worklist, audited with the patients it shows. */
export async function readWorklist(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: WorklistQuery,
): Promise<{ items: WorklistItem[]; total: number }> {
  const statement = worklistStatement(actor, q);
  const result = await db.execute(statement);
  const rows = (result as unknown as { rows: WorklistRow[] }).rows;
  let total = rows[0]?.total ?? 0;
  if (!rows.length && q.page > 1) total = await countWorklist(db, actor, q);

  const now = new Date();
  const items = rows.map((r) => presentRow(r, now));
  if (items.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'worklist.read',
      outcome: 'success',
      recordKind: 'patient',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: {
        patientIds: [...new Set(items.map((i) => i.patient.id))],
        scope: q.scope,
        ...(q.workerId ? { workerId: q.workerId } : {}),
      },
    });
  }
  return { items, total };
}

/** The total when the page asked for lies past the end (the window count has no row to ride on). */
async function countWorklist(db: Db, actor: Actor, q: WorklistQuery): Promise<number> {
  const result = await db.execute(sql`
    select count(*)::int as n from cases c
    join patients p on p.id = c.patient_id
    ${currentEncounter(sql`c.patient_id`, actor.organizationId, q.scope === 'mine' || q.scope === 'worker')}
    where ${scopeFilter(actor, q)}`);
  return (result as unknown as { rows: { n: number }[] }).rows[0]?.n ?? 0;
}

function presentRow(r: WorklistRow, now: Date): WorklistItem {
  const overdue = !r.first_contact_at && new Date(r.first_contact_due_at).getTime() < now.getTime();
  return {
    case: {
      id: r.case_id,
      version: r.version,
      status: r.status as CaseStatus,
      urgency: r.urgency as Urgency,
      acuity: r.acuity,
      reasonCode: r.reason_code,
      requestedAt: iso(r.requested_at),
      firstContactDueAt: iso(r.first_contact_due_at),
      firstContactAt: r.first_contact_at ? iso(r.first_contact_at) : null,
      firstContactOverdue: overdue,
    },
    patient: {
      id: r.patient_id,
      mrn: r.mrn,
      familyName: r.family_name,
      givenName: r.given_name,
      preferredName: r.preferred_name,
      birthDate: r.birth_date,
      age: ageInYears(r.birth_date, localDay(r.today)),
    },
    encounter: r.admitted_at
      ? {
          unit: r.unit,
          room: r.room,
          bed: r.bed,
          admittedAt: iso(r.admitted_at),
          daysSinceAdmission: daysSinceAdmission(r.admitted_at, now),
          expectedDischargeOn: r.expected_discharge_on,
        }
      : null,
    assignee: r.assignee_id ? { id: r.assignee_id, displayName: r.assignee_name ?? '' } : null,
    tasksDue: r.tasks_due ?? 0,
    openNeeds: r.open_needs ?? 0,
    stalledReferrals: r.stalled_referrals ?? 0,
    flags: flagsBySeverity([
      ...(r.flag_kinds ?? []),
      ...(r.interpreter_needed ? ['interpreter-needed'] : []),
    ]),
  };
}

/** The units of the organisation's current encounters, for the unit filter (encounters_unit_idx). */
export async function worklistUnits(db: Db, actor: Actor): Promise<string[]> {
  const result = await db.execute(sql`
    select distinct e.unit from encounters e
    where e.organization_id = ${actor.organizationId} and e.discharged_at is null and e.unit is not null
    order by e.unit`);
  return (result as unknown as { rows: { unit: string }[] }).rows.map((r) => r.unit);
}
