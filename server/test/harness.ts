import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { generate } from 'otplib';
import type { Role } from '../../domain/roles.ts';
import { buildApp } from '../app.ts';
import { type Config, loadConfig } from '../config.ts';
import { careTeamMembers, patients } from '../modules/patients/patients.tables.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { newId } from '../platform/ids.ts';
import { organizations, users } from '../platform/platform.tables.ts';
import { createTestDatabase, type TestDatabase } from './database.ts';

export const TEST_PASSWORD = 'test-password-harbor-42';
let passwordHash: Promise<string> | undefined;

export interface TestContext {
  app: FastifyInstance;
  database: TestDatabase;
  config: Config;
  close(): Promise<void>;
}

/**
 * A Kith app on its own fresh database, as main builds it. The job queue stays stopped (a send starts it
 * for sending only) unless `jobs: 'work'` asks for workers, which then poll every half second.
 */
export async function startTestApp(
  env: Record<string, string> = {},
  opts: { jobs?: 'work' } = {},
): Promise<TestContext> {
  const database = await createTestDatabase();
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    KITH_DATA_DIR: mkdtempSync(join(tmpdir(), 'kith-test-')),
    SESSION_SECRET: 'test-session-secret-that-is-long-enough-0123456789',
    // Every injected request comes from one address; the per-IP limit has its own test with the default.
    SIGN_IN_RATE_LIMIT: '10000',
    ...env,
  });
  const app = await buildApp({ config, database, serveWeb: false });
  await app.ready();
  if (opts.jobs === 'work') await app.kith.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
  return {
    app,
    database,
    config,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

type OrgRow = typeof organizations.$inferSelect;
type UserRow = typeof users.$inferSelect;

export async function buildOrganization(
  t: TestContext,
  over: Partial<typeof organizations.$inferInsert> = {},
): Promise<OrgRow> {
  const slug = over.slug ?? `org-${newId().slice(-8)}`;
  const [org] = await t.database.db
    .insert(organizations)
    .values({ slug, name: `Hospital ${slug}`, ...over })
    .returning();
  return org!;
}

/** A user with the test password; creates an organisation when none is given. MFA on when `totpSecret` is set. */
export async function buildUser(
  t: TestContext,
  over: {
    role?: Role;
    organization?: OrgRow;
    email?: string;
    totpSecret?: string;
    kind?: 'person' | 'service';
    disabled?: boolean;
  } = {},
): Promise<UserRow & { organization: OrgRow }> {
  const organization = over.organization ?? (await buildOrganization(t));
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const [user] = await t.database.db
    .insert(users)
    .values({
      organizationId: organization.id,
      email: over.email ?? `user-${newId().slice(-12)}@hospital.test`,
      displayName: `Test ${over.role ?? 'social_worker'}`,
      role: over.role ?? 'social_worker',
      kind: over.kind ?? 'person',
      passwordHash: over.kind === 'service' ? null : await passwordHash,
      mfaSecret: over.totpSecret ?? null,
      mfaEnabledAt: over.totpSecret ? new Date() : null,
      disabledAt: over.disabled ? new Date() : null,
    })
    .returning();
  return { ...user!, organization };
}

/** A patient of the organisation, with the given users on its care team. */
export async function buildPatient(
  t: TestContext,
  over: { organization: OrgRow; careTeam?: UserRow[]; mrn?: string },
) {
  const [patient] = await t.database.db
    .insert(patients)
    .values({
      organizationId: over.organization.id,
      mrn: over.mrn ?? `MRN${newId().slice(-10).replace(/-/g, '')}`,
      familyName: 'Smith',
      givenName: 'John',
      birthDate: '1950-04-01',
      sex: 'male',
    })
    .returning();
  for (const member of over.careTeam ?? []) {
    await t.database.db.insert(careTeamMembers).values({
      organizationId: over.organization.id,
      patientId: patient!.id,
      userId: member.id,
      teamRole: 'Primary social worker',
    });
  }
  return patient!;
}

export interface Client {
  cookie: string;
  csrfToken: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string): Promise<LightMyRequestResponse>;
}

/** Signs a user in through the API (with a TOTP code when enrolled) and returns a client holding the cookie. */
export async function signIn(t: TestContext, user: UserRow, password = TEST_PASSWORD): Promise<Client> {
  const totp = user.mfaSecret && user.mfaEnabledAt ? await generate({ secret: user.mfaSecret }) : undefined;
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password, ...(totp ? { totp } : {}) },
  });
  if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
  const setCookie = res.cookies.find((c) => c.name === 'kith_session')!;
  return clientFor(t, `kith_session=${setCookie.value}`, res.json().csrfToken);
}

export function clientFor(t: TestContext, cookie: string, csrfToken: string): Client {
  const request = (opts: InjectOptions) =>
    t.app.inject({
      ...opts,
      headers: { cookie, ...(opts.method !== 'GET' ? { 'x-csrf-token': csrfToken } : {}), ...opts.headers },
    });
  return {
    cookie,
    csrfToken,
    request,
    get: (url) => request({ method: 'GET', url }),
    post: (url, payload) =>
      request({ method: 'POST', url, ...(payload === undefined ? {} : { payload: payload as object }) }),
    patch: (url, payload) => request({ method: 'PATCH', url, payload: payload as object }),
    delete: (url) => request({ method: 'DELETE', url }),
  };
}
