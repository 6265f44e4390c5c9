import { createHash } from 'node:crypto';
import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Role } from '../../../domain/roles.ts';
import type { Db } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../actor.ts';
import { type AuditEntry, appendAudit } from '../audit/audit.service.ts';
import { AppError, conflict } from '../errors.ts';
import type { Mailer } from '../mail.ts';
import { apiTokens, mfaRecoveryCodes, sessions, signInThrottle, users } from '../platform.tables.ts';
import {
  findUserByEmail,
  getOrganization,
  hashApiToken,
  mfaAlwaysRequired,
  mfaRequiredFor,
  type OrganizationRow,
  type UserRow,
} from '../users.service.ts';
import {
  checkTotp,
  hashRecoveryCode,
  looksLikeRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  totpProvisioning,
} from './mfa.ts';
import { assertAcceptablePassword, hashPassword, verifyPassword } from './passwords.ts';
import { openSession, type SessionPolicy, type SessionRow } from './sessions.ts';

export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;

const invalidCredentials = () => new AppError(401, 'invalid-credentials', 'Email or password is not right');
const lockedOut = (until: Date) =>
  new AppError(423, 'account-locked', 'Too many failed attempts: this account is locked for 15 minutes', {
    retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000)),
  });

/** Keyed by a hash of the email: the throttle works the same whether or not the account exists. */
const emailKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');

const signInAudit = (
  user: UserRow | undefined,
  origin: RequestOrigin,
  action: string,
  outcome: AuditEntry['outcome'],
  detail?: Record<string, unknown>,
): AuditEntry => ({
  organizationId: user?.organizationId ?? null,
  actorUserId: user?.id ?? null,
  actorRole: user?.role ?? null,
  actorLabel: user?.email ?? 'unknown account',
  action,
  outcome,
  ip: origin.ip,
  userAgent: origin.userAgent,
  detail: detail ?? null,
});

/** Counts a failed attempt; returns true when it locked the email. */
async function recordFailure(
  db: Db,
  key: string,
  user: UserRow | undefined,
  origin: RequestOrigin,
  why: string,
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(signInThrottle)
      .values({ emailKey: key, failures: 1, updatedAt: new Date() })
      .onConflictDoUpdate({
        target: signInThrottle.emailKey,
        // Failures older than the lock-out window are forgotten: months of occasional typos lock nobody out.
        set: {
          failures: sql`case when ${signInThrottle.updatedAt} < now() - interval '15 minutes' then 1 else ${signInThrottle.failures} + 1 end`,
          updatedAt: new Date(),
        },
      })
      .returning();
    const entries = [signInAudit(user, origin, 'auth.sign-in', 'failure', { why })];
    if (row!.failures >= LOCKOUT_FAILURES) {
      await tx
        .update(signInThrottle)
        .set({ failures: 0, lockedUntil: new Date(Date.now() + LOCKOUT_MS) })
        .where(eq(signInThrottle.emailKey, key));
      entries.push(signInAudit(user, origin, 'auth.lockout', 'locked'));
    }
    await appendAudit(tx, ...entries);
    return row!.failures >= LOCKOUT_FAILURES;
  });
}

/** Tells the owner of an account that it was locked, so that an attack on it does not go unnoticed. */
export async function notifyLockout(mailer: Mailer, user: UserRow, publicUrl: string): Promise<void> {
  await mailer.send({
    organizationId: user.organizationId,
    to: user.email,
    subject: 'Your Kith account was locked after failed sign-in attempts',
    text: [
      `Hello ${user.displayName},`,
      '',
      `Someone tried to sign in to your Kith account five times with a wrong password or code, so it is locked for ${LOCKOUT_MS / 60_000} minutes.`,
      'If this was you, wait and try again. If it was not, tell your Kith administrator: your password may be known to someone else.',
      '',
      publicUrl,
    ].join('\n'),
  });
}

export interface SignInResult {
  user: UserRow;
  token: string;
  session: SessionRow;
}

/**
 * Password (and second factor when enrolled) sign-in. Wrong credentials, a disabled account and an unknown
 * email all answer alike; five failures lock the email for 15 minutes.
 */
