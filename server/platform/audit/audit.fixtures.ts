import { asc } from 'drizzle-orm';
import { expect } from 'vitest';
import type { Database } from '../../db/client.ts';
import { auditChainHead, auditEvents } from '../platform.tables.ts';
import type { AuditEntry } from './audit.service.ts';

/* Helpers of the audit chain's tests: records to append, the lanes as stored, and an owner's edits. */

export const entry = (action: string, reason: string | null = null): AuditEntry => ({
  organizationId: null,
  actorUserId: null,
  actorRole: null,
  actorLabel: 'audit-test',
  action,
  outcome: 'success',
  reason,
  detail: { patientIds: ['a', 'b'], count: 2 },
});

/** Changes the audit trail the way a database owner could: with the append-only trigger off. */
export async function asOwner(database: Pick<Database, 'query'>, ...statements: string[]): Promise<void> {
  await database.query('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only');
  try {
    for (const statement of statements) await database.query(statement);
  } finally {
    await database.query('ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only');
  }
}

export const GENESIS = '0'.repeat(64);
export type Row = typeof auditEvents.$inferSelect;

export const allRows = (database: Database) =>
  database.db.select().from(auditEvents).orderBy(asc(auditEvents.seq));

/** The records of each lane, in lane order. */
export function lanesOf(rows: Row[]): Map<number, Row[]> {
  const lanes = new Map<number, Row[]>();
  for (const row of [...rows].sort((a, b) => a.chain - b.chain || a.chainSeq - b.chainSeq)) {
    lanes.set(row.chain, [...(lanes.get(row.chain) ?? []), row]);
  }
  return lanes;
}

/** Every lane numbered 1, 2, 3..., linked from the genesis hash, in seq order, and ending at its head. */
export async function expectWholeLanes(database: Database): Promise<Map<number, Row[]>> {
  const lanes = lanesOf(await allRows(database));
  const heads = await database.db.select().from(auditChainHead).orderBy(asc(auditChainHead.id));
  expect(heads.map((h) => h.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  for (const [lane, rows] of lanes) {
    expect(lane).toBeGreaterThanOrEqual(1);
    expect(lane).toBeLessThanOrEqual(8);
    expect(rows.map((r) => r.chainSeq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows[0]!.prevHash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]!.prevHash).toBe(rows[i - 1]!.hash);
      expect(rows[i]!.seq).toBeGreaterThan(rows[i - 1]!.seq);
    }
  }
  for (const head of heads) {
    const rows = lanes.get(head.id) ?? [];
    expect(head).toEqual({ id: head.id, seq: rows.length, hash: rows.at(-1)?.hash ?? GENESIS });
  }
  return lanes;
}
