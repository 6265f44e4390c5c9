import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Hl7Message } from '../../../domain/hl7/message.ts';
import type { Tx } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { AppError } from '../../platform/errors.ts';
import { auditEvents, organizations, users } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { patients } from '../patients/patients.tables.ts';
import type { AdtApplier, AdtContext } from './adt.contract.ts';
import { hl7Feeds, hl7Messages } from './hl7.tables.ts';
import { forgetAppliedKeys, ingestHl7, invalidateHl7Routing } from './ingest.service.ts';
import { replayHl7Message } from './replay.service.ts';

let database: TestDatabase;
let orgA: typeof organizations.$inferSelect;
let orgB: typeof organizations.$inferSelect;

const adt = (control: string, opts: { facility?: string; type?: string; mrn?: string } = {}) =>
  [
    `MSH|^~\\&|EPIC|${opts.facility ?? 'RIVERSIDE'}|KITH|KITH|20260301083000||${opts.type ?? 'ADT^A01'}|${control}|P|2.5.1`,
    'EVN|A01|20260301083000',
    `PID|1||${opts.mrn ?? 'M-1'}^^^RIV^MR||Doe^Jane||19450712|F`,
    'PV1|1|I|4W^401^B',
  ].join('\r');

/** A fake applier that makes a real change (a patient row) and can be told to fail after it. */
function fakeApplier(behaviour: { fail?: boolean; ack?: 'AA' | 'AE' | 'AR' } = {}) {
  const calls: AdtContext[] = [];
  const applier: AdtApplier = async (tx: Tx, ctx, message) => {
    calls.push(ctx);
    const [patient] = await tx
      .insert(patients)
      .values({
        organizationId: ctx.organizationId,
        mrn: message.segment('PID')!.get(3),
        familyName: 'Doe',
        givenName: 'Jane',
        birthDate: '1945-07-12',
        sex: 'female',
      })
      .returning();
    if (behaviour.fail) throw new Error('simulated failure half way through');
    if (behaviour.ack === 'AE' || behaviour.ack === 'AR') {
      return {
        ack: behaviour.ack,
        errors: [{ segment: 'PV1', field: 19, code: 204, text: 'Unknown visit' }],
      };
    }
    return { ack: 'AA', patientId: patient!.id, encounterId: null };
  };
  return { applier, calls };
}

const rowOf = async (id: string | null) =>
  (await database.db.select().from(hl7Messages).where(eq(hl7Messages.id, id!)))[0]!;
const patientsWithMrn = async (mrn: string) =>
  database.db
    .select()
    .from(patients)
    .where(and(eq(patients.mrn, mrn), eq(patients.organizationId, orgA.id)));

beforeAll(async () => {
  database = await createTestDatabase();
  orgA = (
    await database.db
      .insert(organizations)
      .values({ slug: 'riv', name: 'Riverside', timeZone: 'America/Chicago' })
      .returning()
  )[0]!;
  orgB = (await database.db.insert(organizations).values({ slug: 'oth', name: 'Other' }).returning())[0]!;
  await database.db.insert(hl7Feeds).values([
    { organizationId: orgA.id, sendingFacility: 'Riverside', assigningAuthority: 'RIV' },
    { organizationId: orgB.id, sendingFacility: 'OTHERFAC', assigningAuthority: null },
  ]);
  invalidateHl7Routing(database.db);
});
afterAll(async () => {
  await database.drop();
});

