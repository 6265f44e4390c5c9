import { and, eq } from 'drizzle-orm';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents, type organizations, users } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildUser,
  clientFor,
  startTestApp,
  TEST_PASSWORD,
  type TestContext,
} from '../../test/harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Org = typeof organizations.$inferSelect;

// Sign-in is rate limited per IP: each sign-in comes from its own address so the tests do not starve each other.
let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  return `10.4.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};
const login = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress: freshIp() });

async function signInAs(user: { email: string; mfaSecret: string | null }) {
  const res = await login({
    email: user.email,
    password: TEST_PASSWORD,
    ...(user.mfaSecret ? { totp: await generate({ secret: user.mfaSecret }) } : {}),
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'kith_session')!;
  return clientFor(t, `kith_session=${cookie.value}`, res.json().csrfToken);
}

/** A signed-in admin (enrolled in MFA, as admins must be). */
async function signInAdmin(organization?: Org) {
  const admin = await buildUser(t, {
    role: 'admin',
    totpSecret: generateSecret(),
    ...(organization ? { organization } : {}),
  });
  return { admin, client: await signInAs(admin) };
}

const person = (email: string, password = 'violet-harbor-lantern-42') => ({
  kind: 'person',
  email,
  displayName: 'Maya Chen',
  role: 'social_worker',
  password,
});

describe('creating users', () => {
  it('creates a person (201) who can then sign in with the password', async () => {
    const { admin, client } = await signInAdmin();
    const res = await client.post('/api/admin/users', person('Maya.Chen@Hospital.test'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      email: 'maya.chen@hospital.test',
      displayName: 'Maya Chen',
      role: 'social_worker',
      kind: 'person',
      mfaEnabled: false,
      disabled: false,
      lastSignInAt: null,
    });
    expect(res.body).not.toContain('violet-harbor-lantern-42');
    expect(res.body).not.toContain('argon2');
    const [row] = await t.database.db.select().from(users).where(eq(users.id, res.json().id));
    expect(row).toMatchObject({ organizationId: admin.organizationId });
    expect(
      (await login({ email: 'maya.chen@hospital.test', password: 'violet-harbor-lantern-42' })).statusCode,
    ).toBe(200);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'user.create'), eq(auditEvents.recordId, res.json().id)));
    expect(audit).toMatchObject({ actorUserId: admin.id, outcome: 'success' });
    expect(JSON.stringify(audit)).not.toContain('violet-harbor-lantern-42');
  });

  it.each([
    ['shorter than 12 characters', 'short-pw-1'],
    ['on the common list', 'password1234'],
    ['on the common list', 'qwertyuiop123'],
  ])('refuses a password %s (%s) with 422 and a field error on password', async (_why, password) => {
    const { client } = await signInAdmin();
    const email = `weak-${password}@hospital.test`;
    const res = await client.post('/api/admin/users', person(email, password));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect(await t.database.db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it('refuses a duplicate email with 409, whatever its case', async () => {
    const { client } = await signInAdmin();
    const existing = await buildUser(t);
    const res = await client.post('/api/admin/users', person(existing.email.toUpperCase()));
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toMatch(/email-taken$/);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'email' })]);
  });

  it('creates a service account (201) that has no password and cannot sign in', async () => {
    const { client } = await signInAdmin();
    const res = await client.post('/api/admin/users', {
      kind: 'service',
      email: 'ehr-feed@hospital.test',
      displayName: 'EHR feed',
      role: 'clinician',
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'service', role: 'clinician', email: 'ehr-feed@hospital.test' });
    const [row] = await t.database.db.select().from(users).where(eq(users.id, res.json().id));
    expect(row!.passwordHash).toBeNull();
    expect((await login({ email: 'ehr-feed@hospital.test', password: TEST_PASSWORD })).statusCode).toBe(401);
  });
});

describe('changing users', () => {
  it('changes a role (200), and the user’s live session gets the new rights at once', async () => {
    const { admin, client } = await signInAdmin();
    const worker = await buildUser(t, { organization: admin.organization });
    const workerClient = await signInAs(worker);
    expect((await workerClient.get('/api/admin/emergency-access')).statusCode).toBe(403);
    const res = await client.patch(`/api/admin/users/${worker.id}`, { role: 'supervisor' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: worker.id, role: 'supervisor' });
    expect((await workerClient.get('/api/admin/emergency-access')).statusCode).toBe(200);
  });

  it('disables a user (200): their live session ends at once (401) and they cannot sign in; enabling lets them back', async () => {
    const { admin, client } = await signInAdmin();
    const worker = await buildUser(t, { organization: admin.organization });
    const workerClient = await signInAs(worker);
    expect((await workerClient.get('/api/auth/me')).statusCode).toBe(200);

    // The worker has left the hospital.
    const disabled = await client.patch(`/api/admin/users/${worker.id}`, { disabled: true });
    expect(disabled.statusCode).toBe(200);
    expect(disabled.json().disabled).toBe(true);
    expect((await workerClient.get('/api/auth/me')).statusCode).toBe(401);
    expect((await login({ email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(401);

    // ...and comes back from leave.
    const enabled = await client.patch(`/api/admin/users/${worker.id}`, { disabled: false });
    expect(enabled.statusCode).toBe(200);
    expect(enabled.json().disabled).toBe(false);
    expect((await login({ email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(200);
    // The session that was ended stays ended.
    expect((await workerClient.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('refuses to let an admin disable themselves or change their own role (409)', async () => {
    const { admin, client } = await signInAdmin();
    const res = await client.patch(`/api/admin/users/${admin.id}`, { disabled: true });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toMatch(/self-change$/);
    expect((await client.patch(`/api/admin/users/${admin.id}`, { role: 'supervisor' })).statusCode).toBe(409);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, admin.id));
    expect(row).toMatchObject({ disabledAt: null, role: 'admin' });
  });
});

describe('who may administer users', () => {
  it('answers a supervisor with 403 on every user-admin route', async () => {
    const supervisor = await buildUser(t, { role: 'supervisor' });
    const worker = await buildUser(t, { organization: supervisor.organization });
    const client = await signInAs(supervisor);
    const attempts = [
      await client.get('/api/admin/users'),
      await client.post('/api/admin/users', person('sneaky-new@hospital.test')),
      await client.patch(`/api/admin/users/${worker.id}`, { role: 'admin' }),
      await client.post(`/api/admin/users/${worker.id}/reset-mfa`),
    ];
    expect(attempts.map((r) => r.statusCode)).toEqual([403, 403, 403, 403]);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, worker.id));
    expect(row!.role).toBe('social_worker');
  });

  it('answers 404 for users of another organisation, and does not list them', async () => {
    const { client } = await signInAdmin();
    const elsewhere = await buildUser(t, { organization: await buildOrganization(t) });
    const patch = await client.patch(`/api/admin/users/${elsewhere.id}`, { disabled: true });
    expect(patch.statusCode).toBe(404);
    expect(patch.json().type).toMatch(/not-found$/);
    expect((await client.post(`/api/admin/users/${elsewhere.id}/reset-mfa`)).statusCode).toBe(404);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, elsewhere.id));
    expect(row!.disabledAt).toBeNull();
    const list = await client.get(`/api/admin/users?q=${encodeURIComponent(elsewhere.email)}`);
    expect(list.json()).toMatchObject({ items: [], total: 0 });
  });
});

describe('the user list', () => {
  it('pages the users of the organisation (200)', async () => {
    const org = await buildOrganization(t);
    const { client } = await signInAdmin(org);
    for (let i = 0; i < 4; i++) await buildUser(t, { organization: org });
    const first = await client.get('/api/admin/users?page=1&pageSize=2');
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ page: 1, pageSize: 2, total: 5 });
    expect(first.json().items).toHaveLength(2);
    const third = await client.get('/api/admin/users?page=3&pageSize=2');
    expect(third.json().items).toHaveLength(1);
    const all = [first, await client.get('/api/admin/users?page=2&pageSize=2'), third].flatMap((r) =>
      r.json().items.map((u: { id: string }) => u.id),
    );
    expect(new Set(all).size).toBe(5);
    expect(first.body).not.toContain('passwordHash');
    expect(first.body).not.toContain('mfaSecret');
  });

  it('searches by email or name, case-insensitively and with % taken literally (200)', async () => {
    const org = await buildOrganization(t);
    const { client } = await signInAdmin(org);
    const rosa = await buildUser(t, { organization: org, email: 'rosa.delgado@hospital.test' });
    await buildUser(t, { organization: org, email: 'sam.okoro@hospital.test' });
    await t.database.db.update(users).set({ displayName: 'Rosa Delgado' }).where(eq(users.id, rosa.id));

    const byEmail = await client.get('/api/admin/users?q=DELGADO@');
    expect(byEmail.json().items.map((u: { id: string }) => u.id)).toEqual([rosa.id]);
    const byName = await client.get('/api/admin/users?q=rosa%20del');
    expect(byName.json()).toMatchObject({ total: 1, items: [{ id: rosa.id, displayName: 'Rosa Delgado' }] });
    const wildcard = await client.get('/api/admin/users?q=%25');
    expect(wildcard.json()).toMatchObject({ total: 0, items: [] });
  });
});
