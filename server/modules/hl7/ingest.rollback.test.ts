import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Actor } from '../../platform/actor.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { hl7Feeds, hl7Messages } from './hl7.tables.ts';
import { ingestHl7, invalidateHl7Routing } from './ingest.service.ts';
import { replayHl7Message } from './replay.service.ts';

// A failure injected deep inside the real apply: after the patient and the encounter are written, while the
// discharge plan opens (the last step of an inpatient admission).
const failure = vi.hoisted(() => ({ on: false }));
vi.mock('../discharge/plans.lifecycle.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../discharge/plans.lifecycle.ts')>();
  return {
    ...original,
    ensurePlan: async (...args: Parameters<typeof original.ensurePlan>) => {
      if (failure.on) throw new Error('injected failure while opening the plan');
      return original.ensurePlan(...args);
    },
  };
});

let database: TestDatabase;
let org: typeof organizations.$inferSelect;

const A01 = [
  'MSH|^~\\&|EPIC|RIVERSIDE|KITH|KITH|20260301083000||ADT^A01^ADT_A01|RB-1|P|2.5.1',
  'EVN|A01|20260301083000',
  'PID|1||RB-MRN-1^^^RIV^MR||Rollback^Rita||19450712|F',
  'PV1|1|I|4W^401^B|E||||||MED||||7||||||V-RB-1|||||||||||||||||||||||||20260301080000',
].join('\r');

beforeAll(async () => {
  database = await createTestDatabase();
  org = (
    await database.db
      .insert(organizations)
      .values({ slug: 'rb', name: 'Rollback Hospital', timeZone: 'America/Chicago' })
      .returning()
  )[0]!;
  await database.db.insert(organizations).values({ slug: 'other', name: 'Other' });
  await database.db
    .insert(hl7Feeds)
    .values({ organizationId: org.id, sendingFacility: 'RIVERSIDE', assigningAuthority: 'RIV' });
  invalidateHl7Routing(database.db);
});
afterAll(async () => {
  await database.drop();
});

describe('a failure in the middle of the real ADT apply', () => {
  it('leaves nothing of the message but the raw message, and a replay applies it', async () => {
    failure.on = true;
    const result = await ingestHl7(database.db, A01, { transport: 'mllp' });
    expect(result).toMatchObject({ outcome: 'error', ackCode: 'AE' });
    expect(result.errors[0]).toMatchObject({ code: 207 });
    expect(result.errors[0]!.text).toContain('injected failure');
    expect(await database.db.select().from(patients).where(eq(patients.organizationId, org.id))).toEqual([]);
    expect(await database.db.select().from(encounters).where(eq(encounters.organizationId, org.id))).toEqual(
      [],
    );
    const [row] = await database.db.select().from(hl7Messages).where(eq(hl7Messages.id, result.messageId!));
    expect(row).toMatchObject({ outcome: 'error', raw: A01, patientId: null, encounterId: null });

    failure.on = false;
    const [admin] = await database.db
      .insert(users)
      .values({
        organizationId: org.id,
        email: 'rb-admin@hospital.test',
        displayName: 'Admin',
        role: 'admin',
      })
      .returning();
    const actor: Actor = {
      userId: admin!.id,
      organizationId: org.id,
      role: 'admin',
      email: admin!.email,
      displayName: 'Admin',
      via: 'session',
      sessionId: null,
      tokenId: null,
      mfaEnrolmentRequired: false,
    };
    const replayed = await replayHl7Message(database.db, actor, result.messageId!);
    expect(replayed).toMatchObject({ outcome: 'applied', ackCode: 'AA' });
    const created = await database.db.select().from(patients).where(eq(patients.organizationId, org.id));
    expect(created.map((p) => p.mrn)).toEqual(['RB-MRN-1']);
    const [after] = await database.db.select().from(hl7Messages).where(eq(hl7Messages.id, result.messageId!));
    expect(after).toMatchObject({ outcome: 'applied', replays: 1, patientId: created[0]!.id });
    expect(after!.encounterId).not.toBeNull();

    // The same message again is a duplicate: acknowledged, not applied twice.
    const again = await ingestHl7(database.db, A01, { transport: 'mllp' });
    expect(again).toMatchObject({ outcome: 'duplicate', ackCode: 'AA' });
    expect(
      await database.db.select().from(encounters).where(eq(encounters.organizationId, org.id)),
    ).toHaveLength(1);
  });
});
