import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AnswerInput, getInstrument, scoreResponse } from '../../../domain/instruments/index.ts';
import { newId } from '../../platform/ids.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { assessments } from '../assessments/assessments.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Org = Awaited<ReturnType<typeof buildOrganization>>;
type User = Awaited<ReturnType<typeof buildUser>>;

const NEVER = 'LA28398-8';
const SOMETIMES = 'LA6729-3';
const NO = 'LA32-8';
const YES = 'LA33-6';
const HITS_NEVER = 'LA6270-8';
const SAFETY = ['95618-5', '95617-7', '95616-9', '95615-1'];

/** AHC core answers with every domain negative, then the given changes. */
const ahc = (changes: AnswerInput = {}): AnswerInput => ({
  '71802-3': 'LA31993-1',
  '96778-6': ['LA9-3'],
  '88122-7': NEVER,
  '88123-5': NEVER,
  '93030-5': NO,
  '96779-4': NO,
  ...Object.fromEntries(SAFETY.map((id) => [id, HITS_NEVER])),
  ...changes,
});
const hungerVitalSign = (answer: string): AnswerInput => ({ '88122-7': answer, '88123-5': NEVER });
const hits = (): AnswerInput => Object.fromEntries(SAFETY.map((id) => [id, HITS_NEVER]));

/** A patient born on the given day (the harness's own patients are born in 1950). */
async function patientBorn(org: Org, birthDate = '1960-05-01') {
  const patient = await buildPatient(t, { organization: org });
  await t.database.db.update(patients).set({ birthDate }).where(eq(patients.id, patient.id));
  return patient;
}

async function stay(
  org: Org,
  patientId: string,
  s: { unit: string; admittedAt: string; dischargedAt?: string; encounterClass?: string },
) {
  await t.database.db.insert(encounters).values({
    organizationId: org.id,
    patientId,
    encounterClass: s.encounterClass ?? 'inpatient',
    status: s.dischargedAt ? 'finished' : 'in-progress',
    unit: s.unit,
    admittedAt: new Date(s.admittedAt),
    dischargedAt: s.dischargedAt ? new Date(s.dischargedAt) : null,
  });
}

/** A completed screen, scored by the instrument engine, with the denormalised columns the service fills. */
async function screen(
  org: Org,
  by: User,
  patientId: string,
  instrumentId: string,
  answers: AnswerInput,
  completedAt: string,
  over: Partial<typeof assessments.$inferInsert> = {},
) {
  const instrument = getInstrument(instrumentId)!;
  const result = scoreResponse(instrument, answers);
  const id = over.id ?? newId();
  await t.database.db.insert(assessments).values({
    id,
    organizationId: org.id,
    patientId,
    instrumentId,
    instrumentVersion: instrument.version,
    status: 'completed',
    answers: answers as Record<string, string[]>,
    result,
    score: result.score,
    band: result.band,
    screenedDomains: [...instrument.screens],
    positiveDomains: result.positiveDomains,
    alarms: result.alarms,
    startedBy: by.id,
    startedAt: new Date(new Date(completedAt).getTime() - 600_000),
    completedBy: by.id,
    completedAt: new Date(completedAt),
    rootId: id,
    ...over,
  });
  return id;
}

async function declined(
  org: Org,
  by: User,
  patientId: string,
  instrumentId: string,
  reason: 'opted-out' | 'unable-no-proxy',
  at: string,
) {
  const id = newId();
  await t.database.db.insert(assessments).values({
    id,
    organizationId: org.id,
    patientId,
    instrumentId,
    instrumentVersion: getInstrument(instrumentId)!.version,
    status: 'declined',
    declineReason: reason,
    startedBy: by.id,
    startedAt: new Date(at),
    completedBy: by.id,
    completedAt: new Date(at),
    rootId: id,
  });
}

/**
 * October and November 2025 in Boston, on two units. Riverside's October: on 4 West, Ana (AHC, food and
 * housing positive), Ben (Hunger Vital Sign and HITS only, admitted at 22:00 on 31 October local time, which
 * is 1 November in UTC), Eve (screened the day before she was admitted) and Fay (opted out); on 5 East, Kim
 * (declined a PHQ-9, which is no SDOH screen). November, 5 East: Gus (still in, AHC negative), Hal (Hunger Vital
 * Sign positive plus a negative AHC), Ida (AHC amended after discharge: the correction counts, at the time of
 * the screen), Jo (unable at first, screened later in the stay) and Lu (18 on the local day of admission, not
 * screened). Not counted: Cy (17), Dot (an outpatient visit), Mo (admitted 1 December local time) and a
 * patient of another hospital.
 */
