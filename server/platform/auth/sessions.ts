import { createHash, randomBytes } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { organizations, sessions, users } from '../platform.tables.ts';

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
}

export type SessionRow = typeof sessions.$inferSelect;

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Opens a server-side session; the returned token goes into the cookie and is stored only as a hash. */
export async function openSession(
  db: Db,
  policy: SessionPolicy,
  input: {
    userId: string;
    organizationId: string;
    mfaSatisfied: boolean;
    ip: string | null;
    userAgent: string | null;
  },
): Promise<{ token: string; session: SessionRow }> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const [session] = await db
    .insert(sessions)
    .values({
      tokenHash: hashToken(token),
      userId: input.userId,
      organizationId: input.organizationId,
      csrfToken: randomBytes(24).toString('base64url'),
      mfaSatisfied: input.mfaSatisfied,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 500) ?? null,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + policy.absoluteMs),
    })
    .returning();
  return { token, session: session! };
}

const sessionExpired = (why: string) =>
  new AppError(401, 'session-expired', `Your session has ended (${why}); sign in again`);

/**
 * Finds the live session for a cookie token and counts this request as activity.
 * A session idle past its limit, or past its absolute lifetime, is ended and refused.
 */
export interface LiveSession {
  session: SessionRow;
  user: typeof users.$inferSelect;
  organization: typeof organizations.$inferSelect;
}

export async function touchSession(
  db: Db,
  policy: SessionPolicy,
  token: string,
  now = new Date(),
  opts: { passive?: boolean | undefined } = {},
): Promise<LiveSession> {
  // One round trip finds the session, its user and organisation: this runs on every request.
  const [row] = await db
    .select({ session: sessions, user: users, organization: organizations })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .innerJoin(organizations, eq(organizations.id, sessions.organizationId))
    .where(eq(sessions.tokenHash, hashToken(token)));
  const session = row?.session;
  if (!session || session.endedAt) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
  if (now.getTime() - session.lastSeenAt.getTime() > policy.idleMs) {
    await endSession(db, session.id, 'idle');
    throw sessionExpired('idle for too long');
  }
  if (now >= session.expiresAt) {
    await endSession(db, session.id, 'absolute');
    throw sessionExpired('it reached its maximum length');
  }
  // Writing on every request would make reads into writes; a few seconds of slack is harmless.
  // A passive request (a background poll) is checked but is not activity: it must not keep a session alive.
  if (!opts.passive && now.getTime() - session.lastSeenAt.getTime() > 5_000) {
    await db.update(sessions).set({ lastSeenAt: now }).where(eq(sessions.id, session.id));
    session.lastSeenAt = now;
  }
  return { session, user: row.user, organization: row.organization };
}

export async function endSession(db: Db, sessionId: string, reason: string): Promise<void> {
  await db
    .update(sessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(and(eq(sessions.id, sessionId), isNull(sessions.endedAt)));
}

/** Ends every live session of a user, optionally keeping one; returns how many ended. */
export async function endUserSessions(
  db: Db,
  userId: string,
  reason: string,
  keepSessionId?: string,
): Promise<number> {
  const ended = await db
    .update(sessions)
    .set({ endedAt: new Date(), endReason: reason })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.endedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return ended.length;
}

export async function liveSessions(db: Db, userId: string, policy: SessionPolicy): Promise<SessionRow[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.endedAt)));
  const now = Date.now();
  return rows.filter((s) => s.expiresAt.getTime() > now && now - s.lastSeenAt.getTime() <= policy.idleMs);
}
