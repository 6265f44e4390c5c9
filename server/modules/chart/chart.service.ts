import { type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { Urgency } from '../../../domain/casework.ts';
import { ageInYears, daysSinceAdmission, flagsBySeverity, localDay } from '../../../domain/chart-facts.ts';
import { FLAG_KINDS, type FlagKind } from '../../../domain/flags.ts';
import type {
  ChartCareTeamMember,
  ChartRepresentative,
  PatientChart,
  TimelineEntry,
  TimelinePage,
  TimelineQuery,
} from '../../../domain/schemas/chart.ts';
import { TIMELINE_KIND_CODES, TIMELINE_KINDS, type TimelineKind } from '../../../domain/timeline.ts';
import type { CaseStatus } from '../../../domain/workflows/case.ts';
import type { Db } from '../../db/client.ts';
import { type PatientAccess, patientAbilities } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { invalid } from '../../platform/errors.ts';
import { readTimeline } from '../../platform/timeline/timeline.service.ts';

/*
 * A read model (docs/decisions/004-worklist-and-chart-read-models.md): the chart header reads the patient's
 * flags, representatives, care team, current encounter, open cases and open tasks in one statement of
 * indexed subqueries, run beside the timeline's page, instead of one call per owning module.
 */

interface HeaderRow {
  flags: { id: string; kind: string; note: string | null; raisedAt: string }[];
  representatives: z.infer<typeof ChartRepresentative>[];
  care_team: z.infer<typeof ChartCareTeamMember>[];
  encounter: {
    id: string;
    encounterClass: string;
    unit: string | null;
    room: string | null;
    bed: string | null;
    attendingName: string | null;
    admittedAt: string;
    expectedDischargeOn: string | null;
  } | null;
  open_cases: {
    id: string;
    version: number;
    status: string;
    urgency: string;
    acuity: number | null;
    reasonCode: string;
    requestedAt: string;
    firstContactDueAt: string;
    firstContactAt: string | null;
    assigneeId: string | null;
    assigneeName: string | null;
  }[];
  open_tasks: number;
  /** The organisation's calendar day, YYYY-MM-DD: ages turn on the patient's birthday there, not in UTC. */
  today: string;
}

/** A timestamp as ISO 8601 in UTC with milliseconds, inside a JSON object. */
const isoOf = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Everything the header shows besides the patient row, in one statement (exported for the benchmark). */
export function chartHeaderStatement(organizationId: string, patientId: string): SQL {
  return sql`
    select
      (select coalesce(json_agg(json_build_object(
          'id', f.id, 'kind', f.kind, 'note', f.note, 'raisedAt', ${isoOf(sql`f.raised_at`)})
          order by f.raised_at desc), '[]'::json)
        from patient_flags f
        where f.patient_id = ${patientId} and f.cleared_at is null) as flags,
      (select coalesce(json_agg(json_build_object(
          'id', pc.id, 'name', pc.name, 'relationship', pc.relationship,
          'legalGuardian', pc.is_legal_guardian, 'personalRepresentative', pc.is_personal_representative,
          'phone', pc.phones -> 0 ->> 'number', 'sharingAuthorized', pc.sharing_authorized,
          'sharingScope', pc.sharing_scope, 'sharingExpiresOn', pc.sharing_expires_on)
          order by pc.is_legal_guardian desc, pc.name), '[]'::json)
        from patient_contacts pc
        where pc.patient_id = ${patientId} and pc.organization_id = ${organizationId} and pc.retired_at is null
          and (pc.is_legal_guardian or pc.is_personal_representative)) as representatives,
      (select coalesce(json_agg(json_build_object(
          'userId', u.id, 'displayName', u.display_name, 'role', u.role, 'teamRole', ct.team_role)
          order by ct.added_at), '[]'::json)
        from care_team_members ct join users u on u.id = ct.user_id
        where ct.patient_id = ${patientId} and ct.removed_at is null) as care_team,
      (select json_build_object(
          'id', e.id, 'encounterClass', e.encounter_class, 'unit', e.unit, 'room', e.room, 'bed', e.bed,
          'attendingName', e.attending_name, 'admittedAt', ${isoOf(sql`e.admitted_at`)},
          'expectedDischargeOn', e.expected_discharge_on)
        from encounters e
        where e.patient_id = ${patientId} and e.discharged_at is null and e.admitted_at <= now()
          and e.status not in ('finished', 'cancelled')
        order by e.admitted_at desc limit 1) as encounter,
      (select coalesce(json_agg(json_build_object(
          'id', c.id, 'version', c.version, 'status', c.status, 'urgency', c.urgency, 'acuity', c.acuity,
          'reasonCode', c.reason_code, 'requestedAt', ${isoOf(sql`c.requested_at`)},
          'firstContactDueAt', ${isoOf(sql`c.first_contact_due_at`)},
          'firstContactAt', ${isoOf(sql`c.first_contact_at`)},
          'assigneeId', u.id, 'assigneeName', u.display_name)
          order by case c.urgency when 'emergent' then 0 when 'urgent' then 1 else 2 end, c.requested_at),
          '[]'::json)
        from cases c left join users u on u.id = c.assigned_to
        where c.patient_id = ${patientId} and c.organization_id = ${organizationId}
          and c.closed_at is null) as open_cases,
      (select count(*)::int from tasks t
        where t.patient_id = ${patientId} and t.status = 'open') as open_tasks,
      (select to_char(now() at time zone o.time_zone, 'YYYY-MM-DD') from organizations o
        where o.id = ${organizationId}) as today`;
}

async function readHeader(db: Db, organizationId: string, patientId: string): Promise<HeaderRow> {
  const result = await db.execute(chartHeaderStatement(organizationId, patientId));
  return (result as unknown as { rows: HeaderRow[] }).rows[0]!;
}

/** One page of the patient's timeline as the API shows it; a page past the last one is refused. */
export async function readPatientTimeline(
  db: Db,
  patientId: string,
  q: Pick<TimelineQuery, 'kinds' | 'page' | 'pageSize'>,
): Promise<TimelinePage> {
  const { items, total } = await readTimeline(db, patientId, q);
  if (!items.length && q.page > 1) {
    const last = Math.max(1, Math.ceil(total / q.pageSize));
    throw invalid([{ field: 'query.page', message: `is past the last page (${last})` }]);
  }
  return {
    items: items.map(
      (e): TimelineEntry => ({
        id: e.id,
        kind: e.kind,
        occurredAt: e.occurredAt.toISOString(),
        summary: e.summary,
        actorName: e.actorName ?? null,
        recordKind: e.recordKind ?? null,
        recordId: e.recordId ?? null,
        link:
          TIMELINE_KINDS[e.kind as TimelineKind]?.link(patientId, e.recordId ?? undefined) ??
          `/patients/${patientId}`,
      }),
    ),
    page: q.page,
    pageSize: q.pageSize,
    total,
  };
}

export const TIMELINE_KIND_OPTIONS = TIMELINE_KIND_CODES.map((code) => ({
  code,
  label: TIMELINE_KINDS[code].label,
}));

/** The chart: the header a social worker must see first and the first page of the timeline. */
export async function readChart(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  timeline: Pick<TimelineQuery, 'kinds' | 'page' | 'pageSize'>,
): Promise<PatientChart> {
  const p = access.patient;
  const [header, page] = await Promise.all([
    readHeader(db, actor.organizationId, p.id),
    readPatientTimeline(db, p.id, timeline),
  ]);
  const now = new Date();
  const stored = header.flags
    .filter((f) => f.kind in FLAG_KINDS)
    .map((f) => ({ ...f, kind: f.kind as FlagKind }));
  // interpreter-needed is derived from the record unless someone raised it as a flag (with a note).
  const derived =
    p.interpreterNeeded && !stored.some((f) => f.kind === 'interpreter-needed')
      ? [{ id: null, kind: 'interpreter-needed' as const, note: null, raisedAt: null }]
      : [];
  const rank = flagsBySeverity([...stored, ...derived].map((f) => f.kind));
  const flags = [...stored, ...derived].sort((a, b) => rank.indexOf(a.kind) - rank.indexOf(b.kind));
  return {
    patient: {
      id: p.id,
      mrn: p.mrn,
      familyName: p.familyName,
      givenName: p.givenName,
      middleName: p.middleName,
      preferredName: p.preferredName,
      pronouns: p.pronouns,
      birthDate: p.birthDate,
      age: ageInYears(p.birthDate, localDay(header.today)),
      sex: p.sex,
      preferredLanguage: p.preferredLanguage,
      interpreterNeeded: p.interpreterNeeded,
      codeStatus: p.codeStatus,
      codeStatusRecordedAt: p.codeStatusRecordedAt?.toISOString() ?? null,
    },
    flags,
    representatives: header.representatives,
    careTeam: header.care_team,
    encounter: header.encounter
      ? { ...header.encounter, daysSinceAdmission: daysSinceAdmission(header.encounter.admittedAt, now) }
      : null,
    openCases: header.open_cases.map((c) => ({
      id: c.id,
      version: c.version,
      status: c.status as CaseStatus,
      urgency: c.urgency as Urgency,
      acuity: c.acuity,
      reasonCode: c.reasonCode,
      requestedAt: c.requestedAt,
      firstContactOverdue: !c.firstContactAt && new Date(c.firstContactDueAt).getTime() < now.getTime(),
      assignee: c.assigneeId ? { id: c.assigneeId, displayName: c.assigneeName ?? '' } : null,
    })),
    openTasks: header.open_tasks,
    abilities: patientAbilities(actor, access.relation),
    emergencyAccessUntil:
      access.emergency && access.relation.emergencyUntil
        ? access.relation.emergencyUntil.toISOString()
        : null,
    timeline: page,
    timelineKinds: TIMELINE_KIND_OPTIONS,
  };
}
