import { sql } from 'drizzle-orm';
import {
  BARRIERS,
  type BarrierCode,
  DISCHARGE_NEED_CODES,
  followUpWindow,
} from '../../../domain/discharge.ts';
import type { CharlsonCondition } from '../../../domain/instruments/lace.ts';
import { DISPOSITIONS, type Disposition } from '../../../domain/schemas/encounters.ts';
import {
  dischargeBarriers,
  dischargeFollowUpCalls,
  dischargePlans,
} from '../../modules/discharge/discharge.tables.ts';
import { encounters } from '../../modules/encounters/encounters.tables.ts';
import { tasks } from '../../modules/tasks/tasks.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import type { DbOrTx } from '../client.ts';
import { DAY, HOUR, MINUTE } from './context.ts';
import { demoRandom } from './random.ts';

/*
 * Discharge plans for the demo's inpatients, as the plan lifecycle and the workers would have left them: an
 * open plan for every stay in progress (a target, needs, some LACE entries, and barriers on about a third,
 * some still holding the patient), and closed plans for the stays that ended in the last ten days, with the
 * follow-up call task for the recent ones and one call already made. Same seed and `now`, same rows.
 */

interface Stay {
  id: string;
  patient_id: string;
  admitted_at: Date | string;
  discharged_at: Date | string | null;
  discharge_disposition: string | null;
  worker_id: string | null;
}

const TARGETS = ['home', 'home-with-services', 'home-health', 'snf', 'inpatient-rehab', 'hospice'] as const;
const CONDITIONS: readonly CharlsonCondition[] = [
  'congestive-heart-failure',
  'chronic-pulmonary-disease',
  'diabetes-uncomplicated',
  'dementia',
  'mild-liver-or-renal-disease',
  'myocardial-infarction',
];
const DEMO_BARRIERS: readonly BarrierCode[] = [
  'awaiting-placement',
  'insurance-authorization',
  'caregiver-unavailable',
  'equipment',
  'guardianship',
  'housing',
  'patient-family-decision',
  'transport',
];

async function stays(db: DbOrTx, organizationId: string, since: number): Promise<Stay[]> {
  const result = await db.execute(sql`
    select e.id, e.patient_id, e.admitted_at, e.discharged_at, e.discharge_disposition,
      (select ct.user_id from care_team_members ct join users u on u.id = ct.user_id
        where ct.patient_id = e.patient_id and ct.removed_at is null and u.role = 'social_worker'
        order by ct.added_at, ct.user_id limit 1) as worker_id
    from encounters e
    where e.organization_id = ${organizationId} and e.encounter_class = 'inpatient' and e.status <> 'cancelled'
      and (e.discharged_at is null or e.discharged_at >= ${new Date(since).toISOString()}::timestamptz)
    order by e.admitted_at, e.id`);
  return (result as unknown as { rows: Stay[] }).rows;
}

