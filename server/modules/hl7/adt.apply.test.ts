import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { auditEvents, organizations, users } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { dischargePlans } from '../discharge/discharge.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patientFlags, patientMerges, patients } from '../patients/patients.tables.ts';
import type { AdtContext } from './adt.apply.ts';
import { applyText, craft, daysAgo, fixture, fixtureNames, fixturesPresent, ts } from './adt.support.ts';

let database: TestDatabase;
let db: Db;
beforeAll(async () => {
  database = await createTestDatabase();
  db = database.db;
});
afterAll(() => database.drop());

async function newOrg(authority: string | null = 'RIV') {
  const [org] = await db
    .insert(organizations)
    .values({ slug: `o-${newId().slice(-8)}`, name: 'Riverside', timeZone: 'America/Chicago' })
    .returning();
  const ctx: AdtContext = {
    organizationId: org!.id,
    assigningAuthority: authority,
    timeZone: 'America/Chicago',
    messageId: newId(),
  };
  return { org: org!, ctx, apply: (text: string) => applyText(db, ctx, text) };
}
const patientOf = async (orgId: string, mrn: string) =>
  (
    await db
      .select()
      .from(patients)
      .where(and(eq(patients.organizationId, orgId), eq(patients.mrn, mrn)))
  )[0];
const visitOf = async (orgId: string, visitNumber: string) =>
  (
    await db
      .select()
      .from(encounters)
      .where(and(eq(encounters.organizationId, orgId), eq(encounters.visitNumber, visitNumber)))
  )[0]!;
const planOf = async (encounterId: string) =>
  (await db.select().from(dischargePlans).where(eq(dischargePlans.encounterId, encounterId)))[0];

describe.skipIf(!fixturesPresent)('the shared ADT fixtures', () => {
  const accepted = ['A01', 'A02', 'A03', 'A04', 'A05', 'A06', 'A07', 'A08', 'A11', 'A12', 'A13'];
  const eventOf = (name: string) => name.slice(4, 7);

  it('applies every fixture of an accepted visit event, after an admission where the event needs one', async () => {
    for (const name of fixtureNames().filter((n) => accepted.includes(eventOf(n)))) {
      const { apply, org } = await newOrg(null);
      const event = eventOf(name);
      if (!['A01', 'A04', 'A05'].includes(event)) {
        expect(await apply(fixture('ADT-A01-01.hl7'))).toMatchObject({ ack: 'AA' });
        if (event === 'A13') expect(await apply(fixture('ADT-A03-01.hl7'))).toMatchObject({ ack: 'AA' });
      }
      const outcome = await apply(fixture(name));
      expect(outcome, `${name}: ${JSON.stringify(outcome)}`).toMatchObject({ ack: 'AA' });
      // The MR-typed PID-3 repetition is the MRN when the feed names no assigning authority.
      const patient = await patientOf(org.id, 'PATID1234');
      expect(patient?.familyName, name).toBe('EVERYMAN');
    }
  });

  it('reads PID and PV1 of the admission fixture into the record', async () => {
    const { apply, org } = await newOrg(null);
    await apply(fixture('ADT-A01-01.hl7'));
    const patient = (await patientOf(org.id, 'PATID1234'))!;
    expect(patient).toMatchObject({ sex: 'male', middleName: 'A', preferredLanguage: 'ar' });
    expect(patient.address).toMatchObject({
      line1: '1000 Hospital Lane',
      city: 'Ann Arbor',
      state: 'MI',
      postalCode: '99999',
    });
    const visit = await visitOf(org.id, '40007716');
    expect(visit).toMatchObject({
      encounterClass: 'inpatient',
      status: 'in-progress',
      unit: 'HUH AE OMU',
      room: 'OMU B',
      bed: 'Bed 03',
      attendingName: 'Mohammed Alaz',
      admissionType: 'E',
      hospitalService: 'SUR',
      source: 'adt',
    });
    expect(visit.admittedAt.toISOString()).toBe('2015-02-08T10:24:19.000Z');
  });

  it('discharges with the fixture A03, keeping the disposition code it could not map', async () => {
    const { apply, org } = await newOrg(null);
    await apply(fixture('ADT-A01-01.hl7'));
    expect(await apply(fixture('ADT-A03-01.hl7'))).toMatchObject({ ack: 'AA' });
    const visit = await visitOf(org.id, '40007716');
    expect(visit).toMatchObject({
      status: 'finished',
      dischargeDisposition: 'other',
      dischargeDispositionCode: 'Admitted as Inpatient',
    });
    expect((await planOf(visit.id))?.status).toBe('closed');
  });

  it('refuses the events it does not apply with AR 201, and an A40 of unknown records with AE 204', async () => {
    const { apply } = await newOrg(null);
    for (const name of ['ADT-A09-01.hl7', 'ADT-A28-01.hl7', 'ADT-A31-01.hl7']) {
      expect(await apply(fixture(name))).toEqual({
        ack: 'AR',
        errors: [expect.objectContaining({ code: 201, segment: 'MSH', field: 9 })],
      });
    }
    expect(await apply(fixture('ADT-A40-01.hl7'))).toMatchObject({ ack: 'AE', errors: [{ code: 204 }] });
  });
});

