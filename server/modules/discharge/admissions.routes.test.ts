import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdmissionTrigger } from '../../../domain/schemas/admissions.ts';
import { newId } from '../../platform/ids.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildPatient, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { cases } from '../cases/cases.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { applyText, craft, daysAgo, ts } from '../hl7/adt.support.ts';
import { patients } from '../patients/patients.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const ageRule: AdmissionTrigger = {
  id: 'age-75',
  name: 'Aged 75 or more',
  enabled: true,
  condition: { kind: 'age', atLeast: 75 },
  action: { kind: 'task', title: 'Psychosocial screening', dueInHours: 24, priority: 'routine' },
};
const readmitRule: AdmissionTrigger = {
  id: 'readmit-30',
  name: 'Readmitted within 30 days',
  enabled: true,
  condition: { kind: 'readmission', withinDays: 30 },
  action: { kind: 'case', urgency: 'urgent', reasonCode: 'discharge-planning' },
};
const payerRule: AdmissionTrigger = {
  id: 'medicaid-none',
  name: 'Medicaid or no payer',
  enabled: true,
  condition: { kind: 'payer', payers: ['medicaid', 'none'] },
  action: { kind: 'task', title: 'Financial screening', dueInHours: 48, priority: 'high' },
};
const unitRule: AdmissionTrigger = {
  id: 'icu',
  name: 'Admitted to the ICU',
  enabled: true,
  condition: { kind: 'unit', units: ['MICU'] },
  action: { kind: 'task', title: 'ICU family meeting', dueInHours: 12, priority: 'high' },
};

async function department(rules: AdmissionTrigger[]) {
  const admin = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  const org = admin.organization;
  const supervisor = await buildUser(t, { role: 'supervisor', organization: org });
  await t.database.db
    .update(organizations)
    .set({ admissionTriggers: rules })
    .where(eq(organizations.id, org.id));
  const ctx = {
    organizationId: org.id,
    assigningAuthority: 'RIV',
    timeZone: org.timeZone,
    messageId: newId(),
  };
  return { admin, org, supervisor, apply: (text: string) => applyText(t.database.db, ctx, text) };
}
/** An IN1 segment with the given fields. */
const in1 = (fields: Record<number, string>) =>
  ['IN1', ...Array.from({ length: 36 }, (_, i) => (i === 0 ? '1' : (fields[i + 1] ?? '')))].join('|');
const tasksOf = (patientId: string) =>
  t.database.db.select().from(tasks).where(eq(tasks.patientId, patientId));
const casesOf = (patientId: string) =>
  t.database.db.select().from(cases).where(eq(cases.patientId, patientId));
const patientIdOf = async (orgId: string, mrn: string) =>
  (
    await t.database.db
      .select()
      .from(patients)
      .where(and(eq(patients.organizationId, orgId), eq(patients.mrn, mrn)))
  )[0]!.id;