export async function writeDemoDischarge(
  db: DbOrTx,
  opts: { seed: number; now: number; organizationId: string },
): Promise<number> {
  const r = demoRandom(opts.seed ^ 0x5d15c4);
  const { organizationId, now } = opts;
  const rows = await stays(db, organizationId, now - 10 * DAY);
  const timeline: (typeof timelineEvents.$inferInsert)[] = [];
  const on = (
    patientId: string,
    at: number,
    summary: string,
    recordKind: string,
    recordId: string,
    actorId: string | null,
  ) =>
    timeline.push({
      id: r.id(at),
      organizationId,
      patientId,
      kind: 'discharge',
      summary,
      actorId,
      occurredAt: new Date(at),
      recordKind,
      recordId,
    });
  let calls = 0;
  for (const stay of rows) {
    const admitted = new Date(stay.admitted_at).getTime();
    const discharged = stay.discharged_at ? new Date(stay.discharged_at).getTime() : null;
    const opened = Math.min(now, admitted + MINUTE);
    const planId = r.id(opened);
    const worker = stay.worker_id;
    const edited = worker && r.chance(0.7);
    const target = edited ? r.pick(TARGETS) : null;
    const needs = edited ? DISCHARGE_NEED_CODES.filter(() => r.chance(0.15)).slice(0, 3) : [];
    const comorbidities = edited && r.chance(0.6) ? CONDITIONS.filter(() => r.chance(0.3)) : undefined;
    // Most admissions of the demo came through the emergency department (LACE "A").
    if (r.chance(0.65)) {
      await db
        .update(encounters)
        .set({ admissionType: 'E', admitSource: '7' })
        .where(sql`${encounters.id} = ${stay.id} and ${encounters.admissionType} is null`);
    }
    let followUpTaskId: string | null = null;
    let pendingCall: typeof dischargeFollowUpCalls.$inferInsert | null = null;
    const recent =
      discharged !== null &&
      worker !== null &&
      !['expired', 'transferred'].includes(stay.discharge_disposition ?? '');
    if (recent && discharged !== null && worker) {
      const window = followUpWindow(new Date(discharged));
      const made = Math.min(now, discharged + MINUTE);
      followUpTaskId = r.id(made);
      const called = calls === 0 && now - discharged > 2.5 * DAY;
      const calledAt = discharged + 50 * HOUR;
      await db.insert(tasks).values({
        id: followUpTaskId,
        organizationId,
        patientId: stay.patient_id,
        title: 'Post-discharge follow-up call',
        detail: 'Call the patient 48 to 72 hours after discharge: reached, services started, new needs.',
        kind: 'follow-up-call',
        priority: 'routine',
        assigneeId: worker,
        dueAt: window.opensAt,
        status: called ? 'done' : 'open',
        completedAt: called ? new Date(calledAt) : null,
        completedBy: called ? worker : null,
        createdAt: new Date(made),
        updatedAt: new Date(called ? calledAt : made),
      });
      if (called) {
        calls += 1;
        const callId = r.id(calledAt);
        pendingCall = {
          id: callId,
          organizationId,
          planId,
          patientId: stay.patient_id,
          taskId: followUpTaskId,
          calledAt: new Date(calledAt),
          reached: true,
          servicesStarted: 'yes',
          newNeeds: [],
          note: 'Home health nurse visited yesterday; medications picked up. No new concerns.',
          calledBy: worker,
          createdAt: new Date(calledAt),
        };
        on(
          stay.patient_id,
          calledAt,
          'Follow-up call: patient reached',
          'discharge-follow-up-call',
          callId,
          worker,
        );
      }
    }
    await db.insert(dischargePlans).values({
      id: planId,
      organizationId,
      patientId: stay.patient_id,
      encounterId: stay.id,
      status: discharged ? 'closed' : 'open',
      targetDisposition: target,
      anticipatedNeeds: needs,
      laceInputs: comorbidities ? { comorbidities } : {},
      note:
        edited && r.chance(0.3) ? 'Daughter is the main support; prefers a facility near her home.' : null,
      actualDisposition: discharged ? stay.discharge_disposition : null,
      closedAt: discharged ? new Date(discharged) : null,
      followUpTaskId,
      createdBy: null,
      version: edited ? 2 : 1,
      createdAt: new Date(opened),
      updatedAt: new Date(discharged ?? Math.min(now, admitted + 2 * HOUR)),
    });
    // The call (its plan and task now written).
    if (pendingCall) await db.insert(dischargeFollowUpCalls).values(pendingCall);
    on(stay.patient_id, opened, 'Discharge plan opened', 'discharge-plan', planId, null);
    // Barriers on about a third of the stays of two days or more, from a day after admission.
    const end = discharged ?? now;
    if (worker && end - admitted > 2 * DAY && r.chance(0.35)) {
      const first = admitted + DAY + r.int(0, 12) * HOUR;
      const code = r.pick(DEMO_BARRIERS);
      const open = !discharged && r.chance(0.6);
      const ended = open ? null : Math.min(end, first + r.int(1, 4) * DAY);
      const barrierId = r.id(first);
      await db.insert(dischargeBarriers).values({
        id: barrierId,
        organizationId,
        planId,
        patientId: stay.patient_id,
        code,
        startedAt: new Date(first),
        endedAt: ended === null ? null : new Date(ended),
        recordedBy: worker,
        createdAt: new Date(first),
        updatedAt: new Date(ended ?? first),
      });
      on(
        stay.patient_id,
        first,
        `Discharge barrier: ${BARRIERS[code]}`,
        'discharge-barrier',
        barrierId,
        worker,
      );
      if (ended !== null && ended < now && ended !== discharged)
        on(
          stay.patient_id,
          ended,
          `Discharge barrier ended: ${BARRIERS[code]}`,
          'discharge-barrier',
          barrierId,
          worker,
        );
    }
    if (discharged) {
      const why = followUpTaskId ? '; follow-up call due in 48 to 72 hours' : '';
      const label = DISPOSITIONS[stay.discharge_disposition as Disposition] ?? 'disposition not given';
      on(
        stay.patient_id,
        discharged,
        `Discharge plan closed: ${label}${why}`,
        'discharge-plan',
        planId,
        null,
      );
    }
  }
  if (timeline.length) {
    for (let i = 0; i < timeline.length; i += 500)
      await db.insert(timelineEvents).values(timeline.slice(i, i + 500));
  }
  return rows.length;
}