describe('a stay told by the feed', () => {
  it('admits, transfers, cancels the transfer, updates, discharges, cancels the discharge and the admission', async () => {
    const { apply, org } = await newOrg();
    const mrn = 'RIV-1001';
    const admit = await apply(
      craft({
        event: 'A01',
        mrn,
        pid: { 11: '12 Elm St^Apt 2^Springfield^IL^62701^USA', 13: '(217) 555-0101^PRN^PH', 15: 'spa' },
        pv1: {
          3: '4E^412^A',
          4: 'E',
          7: '123^Raman^Priya',
          10: 'MED',
          14: '7',
          19: 'V1',
          44: ts(daysAgo(3)),
        },
      }),
    );
    expect(admit).toMatchObject({ ack: 'AA' });
    const patient = (await patientOf(org.id, mrn))!;
    expect(patient).toMatchObject({
      familyName: 'Garcia',
      givenName: 'Maria',
      sex: 'female',
      preferredLanguage: 'es',
    });
    expect(patient.phones).toEqual([{ use: 'home', number: '(217) 555-0101' }]);
    let visit = await visitOf(org.id, 'V1');
    expect(admit).toEqual({ ack: 'AA', patientId: patient.id, encounterId: visit.id });
    expect(visit).toMatchObject({
      unit: '4E',
      room: '412',
      bed: 'A',
      attendingName: 'Priya Raman',
      admitSource: '7',
    });
    expect((await planOf(visit.id))?.status).toBe('open');

    // A02: moved to 5W; where the patient was is kept for a cancelled transfer.
    expect(await apply(craft({ event: 'A02', mrn, pv1: { 3: '5W^501^B', 19: 'V1' } }))).toMatchObject({
      ack: 'AA',
    });
    visit = await visitOf(org.id, 'V1');
    expect(visit).toMatchObject({
      unit: '5W',
      room: '501',
      bed: 'B',
      priorUnit: '4E',
      priorRoom: '412',
      priorBed: 'A',
    });
    // A12: back to 4E.
    expect(await apply(craft({ event: 'A12', mrn, pv1: { 3: '5W^501^B', 19: 'V1' } }))).toMatchObject({
      ack: 'AA',
    });
    visit = await visitOf(org.id, 'V1');
    expect(visit).toMatchObject({ unit: '4E', room: '412', bed: 'A', priorUnit: null });
    // A08: a new attending and a corrected name; `""` clears the middle name.
    expect(
      await apply(
        craft({
          event: 'A08',
          mrn,
          pid: { 5: 'Garcia-Lopez^Maria^""' },
          pv1: { 7: '9^Okafor^Chidi', 19: 'V1' },
        }),
      ),
    ).toMatchObject({ ack: 'AA' });
    expect(await patientOf(org.id, mrn)).toMatchObject({ familyName: 'Garcia-Lopez', middleName: null });
    expect(await visitOf(org.id, 'V1')).toMatchObject({ attendingName: 'Chidi Okafor', unit: '4E' });
    // A03 with disposition 03: a skilled nursing facility.
    expect(
      await apply(craft({ event: 'A03', mrn, pv1: { 19: 'V1', 36: '03', 45: ts(daysAgo(1)) } })),
    ).toMatchObject({ ack: 'AA' });
    visit = await visitOf(org.id, 'V1');
    expect(visit).toMatchObject({
      status: 'finished',
      dischargeDisposition: 'snf',
      dischargeDispositionCode: '03',
    });
    expect(await planOf(visit.id)).toMatchObject({ status: 'closed', actualDisposition: 'snf' });
    // A13: the discharge is cancelled and the plan opens again.
    expect(await apply(craft({ event: 'A13', mrn, pv1: { 19: 'V1' } }))).toMatchObject({ ack: 'AA' });
    visit = await visitOf(org.id, 'V1');
    expect(visit).toMatchObject({ status: 'in-progress', dischargedAt: null, dischargeDisposition: null });
    expect((await planOf(visit.id))?.status).toBe('open');
    // A11: the admission is cancelled, and so is the plan.
    expect(await apply(craft({ event: 'A11', mrn, pv1: { 19: 'V1' } }))).toMatchObject({ ack: 'AA' });
    expect((await visitOf(org.id, 'V1')).status).toBe('cancelled');
    expect((await planOf(visit.id))?.status).toBe('cancelled');

    const summaries = (
      await db
        .select({ s: timelineEvents.summary })
        .from(timelineEvents)
        .where(eq(timelineEvents.patientId, patient.id))
    ).map((r) => r.s);
    expect(summaries).toEqual(
      expect.arrayContaining([
        'Registered by the ADT feed',
        'Inpatient visit began: 4E, room 412, bed A',
        'Transferred to 5W, room 501, bed B',
        'Transfer cancelled: back to 4E, room 412, bed A',
        'Discharged: Skilled nursing facility',
        'Discharge cancelled: the visit is open again',
        'Inpatient visit cancelled',
      ]),
    );
    const actions = (
      await db
        .select({ a: auditEvents.action, l: auditEvents.actorLabel })
        .from(auditEvents)
        .where(eq(auditEvents.patientId, patient.id))
    ).map((r) => `${r.a}/${r.l}`);
    expect(actions).toEqual(
      expect.arrayContaining([
        'patient.create/ADT feed',
        'encounter.admit/ADT feed',
        'encounter.transfer/ADT feed',
        'encounter.discharge/ADT feed',
        'encounter.cancel/ADT feed',
      ]),
    );
  });

  it('writes nothing to the patient when the PID of a later message says what the record already holds', async () => {
    const { apply, org } = await newOrg();
    const pid = { 11: '12 Elm St^Apt 2^Springfield^IL^62701^USA', 13: '(217) 555-0101^PRN^PH', 15: 'spa' };
    const pv1 = { 3: '4E^412^A', 19: 'V-SAME-1' };
    expect((await apply(craft({ event: 'A01', mrn: 'RIV-SAME', pid, pv1 }))).ack).toBe('AA');
    const before = await patientOf(org.id, 'RIV-SAME');
    expect((await apply(craft({ event: 'A08', mrn: 'RIV-SAME', pid, pv1 }))).ack).toBe('AA');
    const after = await patientOf(org.id, 'RIV-SAME');
    expect(after!.version).toBe(before!.version);
    expect(after!.address).toEqual(before!.address);
    // A field that did change is still written.
    await apply(craft({ event: 'A08', mrn: 'RIV-SAME', pid: { ...pid, 15: 'eng' }, pv1 }));
    expect((await patientOf(org.id, 'RIV-SAME'))!.version).toBe(before!.version + 1);
  });

  it('plans a pre-admission (A05) and opens the stay when the patient arrives (A01)', async () => {
    const { apply, org } = await newOrg();
    expect(
      await apply(
        craft({
          event: 'A05',
          mrn: 'RIV-2',
          pv1: { 2: 'P', 3: 'ORTHO', 19: 'PRE1', 44: ts(new Date(Date.now() + 2 * 86_400_000)) },
        }),
      ),
    ).toMatchObject({ ack: 'AA' });
    let visit = await visitOf(org.id, 'PRE1');
    expect(visit).toMatchObject({ status: 'planned', encounterClass: 'inpatient' });
    expect(await planOf(visit.id)).toBeUndefined();
    expect(
      await apply(craft({ event: 'A01', mrn: 'RIV-2', pv1: { 3: 'ORTHO', 19: 'PRE1', 44: ts(new Date()) } })),
    ).toMatchObject({ ack: 'AA' });
    visit = await visitOf(org.id, 'PRE1');
    expect(visit.status).toBe('in-progress');
    expect((await planOf(visit.id))?.status).toBe('open');
  });

  it('registers an outpatient (A04), makes the visit inpatient (A06) and back (A07)', async () => {
    const { apply, org } = await newOrg();
    expect(
      await apply(craft({ event: 'A04', mrn: 'RIV-3', pv1: { 2: 'O', 3: 'CLINIC', 19: 'OP1' } })),
    ).toMatchObject({ ack: 'AA' });
    expect((await visitOf(org.id, 'OP1')).encounterClass).toBe('outpatient');
    expect(
      await apply(craft({ event: 'A06', mrn: 'RIV-3', pv1: { 2: 'I', 3: '3N', 19: 'OP1' } })),
    ).toMatchObject({ ack: 'AA' });
    const visit = await visitOf(org.id, 'OP1');
    expect(visit).toMatchObject({ encounterClass: 'inpatient', unit: '3N' });
    expect((await planOf(visit.id))?.status).toBe('open');
    expect(await apply(craft({ event: 'A07', mrn: 'RIV-3', pv1: { 2: 'O', 19: 'OP1' } }))).toMatchObject({
      ack: 'AA',
    });
    expect((await visitOf(org.id, 'OP1')).encounterClass).toBe('outpatient');
  });
});

