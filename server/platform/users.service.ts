import { createHash, randomBytes } from 'node:crypto';
import { and, asc, desc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { Role } from '../../domain/roles.ts';
import type { Db, DbOrTx } from '../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from './actor.ts';
import { appendAudit } from './audit/audit.service.ts';
import { assertAcceptablePassword, hashPassword } from './auth/passwords.ts';
import { endUserSessions } from './auth/sessions.ts';
import { AppError, conflict, notFound } from './errors.ts';
import { apiTokens, mfaRecoveryCodes, organizations, users } from './platform.tables.ts';

export type UserRow = typeof users.$inferSelect;
export type OrganizationRow = typeof organizations.$inferSelect;

/** Roles that must use a second factor whatever the organisation decides. */
export const mfaAlwaysRequired = (role: string): boolean => role === 'admin';

export const mfaRequiredFor = (
  user: Pick<UserRow, 'role' | 'kind'>,
  org: Pick<OrganizationRow, 'requireMfa'>,
) => user.kind === 'person' && (mfaAlwaysRequired(user.role) || org.requireMfa);

export async function findOrganizationBySlug(db: DbOrTx, slug: string): Promise<OrganizationRow | undefined> {
  const [org] = await db.select().from(organizations).where(eq(organizations.slug, slug));
  return org;
}

/** The organisation with this slug, created (named after the slug) when it does not exist yet. */
export async function ensureOrganization(db: DbOrTx, slug: string, name?: string): Promise<OrganizationRow> {
  const existing = await findOrganizationBySlug(db, slug);
  if (existing) return existing;
  const [org] = await db
    .insert(organizations)
    .values({ slug, name: name ?? slug.replace(/[-_]+/g, ' ').replace(/\b\w/g, (c) => c.toUpperCase()) })
    .onConflictDoNothing()
    .returning();
  return org ?? (await findOrganizationBySlug(db, slug))!;
}

export async function getOrganization(db: DbOrTx, id: string): Promise<OrganizationRow> {
  const [org] = await db.select().from(organizations).where(eq(organizations.id, id));
  if (!org) throw notFound('organisation');
  return org;
}

export async function findUserByEmail(db: DbOrTx, email: string): Promise<UserRow | undefined> {
  const [user] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`);
  return user;
}

export interface NewUser {
  organizationId: string;
  email: string;
  displayName: string;
  role: Role;
  kind: 'person' | 'service';
  password?: string | undefined;
}

/** Creates a person (with a password) or a service account (tokens only). Emails are unique across Kith. */
export async function createUser(
  db: Db,
  input: NewUser,
  by: { actor: Actor | null; origin: RequestOrigin },
): Promise<UserRow> {
  if (input.kind === 'person') {
    if (!input.password)
      throw new AppError(400, 'validation', 'A password is required', {
        errors: [{ field: 'password', message: 'is required' }],
      });
    assertAcceptablePassword(input.password, 'password', input.email);
  }
  const passwordHash = input.kind === 'person' && input.password ? await hashPassword(input.password) : null;
  return db.transaction(async (tx) => {
    if (await findUserByEmail(tx, input.email)) {
      throw conflict('email-taken', 'A user with this email already exists', {
        errors: [{ field: 'email', message: 'is already in use' }],
      });
    }
    const [user] = await tx
      .insert(users)
      .values({
        organizationId: input.organizationId,
        email: input.email.trim().toLowerCase(),
        displayName: input.displayName,
        role: input.role,
        kind: input.kind,
        passwordHash,
        passwordChangedAt: passwordHash ? new Date() : null,
      })
      .returning();
    await appendAudit(tx, {
      ...(by.actor
        ? auditActor(by.actor)
        : { organizationId: input.organizationId, actorUserId: null, actorRole: null, actorLabel: 'cli' }),
      action: 'user.create',
      outcome: 'success',
      recordKind: 'user',
      recordId: user!.id,
      ip: by.origin.ip,
      userAgent: by.origin.userAgent,
      detail: { role: input.role, kind: input.kind },
    });
    return user!;
  });
}

export async function getUserInOrg(db: DbOrTx, organizationId: string, userId: string): Promise<UserRow> {
  const [user] = await db
    .select()
    .from(users)
    .where(and(eq(users.id, userId), eq(users.organizationId, organizationId)));
  if (!user) throw notFound('user');
  return user;
}

export async function listUsers(
  db: DbOrTx,
  organizationId: string,
  q: { q?: string | undefined; page: number; pageSize: number },
) {
  const where = and(
    eq(users.organizationId, organizationId),
    q.q
      ? or(ilike(users.email, `%${escapeLike(q.q)}%`), ilike(users.displayName, `%${escapeLike(q.q)}%`))
      : undefined,
  );
  const [items, [count]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.displayName))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(users).where(where),
  ]);
  return { items, total: count?.n ?? 0 };
}

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Changes a user's role, name or disabled state. Disabling ends the user's sessions at once. */
export async function updateUser(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  userId: string,
  change: { role?: Role | undefined; disabled?: boolean | undefined; displayName?: string | undefined },
): Promise<UserRow> {
  return db.transaction(async (tx) => {
    const user = await getUserInOrg(tx, actor.organizationId, userId);
    if (user.id === actor.userId && (change.disabled || (change.role && change.role !== user.role))) {
      throw conflict('self-change', 'You cannot disable yourself or change your own role');
    }
    const [updated] = await tx
      .update(users)
      .set({
        ...(change.role ? { role: change.role } : {}),
        ...(change.displayName ? { displayName: change.displayName } : {}),
        ...(change.disabled === undefined
          ? {}
          : { disabledAt: change.disabled ? (user.disabledAt ?? new Date()) : null }),
      })
      .where(eq(users.id, user.id))
      .returning();
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'user.update',
      outcome: 'success',
      recordKind: 'user',
      recordId: user.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { fromRole: user.role, toRole: change.role ?? user.role, disabled: change.disabled ?? null },
    });
    if (change.disabled) await endUserSessions(tx as unknown as Db, user.id, 'disabled');
    return updated!;
  });
}

/** Removes a user's second factor (lost phone): they enrol again at next sign-in if it is required. */
export async function resetMfa(db: Db, actor: Actor, origin: RequestOrigin, userId: string): Promise<void> {
  await db.transaction(async (tx) => {
    const user = await getUserInOrg(tx, actor.organizationId, userId);
    await tx
      .update(users)
      .set({ mfaSecret: null, mfaEnabledAt: null, mfaLastStep: null })
      .where(eq(users.id, user.id));
    await tx.delete(mfaRecoveryCodes).where(eq(mfaRecoveryCodes.userId, user.id));
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'user.mfa-reset',
      outcome: 'success',
      recordKind: 'user',
      recordId: user.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
    await endUserSessions(tx as unknown as Db, user.id, 'mfa-reset');
  });
}

export type ApiTokenRow = typeof apiTokens.$inferSelect;
export const hashApiToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Issues an API token for a user or service account; the plain token is returned once and only stored hashed. */
export async function issueApiToken(
  db: Db,
  input: { organizationId: string; userId: string; name: string; expiresInDays?: number | undefined },
  by: { actor: Actor | null; origin: RequestOrigin },
): Promise<{ token: string; row: ApiTokenRow }> {
  const token = `kith_${randomBytes(32).toString('base64url')}`;
  return db.transaction(async (tx) => {
    const user = await getUserInOrg(tx, input.organizationId, input.userId);
    if (user.disabledAt) throw conflict('user-disabled', 'This user is disabled');
    const [row] = await tx
      .insert(apiTokens)
      .values({
        organizationId: input.organizationId,
        userId: user.id,
        name: input.name,
        tokenHash: hashApiToken(token),
        prefix: token.slice(0, 10),
        createdBy: by.actor?.userId ?? null,
        expiresAt: input.expiresInDays ? new Date(Date.now() + input.expiresInDays * 86_400_000) : null,
      })
      .returning();
    await appendAudit(tx, {
      ...(by.actor
        ? auditActor(by.actor)
        : { organizationId: input.organizationId, actorUserId: null, actorRole: null, actorLabel: 'cli' }),
      action: 'api-token.issue',
      outcome: 'success',
      recordKind: 'api-token',
      recordId: row!.id,
      ip: by.origin.ip,
      userAgent: by.origin.userAgent,
      detail: { forUserId: user.id },
    });
    return { token, row: row! };
  });
}

export async function listApiTokens(db: DbOrTx, organizationId: string) {
  return db
    .select({ token: apiTokens, userEmail: users.email })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.organizationId, organizationId))
    .orderBy(desc(apiTokens.createdAt));
}

export async function revokeApiToken(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  tokenId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(apiTokens)
      .set({ revokedAt: new Date(), revokedBy: actor.userId })
      .where(
        and(
          eq(apiTokens.id, tokenId),
          eq(apiTokens.organizationId, actor.organizationId),
          isNull(apiTokens.revokedAt),
        ),
      )
      .returning();
    if (!row) throw notFound('active API token');
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'api-token.revoke',
      outcome: 'success',
      recordKind: 'api-token',
      recordId: row.id,
      ip: origin.ip,
      userAgent: origin.userAgent,
    });
  });
}

/** Active supervisors of the organisation, oldest account first: they triage and are told of alarms. */
export async function activeSupervisors(db: DbOrTx, organizationId: string): Promise<string[]> {
  const rows = await db
    .select({ id: users.id })
    .from(users)
    .where(
      and(
        eq(users.organizationId, organizationId),
        eq(users.role, 'supervisor'),
        eq(users.kind, 'person'),
        isNull(users.disabledAt),
      ),
    )
    .orderBy(asc(users.createdAt));
  return rows.map((r) => r.id);
}