describe('ingestHl7', () => {
  it('stores, applies and acknowledges AA after commit', async () => {
    const { applier, calls } = fakeApplier();
    const result = await ingestHl7(database.db, adt('C-1', { mrn: 'M-APPLIED' }), {
      transport: 'mllp',
      applier,
    });
    expect(result.outcome).toBe('applied');
    expect(result.ackCode).toBe('AA');
    const ack = Hl7Message.parse(result.ack);
    expect(ack.segment('MSA')!.get(1)).toBe('AA');
    expect(ack.segment('MSA')!.get(2)).toBe('C-1');
    expect(ack.receivingFacility).toBe('RIVERSIDE');
    // Routed by MSH-4, ignoring case, with the feed's assigning authority and the organisation's zone.
    expect(calls[0]).toMatchObject({
      organizationId: orgA.id,
      assigningAuthority: 'RIV',
      timeZone: 'America/Chicago',
      messageId: result.messageId,
    });
    const row = await rowOf(result.messageId);
    expect(row).toMatchObject({
      organizationId: orgA.id,
      transport: 'mllp',
      outcome: 'applied',
      ackCode: 'AA',
      sendingApplication: 'EPIC',
      sendingFacility: 'RIVERSIDE',
      controlId: 'C-1',
      messageType: 'ADT^A01',
      triggerEvent: 'A01',
      version: '2.5.1',
    });
    expect(row.raw).toBe(adt('C-1', { mrn: 'M-APPLIED' }));
    expect(row.patientId).not.toBeNull();
    expect(row.appliedAt).not.toBeNull();
    expect(await patientsWithMrn('M-APPLIED')).toHaveLength(1);
  });

  it('acknowledges a duplicate (same sender and control id) AA without applying it again', async () => {
    const first = fakeApplier();
    await ingestHl7(database.db, adt('C-DUP', { mrn: 'M-DUP' }), {
      transport: 'mllp',
      applier: first.applier,
    });
    const again = fakeApplier();
    const result = await ingestHl7(database.db, adt('C-DUP', { mrn: 'M-DUP' }), {
      transport: 'http',
      applier: again.applier,
    });
    expect(result.outcome).toBe('duplicate');
    expect(result.ackCode).toBe('AA');
    expect(again.calls).toHaveLength(0);
    expect((await rowOf(result.messageId)).outcome).toBe('duplicate');
    expect(await patientsWithMrn('M-DUP')).toHaveLength(1);
    // The same control id from another sender application is a different message.
    const other = await ingestHl7(
      database.db,
      adt('C-DUP', { mrn: 'M-DUP2' }).replace('|EPIC|', '|CERNER|'),
      { transport: 'mllp', applier: fakeApplier().applier },
    );
    expect(other.outcome).toBe('applied');
  });

  it('finds a copy applied by another process (or before a restart) a duplicate, and keeps none of its changes', async () => {
    await ingestHl7(database.db, adt('C-DUP-LATE', { mrn: 'M-DUP-LATE' }), {
      transport: 'mllp',
      applier: fakeApplier().applier,
    });
    forgetAppliedKeys(database.db);
    const again = fakeApplier();
    // The same control id (what makes it a copy), its apply writing a patient of its own this time.
    const result = await ingestHl7(database.db, adt('C-DUP-LATE', { mrn: 'M-DUP-LATE-2' }), {
      transport: 'mllp',
      applier: again.applier,
    });
    // Applied, then refused by the unique index on applied messages when its row went in: rolled back whole.
    expect(again.calls).toHaveLength(1);
    expect(result).toMatchObject({ outcome: 'duplicate', ackCode: 'AA', errors: [] });
    expect((await rowOf(result.messageId)).outcome).toBe('duplicate');
    expect(await patientsWithMrn('M-DUP-LATE')).toHaveLength(1);
    expect(await patientsWithMrn('M-DUP-LATE-2')).toHaveLength(0);
  });

  it('keeps the raw message but none of its changes when the apply fails half way', async () => {
    const { applier } = fakeApplier({ fail: true });
    const spy = vi.fn(applier);
    const result = await ingestHl7(database.db, adt('C-FAIL', { mrn: 'M-FAIL' }), {
      transport: 'mllp',
      applier: spy,
    });
    expect(spy).toHaveBeenCalledOnce();
    expect(result.outcome).toBe('error');
    expect(result.ackCode).toBe('AE');
    expect(result.errors).toEqual([
      { segment: 'MSH', code: 207, text: 'Application internal error: simulated failure half way through' },
    ]);
    const ack = Hl7Message.parse(result.ack);
    expect(ack.segment('MSA')!.get(1)).toBe('AE');
    expect(ack.segment('ERR')!.get(3)).toBe('207');
    // The patient inserted before the failure is gone; the message is there, marked error.
    expect(await patientsWithMrn('M-FAIL')).toHaveLength(0);
    const row = await rowOf(result.messageId);
    expect(row.outcome).toBe('error');
    expect(row.raw).toContain('M-FAIL');
    expect(row.patientId).toBeNull();
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.recordId, result.messageId!));
    expect(audit.map((a) => [a.action, a.actorLabel])).toEqual([['hl7.message.receive', 'ADT feed']]);
  });

  it('stores an AE or AR from the applier with its errors, and applies nothing of it', async () => {
    const ae = await ingestHl7(database.db, adt('C-AE', { mrn: 'M-AE' }), {
      transport: 'mllp',
      applier: fakeApplier({ ack: 'AE' }).applier,
    });
    expect(ae).toMatchObject({ outcome: 'error', ackCode: 'AE' });
    expect((await rowOf(ae.messageId)).errors).toEqual([
      { segment: 'PV1', field: 19, code: 204, text: 'Unknown visit' },
    ]);
    expect(Hl7Message.parse(ae.ack).segment('ERR')!.get(2, 3)).toBe('19');
    // What the applier wrote before answering AE is rolled back with its savepoint.
    expect(await patientsWithMrn('M-AE')).toHaveLength(0);
    const ar = await ingestHl7(database.db, adt('C-AR', { mrn: 'M-AR' }), {
      transport: 'mllp',
      applier: fakeApplier({ ack: 'AR' }).applier,
    });
    expect(ar).toMatchObject({ outcome: 'rejected', ackCode: 'AR' });
  });

  it('refuses and stores an unparseable message with AR and a best-effort control id', async () => {
    const raw = 'MSH|^~\\&|EPIC|RIVERSIDE|KITH|KITH|20260301||ADT^A01|C-BAD|P|2.5\rthis is not a segment';
    const { applier, calls } = fakeApplier();
    const result = await ingestHl7(database.db, raw, { transport: 'mllp', applier });
    expect(calls).toHaveLength(0);
    expect(result).toMatchObject({ outcome: 'rejected', ackCode: 'AR' });
    const ack = Hl7Message.parse(result.ack);
    expect(ack.segment('MSA')!.get(1)).toBe('AR');
    expect(ack.segment('MSA')!.get(2)).toBe('C-BAD');
    expect(ack.segment('ERR')!.get(2, 2)).toBe('2');
    const row = await rowOf(result.messageId);
    expect(row).toMatchObject({ outcome: 'rejected', raw, controlId: 'C-BAD', organizationId: orgA.id });
    expect((row.errors as { code: number }[])[0]!.code).toBe(100);

    const garbage = await ingestHl7(database.db, '\u0001\u0002 garbage', { transport: 'http', applier });
    expect(garbage.outcome).toBe('rejected');
    expect((await rowOf(garbage.messageId)).organizationId).toBeNull();
  });

  it('refuses an unknown sending facility when there are several organisations', async () => {
    const result = await ingestHl7(database.db, adt('C-UNK', { facility: 'NOWHERE' }), {
      transport: 'mllp',
      applier: fakeApplier().applier,
    });
    expect(result).toMatchObject({ outcome: 'rejected', ackCode: 'AR' });
    expect(result.errors[0]).toMatchObject({ segment: 'MSH', field: 4, code: 204 });
    expect((await rowOf(result.messageId)).organizationId).toBeNull();
  });

  it('refuses other message types (AR 200)', async () => {
    const result = await ingestHl7(database.db, adt('C-ORU', { type: 'ORU^R01' }), {
      transport: 'mllp',
      applier: fakeApplier().applier,
    });
    expect(result).toMatchObject({ outcome: 'rejected', ackCode: 'AR' });
    expect(result.errors[0]!.code).toBe(200);
  });
});