describe('messages the feed cannot apply', () => {
  it('answers AE 101 for a PID without an MRN and changes nothing', async () => {
    const { apply, org } = await newOrg();
    expect(await apply(craft({ event: 'A01', pv1: { 19: 'X1' } }))).toEqual({
      ack: 'AE',
      errors: [expect.objectContaining({ segment: 'PID', field: 3, code: 101 })],
    });
    // An MRN under another assigning authority is no MRN here.
    const other = craft({ event: 'A01', mrn: 'Z9', pv1: { 19: 'X1' } }).replace(
      'Z9^^^RIV^MR',
      'Z9^^^OTHER^MR',
    );
    expect(await apply(other)).toMatchObject({ ack: 'AE', errors: [{ code: 101 }] });
    expect(await db.select().from(patients).where(eq(patients.organizationId, org.id))).toEqual([]);
  });

  it('answers AR 201 for an unknown event', async () => {
    const { apply } = await newOrg();
    expect(await apply(craft({ event: 'A99', mrn: 'R1' }))).toMatchObject({
      ack: 'AR',
      errors: [{ code: 201 }],
    });
  });

  it('answers AE 204 for an unknown patient on an update-only event, and for an unknown visit number', async () => {
    const { apply } = await newOrg();
    expect(await apply(craft({ event: 'A03', mrn: 'NOBODY', pv1: { 19: 'V9' } }))).toMatchObject({
      ack: 'AE',
      errors: [{ segment: 'PID', field: 3, code: 204 }],
    });
    await apply(craft({ event: 'A01', mrn: 'R2', pv1: { 3: '4E', 19: 'V1' } }));
    expect(await apply(craft({ event: 'A02', mrn: 'R2', pv1: { 3: '5W', 19: 'V2' } }))).toMatchObject({
      ack: 'AE',
      errors: [{ segment: 'PV1', field: 19, code: 204 }],
    });
    expect(await apply(craft({ event: 'A08', mrn: 'R2', pv1: { 19: 'V2' } }))).toMatchObject({ ack: 'AE' });
  });

  it('answers AE for a second open inpatient stay and for a birth date that is not a date', async () => {
    const { apply } = await newOrg();
    await apply(craft({ event: 'A01', mrn: 'R3', pv1: { 3: '4E', 19: 'V1' } }));
    expect(await apply(craft({ event: 'A01', mrn: 'R3', pv1: { 3: '4E', 19: 'V2' } }))).toMatchObject({
      ack: 'AE',
      errors: [{ code: 205 }],
    });
    expect(
      await apply(craft({ event: 'A01', mrn: 'R4', pid: { 7: '19401399' }, pv1: { 19: 'V3' } })),
    ).toMatchObject({
      ack: 'AE',
      errors: [{ segment: 'PID', field: 7, code: 102 }],
    });
  });
});

