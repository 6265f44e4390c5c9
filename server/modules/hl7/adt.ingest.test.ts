import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organizations } from '../../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from '../../test/database.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { craft, daysAgo, ts } from './adt.support.ts';
import { hl7Feeds, hl7Messages } from './hl7.tables.ts';
import { ingestHl7, invalidateHl7Routing } from './ingest.service.ts';

let database: TestDatabase;
let orgId: string;
beforeAll(async () => {
  database = await createTestDatabase();
  const [org] = await database.db
    .insert(organizations)
    .values({ slug: 'riverside', name: 'Riverside', timeZone: 'America/Chicago' })
    .returning();
  orgId = org!.id;
  await database.db
    .insert(hl7Feeds)
    .values({ organizationId: orgId, sendingFacility: 'RIVERSIDE', assigningAuthority: 'RIV' });
  invalidateHl7Routing(database.db);
});
afterAll(() => database.drop());

describe('the real applier behind ingest', () => {
  it('applies a message once: the same control id again is a duplicate, acknowledged AA, not applied', async () => {
    const text = craft({
      event: 'A01',
      mrn: 'DUP1',
      controlId: 'CTRL-1',
      pv1: { 3: '4E', 19: 'D1', 44: ts(daysAgo(1)) },
    });
    const first = await ingestHl7(database.db, text, { transport: 'http' });
    expect(first).toMatchObject({ outcome: 'applied', ackCode: 'AA' });
    const again = await ingestHl7(database.db, text, { transport: 'http' });
    expect(again).toMatchObject({ outcome: 'duplicate', ackCode: 'AA' });
    const visits = await database.db.select().from(encounters).where(eq(encounters.visitNumber, 'D1'));
    expect(visits).toHaveLength(1);
    const [stored] = await database.db.select().from(hl7Messages).where(eq(hl7Messages.id, first.messageId!));
    expect(stored).toMatchObject({ patientId: visits[0]!.patientId, encounterId: visits[0]!.id });
  });

  it('stores an AE answer with nothing of the message applied', async () => {
    const res = await ingestHl7(
      database.db,
      craft({ event: 'A01', mrn: 'BAD', pid: { 7: '19409999' }, pv1: { 19: 'B1' } }),
      { transport: 'http' },
    );
    expect(res).toMatchObject({
      outcome: 'error',
      ackCode: 'AE',
      errors: [{ segment: 'PID', field: 7, code: 102 }],
    });
    expect(await database.db.select().from(patients).where(eq(patients.mrn, 'BAD'))).toEqual([]);
    expect(res.ack).toContain('MSA|AE|');
  });
});
