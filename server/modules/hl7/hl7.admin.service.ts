import { and, count, desc, eq, gte, ilike, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type {
  Hl7Error,
  Hl7Feed,
  Hl7FeedRequest,
  Hl7MessageDetail,
  Hl7MessageQuery,
  Hl7MessageSummary,
} from '../../../domain/schemas/hl7.ts';
import type { Db } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { zoneOf } from '../../platform/organizations.ts';
import { hl7Feeds, hl7Messages } from './hl7.tables.ts';
import { invalidateHl7Routing } from './ingest.service.ts';

/**
 * The admin side of the feed: the messages received (list without PHI, one with its raw text, audited),
 * and the feeds that route a sending facility to the organisation.
 */

type MessageRow = typeof hl7Messages.$inferSelect;

export const presentHl7Message = (r: MessageRow): Hl7MessageSummary => ({
  id: r.id,
  organizationId: r.organizationId,
  receivedAt: r.receivedAt.toISOString(),
  transport: r.transport,
  sendingApplication: r.sendingApplication,
  sendingFacility: r.sendingFacility,
  controlId: r.controlId,
  messageType: r.messageType,
  triggerEvent: r.triggerEvent,
  version: r.version,
  outcome: r.outcome as Hl7MessageSummary['outcome'],
  ackCode: (r.ackCode as Hl7MessageSummary['ackCode']) ?? null,
  errors: r.errors as Hl7Error[],
  patientId: r.patientId,
  encounterId: r.encounterId,
  appliedAt: r.appliedAt?.toISOString() ?? null,
  replays: r.replays,
  lastReplayedAt: r.lastReplayedAt?.toISOString() ?? null,
});

/**
 * The organisation's messages and the ones no organisation could be given (unknown facility, unparseable):
 * an admin needs to see those to configure a feed.
 */
const visibleTo = (organizationId: string) =>
  or(eq(hl7Messages.organizationId, organizationId), isNull(hl7Messages.organizationId))!;

export async function listHl7Messages(db: Db, actor: Actor, q: Hl7MessageQuery) {
  const where: SQL[] = [visibleTo(actor.organizationId)];
  if (q.outcome) where.push(eq(hl7Messages.outcome, q.outcome));
  if (q.event) where.push(eq(hl7Messages.triggerEvent, q.event));
  if (q.from || q.to) {
    const zone = await zoneOf(db, actor.organizationId);
    // Days in the organisation's zone.
    if (q.from)
      where.push(gte(hl7Messages.receivedAt, sql`(${q.from}::date)::timestamp at time zone ${zone}`));
    if (q.to)
      where.push(lt(hl7Messages.receivedAt, sql`(${q.to}::date + 1)::timestamp at time zone ${zone}`));
  }
  if (q.q) {
    const like = `%${q.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.push(
      or(
        ilike(hl7Messages.controlId, like),
        ilike(hl7Messages.sendingApplication, like),
        ilike(hl7Messages.sendingFacility, like),
      )!,
    );
  }
  const filter = and(...where);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(hl7Messages)
      .where(filter)
      .orderBy(desc(hl7Messages.receivedAt), desc(hl7Messages.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: count() }).from(hl7Messages).where(filter),
  ]);
  return { items: rows.map(presentHl7Message), page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}

/** One message with its raw text: PHI, so the read is audited. */
export async function getHl7Message(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  messageId: string,
): Promise<Hl7MessageDetail> {
  const [row] = await db
    .select()
    .from(hl7Messages)
    .where(and(eq(hl7Messages.id, messageId), visibleTo(actor.organizationId)));
  if (!row) throw notFound('HL7 message');
  await appendAudit(db, {
    ...auditActor(actor),
    action: 'hl7.message.read',
    outcome: 'success',
    patientId: row.patientId,
    recordKind: 'hl7_message',
    recordId: row.id,
    ip: origin.ip,
    userAgent: origin.userAgent,
  });
  return { ...presentHl7Message(row), raw: row.raw, lastReplayedBy: row.lastReplayedBy };
}

const presentFeed = (f: typeof hl7Feeds.$inferSelect): Hl7Feed => ({
  id: f.id,
  sendingFacility: f.sendingFacility,
  assigningAuthority: f.assigningAuthority,
  createdAt: f.createdAt.toISOString(),
});

export async function listFeeds(db: Db, actor: Actor): Promise<Hl7Feed[]> {
  const rows = await db
    .select()
    .from(hl7Feeds)
    .where(eq(hl7Feeds.organizationId, actor.organizationId))
    .orderBy(hl7Feeds.sendingFacility);
  return rows.map(presentFeed);
}

const feedAudit = (
  actor: Actor,
  origin: RequestOrigin,
  action: string,
  id: string,
  detail: Record<string, unknown>,
) => ({
  ...auditActor(actor),
  action,
  outcome: 'success' as const,
  recordKind: 'hl7_feed',
  recordId: id,
  ip: origin.ip,
  userAgent: origin.userAgent,
  detail,
});

async function facilityTaken(db: Db, facility: string, exceptId?: string) {
  const [row] = await db
    .select({ id: hl7Feeds.id })
    .from(hl7Feeds)
    .where(sql`lower(${hl7Feeds.sendingFacility}) = lower(${facility})`);
  if (row && row.id !== exceptId) {
    throw conflict('feed-exists', 'A feed for this sending facility already exists', {
      errors: [{ field: 'sendingFacility', message: 'is already routed' }],
    });
  }
}

export async function createFeed(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  body: Hl7FeedRequest,
): Promise<Hl7Feed> {
  await facilityTaken(db, body.sendingFacility);
  const feed = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(hl7Feeds)
      .values({ organizationId: actor.organizationId, ...body })
      .returning();
    await appendAudit(tx, feedAudit(actor, origin, 'hl7.feed.create', row!.id, { ...body }));
    return row!;
  });
  invalidateHl7Routing(db);
  return presentFeed(feed);
}

export async function updateFeed(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  feedId: string,
  body: Hl7FeedRequest,
): Promise<Hl7Feed> {
  await facilityTaken(db, body.sendingFacility, feedId);
  const feed = await db.transaction(async (tx) => {
    const [row] = await tx
      .update(hl7Feeds)
      .set(body)
      .where(and(eq(hl7Feeds.id, feedId), eq(hl7Feeds.organizationId, actor.organizationId)))
      .returning();
    if (!row) throw notFound('feed');
    await appendAudit(tx, feedAudit(actor, origin, 'hl7.feed.update', row.id, { ...body }));
    return row;
  });
  invalidateHl7Routing(db);
  return presentFeed(feed);
}

export async function deleteFeed(db: Db, actor: Actor, origin: RequestOrigin, feedId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .delete(hl7Feeds)
      .where(and(eq(hl7Feeds.id, feedId), eq(hl7Feeds.organizationId, actor.organizationId)))
      .returning();
    if (!row) throw notFound('feed');
    await appendAudit(
      tx,
      feedAudit(actor, origin, 'hl7.feed.delete', row.id, { sendingFacility: row.sendingFacility }),
    );
  });
  invalidateHl7Routing(db);
}