describe('readmissions', () => {
  it('links an admission within 30 days of a discharge to that stay and flags the chart', async () => {
    const { apply, org } = await newOrg();
    await apply(craft({ event: 'A01', mrn: 'R5', pv1: { 3: '4E', 19: 'S1', 44: ts(daysAgo(20)) } }));
    await apply(craft({ event: 'A03', mrn: 'R5', pv1: { 19: 'S1', 36: '01', 45: ts(daysAgo(15)) } }));
    await apply(craft({ event: 'A01', mrn: 'R5', pv1: { 3: '4E', 19: 'S2', 44: ts(daysAgo(2)) } }));
    const first = await visitOf(org.id, 'S1');
    const second = await visitOf(org.id, 'S2');
    expect(second.readmissionOfId).toBe(first.id);
    const flags = await db.select().from(patientFlags).where(eq(patientFlags.patientId, second.patientId));
    expect(flags).toEqual([
      expect.objectContaining({ kind: 'readmission', sourceKind: 'encounter', sourceId: second.id }),
    ]);
  });

  it('does not link a stay discharged more than 30 days before', async () => {
    const { apply, org } = await newOrg();
    await apply(craft({ event: 'A01', mrn: 'R6', pv1: { 19: 'S1', 44: ts(daysAgo(60)) } }));
    await apply(craft({ event: 'A03', mrn: 'R6', pv1: { 19: 'S1', 45: ts(daysAgo(40)) } }));
    await apply(craft({ event: 'A01', mrn: 'R6', pv1: { 19: 'S2', 44: ts(daysAgo(1)) } }));
    const second = await visitOf(org.id, 'S2');
    expect(second.readmissionOfId).toBeNull();
    expect(await db.select().from(patientFlags).where(eq(patientFlags.patientId, second.patientId))).toEqual(
      [],
    );
  });
});