async function riverside() {
  const org = await buildOrganization(t, { timeZone: 'America/New_York' });
  const worker = await buildUser(t, { role: 'social_worker', organization: org });
  const supervisor = await buildUser(t, { role: 'supervisor', organization: org });

  const ana = await patientBorn(org);
  await stay(org, ana.id, {
    unit: '4 West',
    admittedAt: '2025-10-03T14:00:00Z',
    dischargedAt: '2025-10-08T15:00:00Z',
  });
  await screen(
    org,
    worker,
    ana.id,
    'ahc-hrsn',
    ahc({ '88122-7': SOMETIMES, '71802-3': 'LA31994-9' }),
    '2025-10-04T16:00:00Z',
  );

  const ben = await patientBorn(org);
  await stay(org, ben.id, {
    unit: '4 West',
    admittedAt: '2025-11-01T02:00:00Z',
    dischargedAt: '2025-11-04T15:00:00Z',
  });
  await screen(org, worker, ben.id, 'hunger-vital-sign', hungerVitalSign(SOMETIMES), '2025-11-01T15:00:00Z');
  await screen(org, worker, ben.id, 'hits', hits(), '2025-11-01T15:10:00Z');

  const eve = await patientBorn(org);
  await stay(org, eve.id, {
    unit: '4 West',
    admittedAt: '2025-10-10T14:00:00Z',
    dischargedAt: '2025-10-12T15:00:00Z',
  });
  await screen(org, worker, eve.id, 'ahc-hrsn', ahc(), '2025-10-09T16:00:00Z');

  const fay = await patientBorn(org);
  await stay(org, fay.id, {
    unit: '4 West',
    admittedAt: '2025-10-20T14:00:00Z',
    dischargedAt: '2025-10-22T15:00:00Z',
  });
  await declined(org, worker, fay.id, 'ahc-hrsn', 'opted-out', '2025-10-21T13:00:00Z');

  const kim = await patientBorn(org);
  await stay(org, kim.id, {
    unit: '5 East',
    admittedAt: '2025-10-15T14:00:00Z',
    dischargedAt: '2025-10-18T15:00:00Z',
  });
  await declined(org, worker, kim.id, 'phq-9', 'opted-out', '2025-10-16T13:00:00Z');

  const gus = await patientBorn(org);
  await stay(org, gus.id, { unit: '5 East', admittedAt: '2025-11-20T14:00:00Z' });
  await screen(org, worker, gus.id, 'ahc-hrsn', ahc(), '2025-11-21T16:00:00Z');

  const hal = await patientBorn(org);
  await stay(org, hal.id, {
    unit: '5 East',
    admittedAt: '2025-11-05T14:00:00Z',
    dischargedAt: '2025-11-09T15:00:00Z',
  });
  await screen(org, worker, hal.id, 'hunger-vital-sign', hungerVitalSign(SOMETIMES), '2025-11-06T15:00:00Z');
  await screen(org, worker, hal.id, 'ahc-hrsn', ahc(), '2025-11-07T15:00:00Z');

  // The original said transportation; the amendment, made after discharge, corrects it to utilities.
  const ida = await patientBorn(org);
  await stay(org, ida.id, {
    unit: '5 East',
    admittedAt: '2025-11-10T14:00:00Z',
    dischargedAt: '2025-11-12T15:00:00Z',
  });
  const original = newId();
  const amendment = newId();
  await screen(org, worker, ida.id, 'ahc-hrsn', ahc({ '93030-5': YES }), '2025-11-11T15:00:00Z', {
    id: original,
    supersededById: amendment,
    supersededAt: new Date('2025-11-14T10:00:00Z'),
  });
  await screen(org, worker, ida.id, 'ahc-hrsn', ahc({ '96779-4': YES }), '2025-11-14T10:00:00Z', {
    id: amendment,
    rootId: original,
    amendsId: original,
    amendmentReason: 'Misheard question 5',
  });

  const jo = await patientBorn(org);
  await stay(org, jo.id, {
    unit: '5 East',
    admittedAt: '2025-11-15T14:00:00Z',
    dischargedAt: '2025-11-19T15:00:00Z',
  });
  await declined(org, worker, jo.id, 'ahc-hrsn', 'unable-no-proxy', '2025-11-15T20:00:00Z');
  await screen(org, worker, jo.id, 'ahc-hrsn', ahc(), '2025-11-17T15:00:00Z');

  // 22:00 on 2 November in Boston (EST): her eighteenth birthday there, already the 3rd in UTC.
  const lu = await patientBorn(org, '2007-11-02');
  await stay(org, lu.id, {
    unit: '5 East',
    admittedAt: '2025-11-03T03:00:00Z',
    dischargedAt: '2025-11-05T15:00:00Z',
  });

  const cy = await patientBorn(org, '2008-06-01');
  await stay(org, cy.id, {
    unit: '4 West',
    admittedAt: '2025-10-05T14:00:00Z',
    dischargedAt: '2025-10-07T15:00:00Z',
  });
  await screen(org, worker, cy.id, 'ahc-hrsn', ahc(), '2025-10-06T15:00:00Z');

  const dot = await patientBorn(org);
  await stay(org, dot.id, {
    unit: 'Primary Care',
    encounterClass: 'outpatient',
    admittedAt: '2025-10-06T14:00:00Z',
    dischargedAt: '2025-10-06T15:00:00Z',
  });
  await screen(org, worker, dot.id, 'ahc-hrsn', ahc(), '2025-10-06T14:30:00Z');

  const mo = await patientBorn(org);
  await stay(org, mo.id, {
    unit: '5 East',
    admittedAt: '2025-12-01T06:00:00Z',
    dischargedAt: '2025-12-03T15:00:00Z',
  });
  await screen(org, worker, mo.id, 'ahc-hrsn', ahc(), '2025-12-01T15:00:00Z');

  const elsewhere = await buildOrganization(t);
  const stranger = await buildUser(t, { organization: elsewhere });
  const theirs = await patientBorn(elsewhere);
  await stay(elsewhere, theirs.id, {
    unit: '5 East',
    admittedAt: '2025-11-05T14:00:00Z',
    dischargedAt: '2025-11-06T15:00:00Z',
  });
  await screen(elsewhere, stranger, theirs.id, 'ahc-hrsn', ahc(), '2025-11-05T15:00:00Z');

  return { org, supervisor, worker };
}