describe('replayHl7Message', () => {
  const actorOf = (org: { id: string }): Actor => ({
    userId: '00000000-0000-7000-8000-000000000001',
    organizationId: org.id,
    role: 'admin',
    email: 'admin@hospital.test',
    displayName: 'Admin',
    via: 'session',
    sessionId: null,
    tokenId: null,
    mfaEnrolmentRequired: false,
  });

  it('applies a failed message again, counts the replay, and refuses an applied one (409)', async () => {
    const failed = await ingestHl7(database.db, adt('C-REPLAY', { mrn: 'M-REPLAY' }), {
      transport: 'mllp',
      applier: fakeApplier({ fail: true }).applier,
    });
    expect(failed.outcome).toBe('error');
    const [admin] = await database.db
      .insert(users)
      .values({
        organizationId: orgA.id,
        email: 'replayer@hospital.test',
        displayName: 'Replayer',
        role: 'admin',
      })
      .returning();
    const actor = { ...actorOf(orgA), userId: admin!.id };
    const replayed = await replayHl7Message(database.db, actor, failed.messageId!, {
      applier: fakeApplier().applier,
    });
    expect(replayed).toMatchObject({ outcome: 'applied', ackCode: 'AA', errors: [] });
    const row = await rowOf(failed.messageId);
    expect(row).toMatchObject({
      outcome: 'applied',
      replays: 1,
      lastReplayedBy: admin!.id,
      transport: 'mllp',
    });
    expect(await patientsWithMrn('M-REPLAY')).toHaveLength(1);
    await expect(
      replayHl7Message(database.db, actor, failed.messageId!, { applier: fakeApplier().applier }),
    ).rejects.toMatchObject({ status: 409 });
    // Another organisation's admin does not see it.
    await expect(
      replayHl7Message(database.db, actorOf(orgB), failed.messageId!, { applier: fakeApplier().applier }),
    ).rejects.toBeInstanceOf(AppError);
  });
});

describe('a single organisation', () => {
  let solo: TestDatabase;
  beforeAll(async () => {
    solo = await createTestDatabase();
    await solo.db.insert(organizations).values({ slug: 'solo', name: 'Solo', timeZone: 'Europe/Paris' });
  });
  afterAll(async () => {
    await solo.drop();
  });

  it('takes every message whatever its facility, MRN from the first repetition', async () => {
    const { applier, calls } = fakeApplier();
    const result = await ingestHl7(solo.db, adt('S-1', { facility: 'ANYTHING' }), {
      transport: 'http',
      applier,
    });
    expect(result.outcome).toBe('applied');
    expect(calls[0]).toMatchObject({ assigningAuthority: null, timeZone: 'Europe/Paris' });
  });
});