describe('A40 merge', () => {
  it('joins the prior record into the survivor through the merge service, named as the ADT feed', async () => {
    const { apply, org, ctx } = await newOrg();
    await apply(craft({ event: 'A01', mrn: 'KEEP', pv1: { 19: 'K1' } }));
    await apply(craft({ event: 'A04', mrn: 'OLD', pv1: { 2: 'O', 19: 'O1' } }));
    const keep = (await patientOf(org.id, 'KEEP'))!;
    const old = (await patientOf(org.id, 'OLD'))!;
    const outcome = await apply(craft({ event: 'A40', mrn: 'KEEP', pv1: null, extra: ['MRG|OLD^^^RIV^MR'] }));
    expect(outcome).toEqual({ ack: 'AA', patientId: keep.id, encounterId: null });
    expect(await patientOf(org.id, 'OLD')).toMatchObject({ mergedIntoId: keep.id, retiredReason: 'merged' });
    expect((await visitOf(org.id, 'O1')).patientId).toBe(keep.id);
    const [merge] = await db.select().from(patientMerges).where(eq(patientMerges.mergedId, old.id));
    expect(merge!.reason).toContain(ctx.messageId);
    const [merger] = await db.select().from(users).where(eq(users.id, merge!.mergedBy));
    expect(merger).toMatchObject({ displayName: 'ADT feed', kind: 'service' });
    expect(merger!.disabledAt).not.toBeNull();
  });

  it('gives the prior record the new MRN when the survivor is not known here', async () => {
    const { apply, org } = await newOrg();
    await apply(craft({ event: 'A04', mrn: 'OLD2', pv1: { 2: 'O', 19: 'Q1' } }));
    const old = (await patientOf(org.id, 'OLD2'))!;
    expect(
      await apply(craft({ event: 'A40', mrn: 'NEW2', pv1: null, extra: ['MRG|OLD2^^^RIV^MR'] })),
    ).toMatchObject({
      ack: 'AA',
      patientId: old.id,
    });
    expect((await patientOf(org.id, 'NEW2'))?.id).toBe(old.id);
  });
});
