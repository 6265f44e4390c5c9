import { and, eq } from 'drizzle-orm';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  clientFor,
  startTestApp,
  TEST_PASSWORD,
  type TestContext,
} from '../../test/harness.ts';
import { auditEvents, mfaRecoveryCodes, users } from '../platform.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

// Sign-in is rate limited per IP: each attempt comes from its own address so the tests do not starve each other.
let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  return `10.2.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};
const login = (payload: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress: freshIp() });

const nowSeconds = () => Math.floor(Date.now() / 1000);
/** The code of the next 30-second step: the server accepts one step of drift, and it is not yet used. */
const nextCode = (secret: string) => generate({ secret, epoch: nowSeconds() + 30 });

/** A code that is not valid for this secret at any step the server would accept now. */
async function wrongCode(secret: string): Promise<string> {
  const valid = await Promise.all([-30, 0, 30].map((d) => generate({ secret, epoch: nowSeconds() + d })));
  let code = 123456;
  while (valid.includes(String(code))) code += 1;
  return String(code);
}

async function signInAs(
  user: { email: string; mfaSecret?: string | null; mfaEnabledAt?: Date | null },
  totp?: string,
) {
  const code =
    totp ?? (user.mfaSecret && user.mfaEnabledAt ? await generate({ secret: user.mfaSecret }) : undefined);
  const res = await login({ email: user.email, password: TEST_PASSWORD, ...(code ? { totp: code } : {}) });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'kith_session')!;
  return Object.assign(clientFor(t, `kith_session=${cookie.value}`, res.json().csrfToken), {
    me: res.json(),
  });
}

type Client = Awaited<ReturnType<typeof signInAs>>;

/** Enrols the signed-in user through the API; returns the secret and the recovery codes. */
async function enrol(client: Client) {
  const start = await client.post('/api/auth/mfa/enrol');
  expect(start.statusCode).toBe(200);
  const { secret } = start.json();
  const confirm = await client.post('/api/auth/mfa/confirm', { code: await generate({ secret }) });
  expect(confirm.statusCode).toBe(200);
  return { secret: secret as string, recoveryCodes: confirm.json().recoveryCodes as string[] };
}

describe('enrolment of a second factor', () => {
  it('keeps an admin without MFA to me, enrol, confirm and logout: every other route answers 403 mfa-enrolment-required', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const patient = await buildPatient(t, { organization: admin.organization });
    const client = await signInAs(admin);
    expect(client.me.user).toMatchObject({ mfaEnabled: false, mfaEnrolmentRequired: true });

    const blocked = [
      { method: 'GET', url: '/api/patients' },
      {
        method: 'POST',
        url: '/api/patients',
        payload: {
          mrn: 'MRN-1',
          familyName: 'Diaz',
          givenName: 'Ana',
          birthDate: '1960-01-01',
          sex: 'female',
        },
      },
      { method: 'GET', url: `/api/patients/${patient.id}` },
      { method: 'GET', url: '/api/directory/users' },
      { method: 'GET', url: '/api/admin/users' },
      { method: 'POST', url: '/api/admin/tokens', payload: { userId: admin.id, name: 'sneaky' } },
      { method: 'GET', url: '/api/admin/audit' },
      { method: 'PATCH', url: '/api/admin/organization', payload: { requireMfa: false } },
      { method: 'GET', url: '/api/auth/sessions' },
      {
        method: 'POST',
        url: '/api/auth/password',
        payload: { currentPassword: TEST_PASSWORD, newPassword: 'a-brand-new-passphrase-7' },
      },
      { method: 'POST', url: '/api/auth/mfa/disable', payload: { password: TEST_PASSWORD } },
    ] as const;
    for (const route of blocked) {
      const res = await client.request(route);
      expect({
        route: `${route.method} ${route.url}`,
        status: res.statusCode,
        type: res.json().type,
      }).toEqual({
        route: `${route.method} ${route.url}`,
        status: 403,
        type: 'urn:kith:problem:mfa-enrolment-required',
      });
    }

    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    const enrolment = await client.post('/api/auth/mfa/enrol');
    expect(enrolment.statusCode).toBe(200);
    // A wrong code reaches confirm and is refused by it (400), not by the gate.
    expect(
      (await client.post('/api/auth/mfa/confirm', { code: await wrongCode(enrolment.json().secret) }))
        .statusCode,
    ).toBe(400);
    expect((await client.post('/api/auth/logout')).statusCode).toBe(204);
  });

  it('answers enrol with a secret, an otpauth URI and a PNG QR code (200)', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const client = await signInAs(admin);
    const res = await client.post('/api/auth/mfa/enrol');
    expect(res.statusCode).toBe(200);
    const { secret, otpauthUri, qrCodeDataUrl } = res.json();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(otpauthUri).toMatch(/^otpauth:\/\/totp\//);
    expect(new URL(otpauthUri).searchParams.get('secret')).toBe(secret);
    expect(otpauthUri).toContain(encodeURIComponent(admin.email));
    expect(qrCodeDataUrl).toMatch(/^data:image\/png;base64,/);
    // PNG magic number.
    expect(Buffer.from(qrCodeDataUrl.split(',')[1], 'base64').subarray(1, 4).toString()).toBe('PNG');
  });

  it('refuses a wrong code at confirm with 400 and a field error on code, and stays un-enrolled', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const client = await signInAs(admin);
    const { secret } = (await client.post('/api/auth/mfa/enrol')).json();
    const res = await client.post('/api/auth/mfa/confirm', { code: await wrongCode(secret) });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: 'code' })]);
    expect((await client.get('/api/patients')).statusCode).toBe(403);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, admin.id));
    expect(row!.mfaEnabledAt).toBeNull();
  });

  it('confirms a right code with 10 recovery codes and opens the app in that same session (200)', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const client = await signInAs(admin);
    const { recoveryCodes } = await enrol(client);
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    for (const code of recoveryCodes) expect(code).toMatch(/^[a-z0-9]{5}-[a-z0-9]{5}$/);
    // Only hashes are kept.
    const stored = await t.database.db
      .select()
      .from(mfaRecoveryCodes)
      .where(eq(mfaRecoveryCodes.userId, admin.id));
    expect(stored).toHaveLength(10);
    expect(JSON.stringify(stored)).not.toContain(recoveryCodes[0]);

    expect((await client.get('/api/patients')).statusCode).toBe(200);
    expect((await client.get('/api/admin/users')).statusCode).toBe(200);
    expect((await client.get('/api/auth/me')).json().user).toMatchObject({
      mfaEnabled: true,
      mfaEnrolmentRequired: false,
    });
    const [enrolled] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'auth.mfa-enrolled'), eq(auditEvents.actorUserId, admin.id)));
    expect(enrolled).toMatchObject({ outcome: 'success', recordId: admin.id });
  });
});

describe('signing in with a second factor', () => {
  it('asks an enrolled user for a code (401 mfa-required), refuses a wrong one (401 mfa-invalid) and accepts a right one (200)', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const { secret } = await enrol(await signInAs(admin));

    const noCode = await login({ email: admin.email, password: TEST_PASSWORD });
    expect(noCode.statusCode).toBe(401);
    expect(noCode.json().type).toMatch(/mfa-required$/);
    expect(noCode.cookies).toHaveLength(0);

    const wrong = await login({ email: admin.email, password: TEST_PASSWORD, totp: await wrongCode(secret) });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().type).toMatch(/mfa-invalid$/);
    expect(wrong.cookies).toHaveLength(0);

    // The enrolment used this step's code, so the next step's is the one that is still fresh.
    const right = await login({ email: admin.email, password: TEST_PASSWORD, totp: await nextCode(secret) });
    expect(right.statusCode).toBe(200);
    expect(right.json().user).toMatchObject({ mfaEnabled: true, mfaEnrolmentRequired: false });
  });

  it('does not accept the same TOTP code twice (second use 401 mfa-invalid)', async () => {
    const secret = generateSecret();
    const worker = await buildUser(t, { totpSecret: secret });
    const code = await generate({ secret });
    expect((await login({ email: worker.email, password: TEST_PASSWORD, totp: code })).statusCode).toBe(200);
    // Someone who saw the code over the worker's shoulder tries it at once.
    const replay = await login({ email: worker.email, password: TEST_PASSWORD, totp: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().type).toMatch(/mfa-invalid$/);
  });

  it('accepts a recovery code once and only once, with or without its hyphen (200, then 401)', async () => {
    const admin = await buildUser(t, { role: 'admin' });
    const { recoveryCodes } = await enrol(await signInAs(admin));
    const [first, second] = recoveryCodes as [string, string];

    // The admin's phone is lost: a recovery code from the printout gets them in.
    expect((await login({ email: admin.email, password: TEST_PASSWORD, totp: first })).statusCode).toBe(200);
    const again = await login({ email: admin.email, password: TEST_PASSWORD, totp: first });
    expect(again.statusCode).toBe(401);
    expect(again.json().type).toMatch(/mfa-invalid$/);
    const againWithoutHyphen = await login({
      email: admin.email,
      password: TEST_PASSWORD,
      totp: first.replace('-', ''),
    });
    expect(againWithoutHyphen.statusCode).toBe(401);

    expect(
      (await login({ email: admin.email, password: TEST_PASSWORD, totp: second.replace('-', '') }))
        .statusCode,
    ).toBe(200);
    expect((await login({ email: admin.email, password: TEST_PASSWORD, totp: second })).statusCode).toBe(401);
    const used = await t.database.db
      .select()
      .from(mfaRecoveryCodes)
      .where(eq(mfaRecoveryCodes.userId, admin.id));
    expect(used.filter((r) => r.usedAt !== null)).toHaveLength(2);
  });
});

describe('who must use a second factor', () => {
  it('forces a social worker of an organisation with requireMfa to enrol (403 mfa-enrolment-required)', async () => {
    const org = await buildOrganization(t, { requireMfa: true });
    const worker = await buildUser(t, { organization: org });
    const client = await signInAs(worker);
    expect(client.me.user.mfaEnrolmentRequired).toBe(true);
    const res = await client.get('/api/patients');
    expect(res.statusCode).toBe(403);
    expect(res.json().type).toMatch(/mfa-enrolment-required$/);
    await enrol(client);
    expect((await client.get('/api/patients')).statusCode).toBe(200);
  });

  it('lets a social worker of an organisation without requireMfa in without one (200)', async () => {
    const org = await buildOrganization(t, { requireMfa: false });
    const worker = await buildUser(t, { organization: org });
    const client = await signInAs(worker);
    expect(client.me.user.mfaEnrolmentRequired).toBe(false);
    expect((await client.get('/api/patients')).statusCode).toBe(200);
  });
});

describe('turning a second factor off', () => {
  it('refuses to let an admin disable their own MFA (409)', async () => {
    const admin = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
    const client = await signInAs(admin);
    const res = await client.post('/api/auth/mfa/disable', { password: TEST_PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json().type).toMatch(/mfa-required-by-policy$/);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, admin.id));
    expect(row!.mfaEnabledAt).not.toBeNull();
  });

  it('lets a social worker disable MFA with their password (204), and refuses a wrong password (400)', async () => {
    const worker = await buildUser(t, { totpSecret: generateSecret() });
    const client = await signInAs(worker);

    const wrong = await client.post('/api/auth/mfa/disable', { password: 'not-my-password-at-all' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().errors).toEqual([expect.objectContaining({ field: 'password' })]);
    expect((await client.get('/api/auth/me')).json().user.mfaEnabled).toBe(true);

    expect((await client.post('/api/auth/mfa/disable', { password: TEST_PASSWORD })).statusCode).toBe(204);
    expect((await client.get('/api/auth/me')).json().user.mfaEnabled).toBe(false);
    // Password alone is enough now.
    expect((await login({ email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('lets an admin reset a user’s MFA (204): it is removed and their sessions end', async () => {
    const org = await buildOrganization(t);
    const admin = await buildUser(t, { organization: org, role: 'admin', totpSecret: generateSecret() });
    const worker = await buildUser(t, { organization: org, totpSecret: generateSecret() });
    const adminClient = await signInAs(admin);
    const workerClient = await signInAs(worker);
    expect((await workerClient.get('/api/auth/me')).statusCode).toBe(200);

    const res = await adminClient.post(`/api/admin/users/${worker.id}/reset-mfa`);
    expect(res.statusCode).toBe(204);
    expect((await workerClient.get('/api/auth/me')).statusCode).toBe(401);
    const [row] = await t.database.db.select().from(users).where(eq(users.id, worker.id));
    expect(row).toMatchObject({ mfaSecret: null, mfaEnabledAt: null });
    // The worker signs in with the password alone, and may enrol again.
    expect((await login({ email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(200);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'user.mfa-reset'), eq(auditEvents.recordId, worker.id)));
    expect(audit).toMatchObject({ actorUserId: admin.id, outcome: 'success' });
  });
});
