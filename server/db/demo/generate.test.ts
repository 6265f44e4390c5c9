import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONSULT_TARGETS, firstContactDue, type Urgency } from '../../../domain/casework.ts';
import {
  type Answers,
  getInstrument,
  type Instrument,
  questionnaireUrl,
  readResponse,
  scoreResponse,
} from '../../../domain/instruments/index.ts';
import { TIMELINE_KIND_CODES } from '../../../domain/timeline.ts';
import { CASE_STATUSES, CASE_TRANSITIONS, type CaseStatus } from '../../../domain/workflows/case.ts';
import { decideNeedTransition, type NeedAction, type NeedStatus } from '../../../domain/workflows/need.ts';
import { users } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase, testEngine } from '../../test/database.ts';
import { signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import type { Database } from '../client.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, demoSeed, seedDemo } from '../seed-demo.ts';
import { DEPARTMENT_SIZES, profileCounts } from './generate.ts';

// A Wednesday afternoon in Boston: the demo department as it would look then.
const NOW = new Date('2026-03-11T19:30:00Z');
const SLOW = { timeout: 120_000 };

const TABLES = [
  'organizations',
  'users',
  'patients',
  'care_team_members',
  'patient_contacts',
  'encounters',
  'cases',
  'case_transitions',
  'assessments',
  'assessment_handoffs',
  'assessment_alarms',
  'observations',
  'needs',
  'need_findings',
  'need_transitions',
  'tasks',
  'messages',
  'message_mentions',
  'patient_flags',
  'notifications',
  'timeline_events',
  'newsletter_lists',
  'newsletter_subscribers',
  'newsletter_subscriptions',
  'newsletter_issues',
  'newsletter_deliveries',
];

/** A digest of every generated column of every table (password hashes are salted, so they are left out). */
async function digest(database: Database): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const table of TABLES) {
    const [row] = await database.query<{ md5: string; n: number }>(
      `select md5(coalesce(string_agg(r, '|' order by r), '')) as md5, count(*)::int as n
         from (select (to_jsonb(t) - 'password_hash')::text as r from ${table} t) rows`,
    );
    out[table] = `${row!.n}:${row!.md5}`;
  }
  return out;
}

const rows = <T>(database: Database, text: string) => database.query<T>(text);

/** Stored answers as the QuestionnaireResponse the API would take, to check them against the instrument. */
const toResponse = (instrument: Instrument, answers: Answers) => ({
  resourceType: 'QuestionnaireResponse' as const,
  questionnaire: `${questionnaireUrl(instrument)}|${instrument.version}`,
  status: 'completed' as const,
  item: Object.entries(answers).map(([linkId, codes]) => ({
    linkId,
    answer: codes.map((code) => ({ valueCoding: { code } })),
  })),
});