describe('admission triggers on the ADT feed', () => {
  it('gives a screening task to a supervisor for an admission aged 75, and nothing at 74', async () => {
    const { org, supervisor, apply } = await department([ageRule]);
    const born = (years: number) => {
      const d = new Date();
      return `${d.getUTCFullYear() - years - 1}0101`;
    };
    await apply(
      craft({ event: 'A01', mrn: 'OLD', pid: { 7: born(75) }, pv1: { 19: 'V1', 44: ts(daysAgo(0.1)) } }),
    );
    await apply(
      craft({ event: 'A01', mrn: 'YOUNG', pid: { 7: born(73) }, pv1: { 19: 'V2', 44: ts(daysAgo(0.1)) } }),
    );
    const old = await patientIdOf(org.id, 'OLD');
    expect(await tasksOf(old)).toEqual([
      expect.objectContaining({
        title: 'Psychosocial screening',
        kind: 'screening',
        assigneeId: supervisor.id,
      }),
    ]);
    expect(await tasksOf(await patientIdOf(org.id, 'YOUNG'))).toEqual([]);
    const lines = await t.database.db
      .select({ s: timelineEvents.summary })
      .from(timelineEvents)
      .where(eq(timelineEvents.patientId, old));
    expect(lines.map((l) => l.s)).toContain(
      'Admission trigger "Aged 75 or more" matched (aged 75 or more): screening task created',
    );
  });

  it('opens a case waiting for triage for a readmission within 30 days, once per admission', async () => {
    const { org, apply } = await department([readmitRule]);
    await apply(craft({ event: 'A01', mrn: 'R1', pv1: { 19: 'S1', 44: ts(daysAgo(20)) } }));
    await apply(craft({ event: 'A03', mrn: 'R1', pv1: { 19: 'S1', 45: ts(daysAgo(10)) } }));
    const id = await patientIdOf(org.id, 'R1');
    expect(await casesOf(id)).toEqual([]);
    await apply(craft({ event: 'A01', mrn: 'R1', pv1: { 19: 'S2', 44: ts(daysAgo(1)) } }));
    // The same admission sent again, and an update, evaluate nothing twice.
    await apply(craft({ event: 'A01', mrn: 'R1', pv1: { 19: 'S2', 44: ts(daysAgo(1)) } }));
    await apply(craft({ event: 'A08', mrn: 'R1', pv1: { 19: 'S2', 3: '5W' } }));
    const opened = await casesOf(id);
    const [s2] = await t.database.db.select().from(encounters).where(eq(encounters.visitNumber, 'S2'));
    expect(opened).toEqual([
      expect.objectContaining({
        source: 'admission-trigger',
        status: 'new',
        urgency: 'urgent',
        reasonCode: 'discharge-planning',
        encounterId: s2!.id,
      }),
    ]);
    expect(s2!.triggersEvaluatedAt).not.toBeNull();
  });

  it('matches a patient with no coverage on the payer rule, and not one with commercial coverage', async () => {
    const { org, admin, apply } = await department([payerRule]);
    const insured = await buildPatient(t, { organization: org, mrn: 'INS1' });
    await t.database.db
      .update(patients)
      .set({ insurance: [{ payerType: 'commercial', payerName: 'Aetna', memberId: 'A1' }] })
      .where(eq(patients.id, insured.id));
    await apply(craft({ event: 'A01', mrn: 'INS1', pv1: { 19: 'P1', 44: ts(daysAgo(0.1)) } }));
    await apply(craft({ event: 'A01', mrn: 'NONE1', pv1: { 19: 'P2', 44: ts(daysAgo(0.1)) } }));
    expect(await tasksOf(insured.id)).toEqual([]);
    expect(await tasksOf(await patientIdOf(org.id, 'NONE1'))).toEqual([
      expect.objectContaining({ title: 'Financial screening', priority: 'high' }),
    ]);
    void admin;
  });

  it('reads the coverage from IN1: Medicaid matches, a commercial plan does not', async () => {
    const { org, apply } = await department([payerRule]);
    await apply(
      craft({
        event: 'A01',
        mrn: 'MCD1',
        pv1: { 19: 'M1', 44: ts(daysAgo(0.1)) },
        extra: [in1({ 2: 'MCDPLAN^State Medicaid Plan', 3: '77', 4: 'Illinois Medicaid', 36: 'MEM123' })],
      }),
    );
    await apply(
      craft({
        event: 'A01',
        mrn: 'COM1',
        pv1: { 19: 'M2', 44: ts(daysAgo(0.1)) },
        extra: [in1({ 2: 'PPO^Blue PPO', 3: '12', 4: 'Blue Cross Blue Shield', 8: 'G55', 36: 'B778' })],
      }),
    );
    const medicaid = await patientIdOf(org.id, 'MCD1');
    const [row] = await t.database.db.select().from(patients).where(eq(patients.id, medicaid));
    expect(row!.insurance).toEqual([
      {
        payerType: 'medicaid',
        payerName: 'Illinois Medicaid',
        plan: 'State Medicaid Plan',
        memberId: 'MEM123',
        primary: true,
      },
    ]);
    expect(await tasksOf(medicaid)).toHaveLength(1);
    const commercial = await patientIdOf(org.id, 'COM1');
    const [com] = await t.database.db.select().from(patients).where(eq(patients.id, commercial));
    expect(com!.insurance).toMatchObject([{ payerType: 'commercial', groupNumber: 'G55', memberId: 'B778' }]);
    expect(await tasksOf(commercial)).toEqual([]);
  });

  it('matches the chosen units only, and leaves outpatient visits alone', async () => {
    const { org, apply } = await department([unitRule]);
    await apply(craft({ event: 'A01', mrn: 'U1', pv1: { 3: 'micu^1^A', 19: 'U1', 44: ts(daysAgo(0.1)) } }));
    await apply(craft({ event: 'A01', mrn: 'U2', pv1: { 3: '4E^1^A', 19: 'U2', 44: ts(daysAgo(0.1)) } }));
    await apply(
      craft({ event: 'A04', mrn: 'U3', pv1: { 2: 'O', 3: 'MICU', 19: 'U3', 44: ts(daysAgo(0.1)) } }),
    );
    expect(await tasksOf(await patientIdOf(org.id, 'U1'))).toHaveLength(1);
    expect(await tasksOf(await patientIdOf(org.id, 'U2'))).toEqual([]);
    expect(await tasksOf(await patientIdOf(org.id, 'U3'))).toEqual([]);
  });

  it('runs the triggers and the readmission link for a stay admitted by hand too', async () => {
    const { org } = await department([ageRule]);
    const worker = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org, careTeam: [worker] });
    const client = await signIn(t, worker);
    const res = await client.post(`/api/patients/${patient.id}/encounters`, {
      encounterClass: 'inpatient',
      unit: '4E',
      admittedAt: daysAgo(0.1).toISOString(),
    });
    expect(res.statusCode).toBe(201);
    // Born 1950 (the harness patient): 75 or more; the worker on the care team gets the task.
    expect(await tasksOf(patient.id)).toEqual([expect.objectContaining({ assigneeId: worker.id })]);
  });
});