type Positive = { positive: number; rate: number | null };
const domains = (over: Record<string, Positive>, base: Positive = { positive: 0, rate: 0 }) => ({
  'food-insecurity': base,
  'housing-instability': base,
  'transportation-insecurity': base,
  'utility-insecurity': base,
  'intimate-partner-violence': base,
  ...over,
});

describe('the screening coverage report', () => {
  let river: Awaited<ReturnType<typeof riverside>>;
  beforeAll(async () => {
    river = await riverside();
  });

  it('counts adult inpatients screened for all five domains during the stay, by month of admission and unit', async () => {
    const client = await signIn(t, river.supervisor);
    const res = await client.get('/api/reports/screening-coverage?from=2025-10-01&to=2025-11-30');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      from: '2025-10-01',
      to: '2025-11-30',
      timeZone: 'America/New_York',
      rows: [
        {
          month: '2025-10',
          unit: '4 West',
          admitted: 4,
          excluded: 1,
          eligible: 3,
          screened: 1,
          screeningRate: 0.3333,
          positive: domains({
            'food-insecurity': { positive: 1, rate: 1 },
            'housing-instability': { positive: 1, rate: 1 },
          }),
        },
        {
          month: '2025-10',
          unit: '5 East',
          admitted: 1,
          excluded: 0,
          eligible: 1,
          screened: 0,
          screeningRate: 0,
          positive: domains({}, { positive: 0, rate: null }),
        },
        {
          month: '2025-11',
          unit: '5 East',
          admitted: 5,
          excluded: 0,
          eligible: 5,
          screened: 4,
          screeningRate: 0.8,
          positive: domains({
            'food-insecurity': { positive: 1, rate: 0.25 },
            'utility-insecurity': { positive: 1, rate: 0.25 },
          }),
        },
      ],
      total: {
        admitted: 10,
        excluded: 1,
        eligible: 9,
        screened: 5,
        screeningRate: 0.5556,
        positive: domains({
          'food-insecurity': { positive: 2, rate: 0.4 },
          'housing-instability': { positive: 1, rate: 0.2 },
          'utility-insecurity': { positive: 1, rate: 0.2 },
        }),
      },
    });
  });

  it('keeps to one unit when asked, and records the view in the audit log without any patient', async () => {
    const client = await signIn(t, river.supervisor);
    const res = await client.get(
      '/api/reports/screening-coverage?from=2025-10-01&to=2025-11-30&unit=5%20East',
    );
    expect(res.statusCode).toBe(200);
    expect(res.json().rows.map((r: { month: string; unit: string }) => `${r.month} ${r.unit}`)).toEqual([
      '2025-10 5 East',
      '2025-11 5 East',
    ]);
    expect(res.json().total).toMatchObject({ admitted: 6, excluded: 0, eligible: 6, screened: 4 });
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.organizationId, river.org.id),
          eq(auditEvents.action, 'report.screening-coverage.read'),
        ),
      );
    expect(audit.at(-1)).toMatchObject({
      actorUserId: river.supervisor.id,
      outcome: 'success',
      patientId: null,
      recordKind: 'report',
      detail: { from: '2025-10-01', to: '2025-11-30', unit: '5 East', format: 'json' },
    });
  });

  it('answers with zeros and null rates for a period without admissions', async () => {
    const client = await signIn(t, river.supervisor);
    const res = await client.get('/api/reports/screening-coverage?from=2024-01-01&to=2024-01-31');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      rows: [],
      total: { admitted: 0, excluded: 0, eligible: 0, screened: 0, screeningRate: null },
    });
  });

  it('answers CSV for format=csv or an Accept header that asks for it', async () => {
    const admin = await buildUser(t, {
      role: 'admin',
      organization: river.org,
      totpSecret: generateSecret(),
    });
    const client = await signIn(t, admin);
    const res = await client.get('/api/reports/screening-coverage?from=2025-10-01&to=2025-10-31&format=csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'month,unit,admitted,excluded,eligible,screened,screeningRate,food-insecurity positive,food-insecurity rate,housing-instability positive,housing-instability rate,transportation-insecurity positive,transportation-insecurity rate,utility-insecurity positive,utility-insecurity rate,intimate-partner-violence positive,intimate-partner-violence rate',
    );
    expect(lines.slice(1)).toEqual([
      '2025-10,4 West,4,1,3,1,0.3333,1,1,1,1,0,0,0,0,0,0',
      '2025-10,5 East,1,0,1,0,0,0,,0,,0,,0,,0,',
      'total,,5,1,4,1,0.25,1,1,1,1,0,0,0,0,0,0',
    ]);
    const accepted = await client.request({
      method: 'GET',
      url: '/api/reports/screening-coverage?from=2025-10-01&to=2025-10-31',
      headers: { accept: 'text/csv' },
    });
    expect(accepted.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(accepted.body).toBe(res.body);
  });

  it('answers 403 to a social worker', async () => {
    const client = await signIn(t, river.worker);
    const res = await client.get('/api/reports/screening-coverage?from=2025-10-01&to=2025-11-30');
    expect(res.statusCode).toBe(403);
  });

  it('answers 422 naming the field to dates that are missing, malformed, reversed or more than a year apart', async () => {
    const client = await signIn(t, river.supervisor);
    const fields = async (query: string) => {
      const res = await client.get(`/api/reports/screening-coverage?${query}`);
      expect(res.statusCode).toBe(422);
      return res.json().errors.map((e: { field: string }) => e.field);
    };
    expect(await fields('from=2025-10-01')).toEqual(['query.to']);
    expect(await fields('from=2025-13-01&to=2025-12-31')).toEqual(['query.from']);
    expect(await fields('from=2025-11-30&to=2025-10-01')).toEqual(['query.to']);
    expect(await fields('from=2024-01-01&to=2025-06-30')).toEqual(['query.to']);
    expect(await fields('from=2025-10-01&to=2025-10-31&format=xlsx')).toEqual(['query.format']);
  });
});