describe(`the demo department on ${testEngine}`, () => {
  let first: TestDatabase;
  let second: TestDatabase;

  beforeAll(async () => {
    [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
    await seedDemo(first, { seed: 2026, now: NOW });
    await seedDemo(second, { seed: 2026, now: NOW });
  }, 180_000);
  afterAll(async () => {
    await first?.drop();
    await second?.drop();
  });

  it('is the same, ids included, when generated twice from one seed number', SLOW, async () => {
    const [a, b] = await Promise.all([digest(first), digest(second)]);
    expect(a).toEqual(b);
    expect(a.patients).toMatch(/^150:/);
  });

  it('is a different department from another seed number', SLOW, async () => {
    const other = await createTestDatabase();
    try {
      await seedDemo(other, { seed: 7, now: NOW });
      const [a, b] = await Promise.all([digest(first), digest(other)]);
      expect(b.patients).not.toEqual(a.patients);
      expect(b.cases).not.toEqual(a.cases);
    } finally {
      await other.drop();
    }
  });

  it('has newsletter readers, two issues in the archive with their deliveries, and a draft', async () => {
    const issues = await rows<{ status: string; recipients: number; deliveries: number }>(
      first,
      `select i.status, (i.progress->>'recipients')::int as recipients,
              (select count(*)::int from newsletter_deliveries d where d.issue_id = i.id) as deliveries
         from newsletter_issues i order by i.created_at`,
    );
    expect(issues.map((i) => i.status)).toEqual(['sent', 'sent', 'draft']);
    for (const sent of issues.slice(0, 2)) expect(sent.deliveries).toBe(sent.recipients);
    expect(issues[1]!.recipients).toBeGreaterThan(issues[0]!.recipients);
    const [readers] = await rows<{ n: number; domains: string[] }>(
      first,
      `select count(*)::int as n, array_agg(distinct split_part(email, '@', 2)) as domains
         from newsletter_subscribers where status = 'active'`,
    );
    expect(readers).toEqual({ n: 48, domains: ['example.org'] });
  });

  it('takes the seed number from KITH_DEMO_SEED, and refuses one that is not a whole number', () => {
    expect(demoSeed({})).toBe(2026);
    expect(demoSeed({ KITH_DEMO_SEED: '42' })).toBe(42);
    expect(() => demoSeed({ KITH_DEMO_SEED: 'forty-two' })).toThrow(/KITH_DEMO_SEED must be a whole number/);
  });

  it('has the demo logins, the three units and 150 patients', async () => {
    const staff = await rows<{ email: string; role: string }>(
      first,
      'select email, role from users order by email',
    );
    expect(staff.map((s) => s.email).sort()).toEqual(DEMO_ACCOUNTS.map((a) => a.email).sort());
    const roles: Record<string, number> = {};
    for (const s of staff) roles[s.role] = (roles[s.role] ?? 0) + 1;
    expect(roles).toMatchObject({ social_worker: 6, supervisor: 1, clinician: 2, admin: 1 });
    const units = await rows<{ unit: string }>(
      first,
      `select distinct unit from encounters where encounter_class = 'inpatient' and discharged_at is null order by unit`,
    );
    expect(units.map((u) => u.unit)).toEqual(['4 West Medicine', '5 East Cardiac', 'ICU']);
    const [org] = await rows<{ slug: string }>(first, 'select slug from organizations');
    expect(org!.slug).toBe('riverside');
  });

  it('has cases in every state, each with a history the workflow allows, ending in its state', async () => {
    const cases = await rows<{
      id: string;
      status: CaseStatus;
      urgency: Urgency;
      requested_at: Date;
      first_contact_due_at: Date;
      assigned_to: string | null;
      close_reason: string | null;
      version: number;
    }>(first, 'select * from cases');
    expect([...new Set(cases.map((c) => c.status))].sort()).toEqual([...CASE_STATUSES].sort());
    const history = await rows<{
      case_id: string;
      action: string;
      from_status: string | null;
      to_status: string;
      to_assignee: string | null;
    }>(
      first,
      'select case_id, action, from_status, to_status, to_assignee from case_transitions order by at, id',
    );
    const byCase = new Map<string, typeof history>();
    for (const h of history) byCase.set(h.case_id, [...(byCase.get(h.case_id) ?? []), h]);
    for (const c of cases) {
      const steps = byCase.get(c.id)!;
      expect(steps[0]).toMatchObject({ action: 'open', from_status: null, to_status: 'new' });
      for (const [i, step] of steps.entries()) {
        if (i === 0) continue;
        expect(step.from_status).toBe(steps[i - 1]!.to_status);
        const rule = CASE_TRANSITIONS.find((t) => t.action === step.action)!;
        expect(rule.from).toContain(step.from_status);
      }
      const last = steps.at(-1)!;
      expect(last.to_status).toBe(c.status);
      expect(last.to_assignee).toBe(c.assigned_to);
      expect(c.version).toBe(steps.length);
      expect(c.close_reason !== null).toBe(c.status === 'closed');
      // The due time is the organisation's target for the urgency, from the time of the request.
      expect(new Date(c.first_contact_due_at).getTime()).toBe(
        firstContactDue(
          new Date(c.requested_at),
          c.urgency,
          DEFAULT_CONSULT_TARGETS,
          'America/New_York',
        ).getTime(),
      );
    }
  });

  it('marks some consults overdue and some first contacts late', async () => {
    const [timing] = await rows<{ overdue: number; late: number; on_time: number }>(
      first,
      `select count(*) filter (where first_contact_at is null and closed_at is null and first_contact_due_at < '${NOW.toISOString()}')::int as overdue,
              count(*) filter (where first_contact_at > first_contact_due_at)::int as late,
              count(*) filter (where first_contact_at <= first_contact_due_at)::int as on_time
         from cases`,
    );
    expect(timing!.overdue).toBeGreaterThan(0);
    expect(timing!.late).toBeGreaterThan(0);
    expect(timing!.on_time).toBeGreaterThan(timing!.late);
  });

  it('puts the assigned worker and the requesting clinician of every open case on the care team', async () => {
    const missing = await rows(
      first,
      `select c.id from cases c
        where c.status in ('assigned', 'active')
          and (not exists (select 1 from care_team_members m where m.patient_id = c.patient_id
                             and m.user_id = c.assigned_to and m.removed_at is null)
            or not exists (select 1 from care_team_members m where m.patient_id = c.patient_id
                             and m.user_id = c.requested_by and m.removed_at is null))`,
    );
    expect(missing).toEqual([]);
    const caseloads = await rows<{ n: number }>(
      first,
      `select count(*)::int as n from cases where status in ('assigned', 'active') group by assigned_to`,
    );
    expect(caseloads.length).toBe(6);
    expect(caseloads.reduce((sum, c) => sum + c.n, 0)).toBe(profileCounts(DEPARTMENT_SIZES).caseload);
  });

  it('has nothing dated after "now", and every timeline entry of a registered kind', async () => {
    const late = await rows(
      first,
      `select 'timeline' from timeline_events where occurred_at > '${NOW.toISOString()}'
       union all select 'transition' from case_transitions where at > '${NOW.toISOString()}'
       union all select 'message' from messages where created_at > '${NOW.toISOString()}'
       union all select 'task' from tasks where created_at > '${NOW.toISOString()}' or completed_at > '${NOW.toISOString()}'
       union all select 'notification' from notifications where created_at > '${NOW.toISOString()}'
       union all select 'assessment' from assessments where started_at > '${NOW.toISOString()}' or completed_at > '${NOW.toISOString()}'
       union all select 'need' from need_transitions where at > '${NOW.toISOString()}'`,
    );
    expect(late).toEqual([]);
    const kinds = await rows<{ kind: string }>(
      first,
      'select distinct kind from timeline_events order by kind',
    );
    expect(kinds.map((k) => k.kind)).toEqual([...TIMELINE_KIND_CODES].sort());
  });

  it('has patients who need an interpreter, families with guardians, agents and expired authorisations', async () => {
    const [people] = await rows<Record<string, number>>(
      first,
      `select
         (select count(distinct preferred_language)::int from patients
           where interpreter_needed and preferred_language in ('es', 'zh', 'yue', 'vi', 'ht')) as languages,
         (select count(*)::int from patient_contacts where is_legal_guardian) as guardians,
         (select count(*)::int from patient_contacts where is_personal_representative and not is_legal_guardian) as agents,
         (select count(*)::int from patient_contacts where sharing_expires_on < '${NOW.toISOString().slice(0, 10)}') as expired,
         (select count(*)::int from patients p where not exists (select 1 from patient_contacts c where c.patient_id = p.id)) as alone,
         (select count(*)::int from (select patient_id from patient_contacts group by 1 having count(*) > 3) x) as crowded,
         (select count(distinct i->>'payerType')::int from patients, jsonb_array_elements(insurance) i) as payer_kinds,
         (select count(*)::int from patients, jsonb_array_elements(insurance) i where i->>'payerType' = 'self-pay') as uninsured`,
    );
    expect(people!.languages).toBeGreaterThanOrEqual(4);
    expect(people!.guardians).toBeGreaterThan(0);
    expect(people!.agents).toBeGreaterThan(0);
    expect(people!.expired).toBeGreaterThan(0);
    expect(people!.alone).toBe(0);
    expect(people!.crowded).toBe(0);
    expect(people!.payer_kinds).toBeGreaterThanOrEqual(4);
    expect(people!.uninsured).toBeGreaterThan(0);
  });

  it('gives workers open tasks due today and overdue, message threads with mentions, and flags', async () => {
    const [work] = await rows<Record<string, number>>(
      first,
      `select
         (select count(*)::int from tasks where status = 'open' and due_at < '${NOW.toISOString()}') as overdue,
         (select count(*)::int from tasks where status = 'open' and due_at >= '${NOW.toISOString()}'
            and due_at < '${new Date(NOW.getTime() + 86_400_000).toISOString()}') as due_soon,
         (select count(*)::int from tasks where status = 'done') as done,
         (select count(*)::int from messages where thread_id is not null) as replies,
         (select count(*)::int from message_mentions) as mentions,
         (select count(*)::int from notifications where kind = 'mention') as mention_notices,
         (select count(*)::int from patient_flags where kind = 'crisis-risk' and cleared_at is null) as crisis`,
    );
    expect(work!.overdue).toBeGreaterThan(0);
    expect(work!.due_soon).toBeGreaterThan(0);
    expect(work!.done).toBeGreaterThan(0);
    expect(work!.replies).toBeGreaterThan(0);
    expect(work!.mentions).toBeGreaterThan(0);
    expect(work!.mention_notices).toBeGreaterThan(0);
    expect(work!.crisis).toBeGreaterThan(0);
  });

  it('stores every completed screen as the instrument engine scores its answers', async () => {
    const screens = await rows<{
      id: string;
      instrument_id: string;
      instrument_version: string;
      answers: Record<string, string[]>;
      result: unknown;
      score: number | null;
      band: string;
      screened_domains: string[];
      positive_domains: string[];
      alarms: unknown;
      root_id: string;
      amends_id: string | null;
      superseded_by_id: string | null;
      observations: number;
      superseded_observations: number;
    }>(
      first,
      `select a.*,
              (select count(*)::int from observations o where o.assessment_id = a.id) as observations,
              (select count(*)::int from observations o where o.assessment_id = a.id and o.superseded_at is not null) as superseded_observations
         from assessments a where status = 'completed' and instrument_id <> 'psychosocial'`,
    );
    expect(screens.length).toBeGreaterThan(50);
    for (const a of screens) {
      const instrument = getInstrument(a.instrument_id, a.instrument_version)!;
      const result = scoreResponse(instrument, a.answers);
      const read = readResponse(instrument, toResponse(instrument, a.answers));
      expect(read.ok ? [] : read.errors).toEqual([]);
      expect(a).toMatchObject({
        result,
        score: result.score,
        band: result.band,
        screened_domains: [...instrument.screens],
        positive_domains: result.positiveDomains,
        alarms: result.alarms,
      });
      expect(a.root_id === a.id).toBe(a.amends_id === null);
      // Its FHIR Observations, as the assessments service stores them; an amended original's are superseded.
      expect(a.observations).toBeGreaterThan(0);
      expect(a.superseded_observations).toBe(a.superseded_by_id === null ? 0 : a.observations);
    }
  });

  it('has AHC screens for most adult inpatients, PHQ-9 trends, drafts, declines, and the needs they found', async () => {
    const [counts] = await rows<Record<string, number>>(
      first,
      `select
         (select count(*)::int from assessments where instrument_id = 'ahc-hrsn' and status = 'completed') as ahc,
         (select count(*)::int from assessments where status = 'draft') as drafts,
         (select count(*)::int from assessments where status = 'declined') as declined,
         (select count(*)::int from assessments where instrument_id = 'gad-7') as gad,
         (select count(*)::int from assessments where instrument_id = 'psychosocial' and status = 'completed'
            and content ? 'summary' and content ? 'substanceUse') as psychosocial,
         (select count(*)::int from assessments where instrument_id in ('hits', 'cssrs-screener')) as safety,
         (select max(n)::int from (select count(*) as n from assessments
            where instrument_id = 'phq-9' and status = 'completed' group by patient_id) t) as longest_trend,
         (select count(*)::int from needs where status = 'identified') as open_needs,
         (select count(*)::int from needs where status in ('resolved', 'declined')) as closed_needs`,
    );
    expect(counts!.ahc).toBeGreaterThan(40);
    expect(counts!.drafts).toBeGreaterThan(0);
    expect(counts!.psychosocial).toBeGreaterThan(0);
    expect(counts!.declined).toBeGreaterThan(0);
    expect(counts!.gad).toBeGreaterThan(0);
    expect(counts!.safety).toBeGreaterThan(0);
    expect(counts!.longest_trend).toBeGreaterThanOrEqual(3);
    expect(counts!.open_needs).toBeGreaterThan(0);
    expect(counts!.closed_needs).toBeGreaterThan(0);
  });

  it('links each need to the screens that found it, with a history the need workflow allows', async () => {
    const bad = await rows(
      first,
      `select n.id from needs n
        where not exists (select 1 from need_findings f join assessments a on a.id = f.assessment_id
                           where f.need_id = n.id and a.id = n.source_assessment_id and n.domain = any(a.positive_domains))
           or exists (select 1 from need_findings f join assessments a on a.id = f.assessment_id
                       where f.need_id = n.id and not n.domain = any(a.positive_domains))`,
    );
    expect(bad).toEqual([]);
    const history = await rows<{
      need_id: string;
      action: string;
      from_status: string | null;
      to_status: string;
      status: string;
    }>(
      first,
      `select t.need_id, t.action, t.from_status, t.to_status, n.status
         from need_transitions t join needs n on n.id = t.need_id order by t.need_id, t.at`,
    );
    const byNeed = new Map<string, typeof history>();
    for (const h of history) byNeed.set(h.need_id, [...(byNeed.get(h.need_id) ?? []), h]);
    for (const steps of byNeed.values()) {
      expect(steps[0]).toMatchObject({ action: 'identify', from_status: null, to_status: 'identified' });
      let state: NeedStatus = 'identified';
      for (const step of steps.slice(1)) {
        // `address` is the system's, when a referral is linked (the demo's referrals, referrals.ts).
        const decision = decideNeedTransition(
          { status: state, activeLinks: 0 },
          step.action as NeedAction,
          step.action === 'address' ? 'system' : 'social_worker',
          { note: 'x' },
        );
        expect(decision).toEqual({ ok: true, to: step.to_status });
        state = step.to_status as NeedStatus;
      }
      expect(state).toBe(steps[0]!.status);
    }
  });

  it('raises each alarm once per screen, with its flag, a task for the worker and the supervisor told', async () => {
    const alarms = await rows<{
      code: string;
      alarms: { code: string }[];
      flag_kind: string | null;
      source_id: string;
      root_id: string;
      task_kind: string | null;
    }>(
      first,
      `select al.code, a.alarms, f.kind as flag_kind, f.source_id, a.root_id, t.kind as task_kind
         from assessment_alarms al
         join assessments a on a.id = al.assessment_id
         left join patient_flags f on f.id = al.flag_id
         left join tasks t on t.id = al.task_id`,
    );
    expect(alarms.length).toBeGreaterThan(0);
    for (const a of alarms) {
      expect(a.alarms.map((x) => x.code)).toContain(a.code);
      expect(a.flag_kind).toBe(a.code === 'suicide-risk' ? 'crisis-risk' : 'safety-concern');
      expect(a.source_id).toBe(a.root_id);
      expect(a.task_kind).toBe('alarm');
    }
    const [missing] = await rows<{ n: number }>(
      first,
      `select count(*)::int as n from assessments a, jsonb_array_elements(a.alarms) x
        where a.status = 'completed' and a.amends_id is null
          and not exists (select 1 from assessment_alarms al where al.root_assessment_id = a.root_id and al.code = x->>'code')`,
    );
    expect(missing!.n).toBe(0);
  });
});

describe(`signing in to the seeded demo on ${testEngine}`, () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.database, { now: new Date() });
  }, 180_000);
  afterAll(() => t?.close());

  it(
    'answers 200 with every generated record on the screens that show them (the response schemas accept them)',
    SLOW,
    async () => {
      const [user] = await t.database.db
        .select()
        .from(users)
        .where(eq(users.email, 'supervisor@riverside.example'));
      const supervisor = await signIn(t, user!, DEMO_PASSWORD);
      // Every fifth patient, and every patient whose case waits in the queue.
      const sample = await t.database.query<{ id: string }>(
        `select id from (select id, row_number() over (order by mrn) as n from patients) p where n % 5 = 0
       union select distinct patient_id from cases where status in ('new', 'triaged')`,
      );
      for (const { id } of sample) {
        for (const url of [
          `/api/patients/${id}`,
          `/api/patients/${id}/chart`,
          `/api/patients/${id}/timeline?kinds=encounter,case&pageSize=5`,
          `/api/patients/${id}/contacts`,
          `/api/patients/${id}/encounters`,
          `/api/patients/${id}/flags?all=true`,
          `/api/patients/${id}/messages`,
          `/api/patients/${id}/cases`,
          `/api/tasks?scope=patient&patientId=${id}&status=all&pageSize=200`,
          `/api/patients/${id}/assessments?includeSuperseded=true&pageSize=200`,
          `/api/patients/${id}/assessments/trend?instrument=phq-9`,
          `/api/patients/${id}/needs`,
        ]) {
          const res = await supervisor.get(url);
          expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
        }
      }
      // Every generated assessment of those patients opens (drafts, declines, amendments and their originals).
      const screens = await t.database.query<{ id: string }>(
        `select id from assessments where patient_id = any($1::uuid[])`,
        [sample.map((p) => p.id)],
      );
      expect(screens.length).toBeGreaterThan(10);
      for (const { id } of screens) {
        const url = `/api/assessments/${id}`;
        const res = await supervisor.get(url);
        expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      }
      for (const url of [
        '/api/triage/queue',
        '/api/caseloads',
        '/api/worklist?scope=all&pageSize=200',
        '/api/notifications',
      ]) {
        const res = await supervisor.get(url);
        expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      }
      // The year of screening shows on the coverage report: most adult inpatients screened, a few excluded.
      const today = new Date().toISOString().slice(0, 10);
      const yearAgo = new Date(Date.now() - 360 * 86_400_000).toISOString().slice(0, 10);
      const coverage = await supervisor.get(`/api/reports/screening-coverage?from=${yearAgo}&to=${today}`);
      expect(coverage.statusCode).toBe(200);
      const { total } = coverage.json();
      expect(total.admitted).toBeGreaterThan(100);
      expect(total.excluded).toBeGreaterThan(0);
      expect(total.screeningRate).toBeGreaterThan(0.6);
      expect(total.screeningRate).toBeLessThan(1);
      expect(total.positive['food-insecurity'].positive).toBeGreaterThan(0);
    },
  );

  it(
    "shows the demo worker exactly their caseload on the worklist and their care team's patients",
    SLOW,
    async () => {
      const [user] = await t.database.db
        .select()
        .from(users)
        .where(eq(users.email, 'worker@riverside.example'));
      const worker = await signIn(t, user!, DEMO_PASSWORD);
      const [expected] = await t.database.query<{ cases: number; patients: number }>(
        `select (select count(*)::int from cases where assigned_to = $1 and status in ('assigned', 'active')) as cases,
              (select count(distinct patient_id)::int from care_team_members where user_id = $1 and removed_at is null) as patients`,
        [user!.id],
      );
      expect(expected!.cases).toBeGreaterThan(5);

      const worklist = await worker.get('/api/worklist?page=1&pageSize=50');
      expect(worklist.statusCode).toBe(200);
      expect(worklist.json().total).toBe(expected!.cases);

      const list = await worker.get('/api/patients?pageSize=200');
      expect(list.statusCode).toBe(200);
      expect(list.json().total).toBe(expected!.patients);
    },
  );
});