export async function signIn(
  db: Db,
  policy: SessionPolicy,
  input: { email: string; password: string; totp?: string | undefined },
  origin: RequestOrigin,
  hooks: { onLockout?: (user: UserRow) => Promise<void> } = {},
): Promise<SignInResult> {
  const key = emailKey(input.email);
  const fail = async (user: UserRow | undefined, why: string) => {
    const locked = await recordFailure(db, key, user, origin, why);
    // Not awaited: the answer must take as long whether or not the email has an account.
    if (locked && user?.kind === 'person' && !user.disabledAt && hooks.onLockout) void hooks.onLockout(user);
  };
  const user = await findUserByEmail(db, input.email);
  const [throttle] = await db.select().from(signInThrottle).where(eq(signInThrottle.emailKey, key));
  if (throttle?.lockedUntil && throttle.lockedUntil > new Date()) {
    await appendAudit(db, signInAudit(user, origin, 'auth.sign-in', 'locked'));
    throw lockedOut(throttle.lockedUntil);
  }
  const usable = user && user.kind === 'person' && !user.disabledAt;
  const passwordOk = await verifyPassword(usable ? user.passwordHash : null, input.password);
  if (!usable || !passwordOk) {
    await fail(user, !user ? 'unknown-email' : !usable ? 'disabled' : 'password');
    throw invalidCredentials();
  }
  const mfaEnrolled = Boolean(user.mfaEnabledAt && user.mfaSecret);
  if (mfaEnrolled) {
    if (!input.totp) {
      await appendAudit(db, signInAudit(user, origin, 'auth.mfa-challenge', 'success'));
      throw new AppError(401, 'mfa-required', 'Enter the code from your authenticator app');
    }
    if (!(await acceptSecondFactor(db, user, input.totp))) {
      await fail(user, 'second-factor');
      throw new AppError(401, 'mfa-invalid', 'That code is not right or was already used');
    }
  }
  await db
    .update(signInThrottle)
    .set({ failures: 0, lockedUntil: null })
    .where(eq(signInThrottle.emailKey, key));
  await db.update(users).set({ lastSignInAt: new Date() }).where(eq(users.id, user.id));
  const opened = await openSession(db, policy, {
    userId: user.id,
    organizationId: user.organizationId,
    mfaSatisfied: mfaEnrolled,
    ...origin,
  });
  await appendAudit(db, {
    ...signInAudit(user, origin, 'auth.sign-in', 'success', { mfa: mfaEnrolled }),
    recordKind: 'session',
    recordId: opened.session.id,
  });
  return { user, ...opened };
}

/** Accepts a current TOTP code (once) or an unused recovery code (burning it). */
async function acceptSecondFactor(db: Db, user: UserRow, code: string): Promise<boolean> {
  const step = await checkTotp(user.mfaSecret!, code.replace(/\s+/g, ''), user.mfaLastStep);
  if (step !== null) {
    await db.update(users).set({ mfaLastStep: step }).where(eq(users.id, user.id));
    return true;
  }
  if (!looksLikeRecoveryCode(code)) return false;
  const used = await db
    .update(mfaRecoveryCodes)
    .set({ usedAt: new Date() })
    .where(
      and(
        eq(mfaRecoveryCodes.userId, user.id),
        eq(mfaRecoveryCodes.codeHash, hashRecoveryCode(code)),
        isNull(mfaRecoveryCodes.usedAt),
      ),
    )
    .returning({ id: mfaRecoveryCodes.id });
  return used.length === 1;
}

/** The actor of a live session; the session's MFA state decides whether only enrolment is open. */
export function actorFromSession(session: SessionRow, user: UserRow, org: OrganizationRow): Actor {
  if (user.disabledAt) throw new AppError(401, 'unauthenticated', 'Sign in to continue');
  const enrolled = Boolean(user.mfaEnabledAt);
  return {
    userId: user.id,
    organizationId: user.organizationId,
    role: user.role as Role,
    email: user.email,
    displayName: user.displayName,
    via: 'session',
    sessionId: session.id,
    tokenId: null,
    mfaEnrolmentRequired: mfaRequiredFor(user, org) && !(enrolled && session.mfaSatisfied),
  };
}

