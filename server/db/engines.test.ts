import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { patients } from '../modules/patients/patients.tables.ts';
import { appendAudit, verifyAuditChain } from '../platform/audit/audit.service.ts';
import { newId } from '../platform/ids.ts';
import { auditEvents, organizations, users } from '../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase, testEngine } from '../test/database.ts';

// The same representative queries must behave alike on PGlite and on PostgreSQL.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

/** The SQLSTATE of a failed statement, whether or not drizzle wrapped the driver's error. */
async function sqlState(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code?: string; cause?: { code?: string } };
    return e.cause?.code ?? e.code ?? 'no-code';
  }
  return undefined;
}

async function newOrganization(slug = `org-${newId().slice(-8)}`) {
  const [org] = await database.db
    .insert(organizations)
    .values({ slug, name: `Hospital ${slug}` })
    .returning();
  return org!;
}

function patientRow(
  organizationId: string,
  over: Partial<typeof patients.$inferInsert> = {},
): typeof patients.$inferInsert {
  return {
    organizationId,
    mrn: `MRN${newId().slice(-8)}`,
    familyName: 'Okafor',
    givenName: 'Ada',
    birthDate: '1948-11-02',
    sex: 'female',
    ...over,
  };
}

describe(`migrations on ${testEngine}`, () => {
  it('are applied and current', async () => {
    expect(await database.migrationsCurrent()).toBe(true);
    // The audit chain's 8 lanes, each with its head (docs/decisions/013-audit-chain-lanes.md).
    const heads = await database.query<{ id: number }>('select id from audit_chain_head order by id');
    expect(heads.map((h) => h.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('are a no-op when applied again', async () => {
    const before = await database.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    await database.migrate();
    const after = await database.query<{ n: number }>(
      'select count(*)::int as n from drizzle.__drizzle_migrations',
    );
    expect(after).toEqual(before);
    expect(await database.query('select id from audit_chain_head')).toHaveLength(8);
    expect(await database.migrationsCurrent()).toBe(true);
  });
});

describe(`representative queries on ${testEngine}`, () => {
  it('inserts and selects organisations, users and patients through drizzle', async () => {
    const org = await newOrganization();
    const [user] = await database.db
      .insert(users)
      .values({
        organizationId: org.id,
        email: `sw-${newId().slice(-8)}@north.test`,
        displayName: 'Rae Tan, LCSW',
        role: 'social_worker',
      })
      .returning();
    await database.db
      .insert(patients)
      .values(patientRow(org.id, { mrn: 'N000123', phones: [{ use: 'home', number: '617-555-0100' }] }));
    const rows = await database.db
      .select({ mrn: patients.mrn, phones: patients.phones, org: organizations.slug })
      .from(patients)
      .innerJoin(organizations, eq(organizations.id, patients.organizationId))
      .where(eq(patients.organizationId, org.id));
    expect(rows).toEqual([
      { mrn: 'N000123', phones: [{ use: 'home', number: '617-555-0100' }], org: org.slug },
    ]);
    expect(user).toMatchObject({ kind: 'person', role: 'social_worker', disabledAt: null });
  });

  it('allows the same MRN in two organisations and refuses it twice in one', async () => {
    const north = await newOrganization();
    const south = await newOrganization();
    await database.db.insert(patients).values(patientRow(north.id, { mrn: 'SHARED01' }));
    await database.db.insert(patients).values(patientRow(south.id, { mrn: 'SHARED01' }));
    expect(
      await sqlState(database.db.insert(patients).values(patientRow(north.id, { mrn: 'SHARED01' }))),
    ).toBe('23505');
    const [count] = await database.query<{ n: number }>(
      `select count(*)::int as n from patients where mrn = 'SHARED01'`,
    );
    expect(count!.n).toBe(2);
  });

  it('finds rows by jsonb containment', async () => {
    const org = await newOrganization();
    await database.db
      .insert(patients)
      .values([
        patientRow(org.id, { address: { city: 'Boston', state: 'MA' } }),
        patientRow(org.id, { address: { city: 'Worcester', state: 'MA' } }),
      ]);
    const found = await database.db
      .select({ address: patients.address })
      .from(patients)
      .where(
        and(
          eq(patients.organizationId, org.id),
          sql`${patients.address} @> ${JSON.stringify({ city: 'Boston' })}::jsonb`,
        ),
      );
    expect(found).toEqual([{ address: { city: 'Boston', state: 'MA' } }]);
  });

  it('leaves nothing written when a transaction throws', async () => {
    const slug = `rolled-back-${newId().slice(-8)}`;
    await expect(
      database.db.transaction(async (tx) => {
        const [org] = await tx.insert(organizations).values({ slug, name: 'Never' }).returning();
        await tx.insert(patients).values(patientRow(org!.id));
        throw new Error('the write fails half-way');
      }),
    ).rejects.toThrow('the write fails half-way');
    expect(await database.db.select().from(organizations).where(eq(organizations.slug, slug))).toEqual([]);
  });

  it('holds a row with select ... for update until the transaction ends', async () => {
    const org = await newOrganization();
    const order: string[] = [];
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => {
      locked = r;
    });
    const first = database.db.transaction(async (tx) => {
      const [row] = await tx.select().from(organizations).where(eq(organizations.id, org.id)).for('update');
      expect(row!.slug).toBe(org.slug);
      locked();
      await new Promise((r) => setTimeout(r, 150));
      await tx.update(organizations).set({ name: 'first' }).where(eq(organizations.id, org.id));
      order.push('first committed');
    });
    await isLocked;
    const second = database.db.transaction(async (tx) => {
      await tx.update(organizations).set({ name: 'second' }).where(eq(organizations.id, org.id));
      order.push('second updated');
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first committed', 'second updated']);
    const [row] = await database.db.select().from(organizations).where(eq(organizations.id, org.id));
    expect(row!.name).toBe('second');
  });

  it('round-trips a timestamptz with its milliseconds', async () => {
    const org = await newOrganization();
    const at = new Date('2024-02-29T23:59:58.789Z');
    const [inserted] = await database.db
      .insert(patients)
      .values(patientRow(org.id, { createdAt: at, retiredAt: at }))
      .returning();
    const [read] = await database.db.select().from(patients).where(eq(patients.id, inserted!.id));
    expect(read!.createdAt.toISOString()).toBe('2024-02-29T23:59:58.789Z');
    expect(read!.retiredAt!.getTime()).toBe(at.getTime());
    expect(read!.birthDate).toBe('1948-11-02');
  });

  it('refuses an email that differs only in case, across organisations', async () => {
    const north = await newOrganization();
    const south = await newOrganization();
    const email = `Case.Worker-${newId().slice(-8)}@Hospital.test`;
    await database.db
      .insert(users)
      .values({ organizationId: north.id, email, displayName: 'A', role: 'admin' });
    const duplicate = database.db
      .insert(users)
      .values({ organizationId: south.id, email: email.toLowerCase(), displayName: 'B', role: 'admin' });
    expect(await sqlState(duplicate)).toBe('23505');
  });
});

describe(`the audit trail on ${testEngine}`, () => {
  it('accepts appendAudit and refuses UPDATE, DELETE and TRUNCATE', async () => {
    const org = await newOrganization();
    await appendAudit(database.db, {
      organizationId: org.id,
      actorUserId: null,
      actorRole: null,
      actorLabel: 'test',
      action: 'engine.check',
      outcome: 'success',
      detail: { n: 1 },
    });
    const [row] = await database.db.select().from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    expect(row).toMatchObject({ action: 'engine.check', detail: { n: 1 } });

    for (const statement of [
      `update audit_events set reason = 'changed' where seq = ${row!.seq}`,
      `delete from audit_events where seq = ${row!.seq}`,
      'truncate audit_events',
    ]) {
      await expect(database.query(statement), statement).rejects.toThrow(
        /audit_events is append-only \((UPDATE|DELETE|TRUNCATE) refused\)/,
      );
    }
    const [after] = await database.db.select().from(auditEvents).where(eq(auditEvents.seq, row!.seq));
    expect(after).toEqual(row);
    expect((await verifyAuditChain(database.db)).ok).toBe(true);
  });
});