describe('the admission triggers API', () => {
  it('lets an admin read and replace the rules, audited; a supervisor reads; a worker gets 403', async () => {
    const { admin, org, supervisor } = await department([]);
    const client = await signIn(t, admin);
    const put = await client.request({
      method: 'PUT',
      url: '/api/admin/admission-triggers',
      payload: { rules: [ageRule, readmitRule, payerRule] },
    });
    expect(put.statusCode).toBe(200);
    expect(put.json().rules.map((r: AdmissionTrigger) => r.id)).toEqual([
      'age-75',
      'readmit-30',
      'medicaid-none',
    ]);
    const read = await (await signIn(t, supervisor)).get('/api/admin/admission-triggers');
    expect(read.statusCode).toBe(200);
    expect(read.json().rules).toHaveLength(3);
    const worker = await buildUser(t, { organization: org });
    expect((await (await signIn(t, worker)).get('/api/admin/admission-triggers')).statusCode).toBe(403);
  });

  it('refuses invalid rules with 422 naming the field', async () => {
    const { admin } = await department([]);
    const client = await signIn(t, admin);
    const bad = await client.request({
      method: 'PUT',
      url: '/api/admin/admission-triggers',
      payload: { rules: [{ ...ageRule, condition: { kind: 'age', atLeast: -1 } }] },
    });
    expect(bad.statusCode).toBe(422);
    expect(JSON.stringify(bad.json().errors)).toContain('rules.0.condition');
    const stranger = await client.request({
      method: 'PUT',
      url: '/api/admin/admission-triggers',
      payload: { rules: [{ ...ageRule, action: { ...ageRule.action, assigneeId: newId() } }] },
    });
    expect(stranger.statusCode).toBe(422);
    expect(stranger.json().errors).toEqual([
      { field: 'rules.0.action.assigneeId', message: 'must be an active colleague who does tasks' },
    ]);
  });
});