/** The actor behind a bearer token, or a 401 when it is unknown, revoked, expired or its user disabled. */
export async function actorForApiToken(db: Db, token: string): Promise<Actor> {
  const [row] = await db
    .select({ token: apiTokens, user: users })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, hashApiToken(token)));
  const now = new Date();
  if (
    !row ||
    row.token.revokedAt ||
    (row.token.expiresAt && row.token.expiresAt <= now) ||
    row.user.disabledAt
  ) {
    throw new AppError(401, 'unauthenticated', 'The API token is not valid');
  }
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > 60_000) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.token.id));
  }
  return {
    userId: row.user.id,
    organizationId: row.user.organizationId,
    role: row.user.role as Role,
    email: row.user.email,
    displayName: row.user.displayName,
    via: 'token',
    sessionId: null,
    tokenId: row.token.id,
    mfaEnrolmentRequired: false,
  };
}

/** Starts (or restarts) TOTP enrolment: a new secret is kept pending until a code confirms it. */
export async function startMfaEnrolment(db: Db, actor: Actor) {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (user!.mfaEnabledAt)
    throw conflict(
      'mfa-already-enabled',
      'Two-step sign-in is already on; turn it off first to enrol a new device',
    );
  const secret = newTotpSecret();
  await db.update(users).set({ mfaSecret: secret, mfaLastStep: null }).where(eq(users.id, actor.userId));
  const org = await getOrganization(db, actor.organizationId);
  return { secret, ...(await totpProvisioning(secret, user!.email, `Kith (${org.name})`)) };
}

/** Confirms enrolment with a first code; returns ten recovery codes, shown once. */
export async function confirmMfaEnrolment(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  code: string,
): Promise<string[]> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!user?.mfaSecret || user.mfaEnabledAt) throw conflict('mfa-not-pending', 'Start enrolment first');
  const step = await checkTotp(user.mfaSecret, code, null);
  if (step === null) {
    throw new AppError(400, 'validation', 'That code is not right', {
      errors: [
        { field: 'code', message: 'does not match: check the time on your phone and try the next code' },
      ],
    });
  }
  const { codes, hashes } = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ mfaEnabledAt: new Date(), mfaLastStep: step }).where(eq(users.id, user.id));
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    await tx.insert(mfaRecoveryCodes).values(hashes.map((codeHash) => ({ userId: user.id, codeHash })));
    if (actor.sessionId)
      await tx.update(sessions).set({ mfaSatisfied: true }).where(eq(sessions.id, actor.sessionId));
    await appendAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorLabel: actor.email,
      action: 'auth.mfa-enrolled',
      outcome: 'success',
      recordKind: 'user',
      recordId: user.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
  return codes;
}

/** Turns two-step sign-in off, after the password is given again; refused where it is required. */
export async function disableMfa(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  password: string,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  const org = await getOrganization(db, actor.organizationId);
  if (mfaRequiredFor(user!, org)) {
    throw conflict(
      'mfa-required-by-policy',
      mfaAlwaysRequired(user!.role)
        ? 'Administrators must keep two-step sign-in on'
        : 'Your organisation requires two-step sign-in',
    );
  }
  if (!(await verifyPassword(user!.passwordHash, password))) {
    throw new AppError(400, 'validation', 'The password is not right', {
      errors: [{ field: 'password', message: 'is not right' }],
    });
  }
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null })
      .where(eq(users.id, user!.id));
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user!.id));
    await appendAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorLabel: actor.email,
      action: 'auth.mfa-disabled',
      outcome: 'success',
      recordKind: 'user',
      recordId: user!.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

/** Changes one's own password; other sessions of the user end. */
export async function changePassword(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  current: string,
  next: string,
): Promise<void> {
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId));
  if (!(await verifyPassword(user!.passwordHash, current))) {
    throw new AppError(400, 'validation', 'The current password is not right', {
      errors: [{ field: 'currentPassword', message: 'is not right' }],
    });
  }
  assertAcceptablePassword(next, 'newPassword', user!.email);
  const passwordHash = await hashPassword(next);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date() }).where(eq(users.id, user!.id));
    await tx
      .update(sessions)
      .set({ endedAt: new Date(), endReason: 'password-changed' })
      .where(
        and(
          eq(sessions.userId, user!.id),
          isNull(sessions.endedAt),
          actor.sessionId ? sql`${sessions.id} <> ${actor.sessionId}` : undefined,
        ),
      );
    await appendAudit(tx, {
      organizationId: actor.organizationId,
      actorUserId: actor.userId,
      actorRole: actor.role,
      actorLabel: actor.email,
      action: 'auth.password-changed',
      outcome: 'success',
      recordKind: 'user',
      recordId: user!.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}
