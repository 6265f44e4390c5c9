import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { generate, generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/roles.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  clientFor,
  startTestApp,
  TEST_PASSWORD,
  type TestContext,
} from '../../test/harness.ts';
import { apiTokens, auditEvents, type organizations } from '../platform.tables.ts';

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
  return `10.3.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};

/** A signed-in admin (enrolled in MFA, as admins must be) of the organisation. */
async function signInAdmin(organization?: Org) {
  const admin = await buildUser(t, {
    role: 'admin',
    totpSecret: generateSecret(),
    ...(organization ? { organization } : {}),
  });
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: {
      email: admin.email,
      password: TEST_PASSWORD,
      totp: await generate({ secret: admin.mfaSecret! }),
    },
    remoteAddress: freshIp(),
  });
  expect(res.statusCode, res.body).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'kith_session')!;
  return { admin, client: clientFor(t, `kith_session=${cookie.value}`, res.json().csrfToken) };
}

/** A service account of the organisation with a token issued for it by an admin. */
async function serviceWithToken(role: Role, organization?: Org, over: { expiresInDays?: number } = {}) {
  const { admin, client } = await signInAdmin(organization);
  const service = await buildUser(t, { role, kind: 'service', organization: admin.organization });
  const res = await client.post('/api/admin/tokens', {
    userId: service.id,
    name: `${role} integration`,
    ...over,
  });
  expect(res.statusCode, res.body).toBe(201);
  return {
    admin,
    adminClient: client,
    service,
    token: res.json().token as string,
    tokenId: res.json().apiToken.id as string,
  };
}

const withBearer = (token: string, method: 'GET' | 'POST', url: string, payload?: object) =>
  t.app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(payload ? { payload } : {}),
  });

const newPatient = (mrn: string) => ({
  mrn,
  familyName: 'Okafor',
  givenName: 'Grace',
  birthDate: '1948-11-02',
  sex: 'female',
});

describe('issuing API tokens', () => {
  it('returns the plain token once (201) and stores only its hash', async () => {
    const { adminClient, service, token, tokenId } = await serviceWithToken('social_worker');
    expect(token).toMatch(/^kith_[A-Za-z0-9_-]{40,}$/);

    const [row] = await t.database.db.select().from(apiTokens).where(eq(apiTokens.id, tokenId));
    expect(row).toMatchObject({
      userId: service.id,
      tokenHash: createHash('sha256').update(token).digest('hex'),
      prefix: token.slice(0, 10),
    });
    expect(JSON.stringify(row)).not.toContain(token);

    // The list shows the prefix, never the token again.
    const list = await adminClient.get('/api/admin/tokens');
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual([
      expect.objectContaining({
        id: tokenId,
        userId: service.id,
        userEmail: service.email,
        prefix: token.slice(0, 10),
        revokedAt: null,
      }),
    ]);
    expect(list.body).not.toContain(token);

    const [issued] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'api-token.issue'), eq(auditEvents.recordId, tokenId)));
    expect(issued).toBeDefined();
    expect(JSON.stringify(issued)).not.toContain(token);
  });

  it('refuses to let a non-admin issue tokens (403)', async () => {
    const supervisor = await buildUser(t, { role: 'supervisor' });
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: supervisor.email, password: TEST_PASSWORD },
      remoteAddress: freshIp(),
    });
    const client = clientFor(
      t,
      `kith_session=${res.cookies.find((c) => c.name === 'kith_session')!.value}`,
      res.json().csrfToken,
    );
    const refused = await client.post('/api/admin/tokens', { userId: supervisor.id, name: 'my own token' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().type).toMatch(/forbidden$/);
    expect(
      await t.database.db.select().from(apiTokens).where(eq(apiTokens.userId, supervisor.id)),
    ).toHaveLength(0);
  });
});

describe('calling the API with a bearer token', () => {
  it('reaches /api/patients without a cookie or CSRF header, writes included (200, 201)', async () => {
    const { service, token } = await serviceWithToken('social_worker');
    // The discharge-planning system files a new patient and then finds it in its list.
    const created = await withBearer(token, 'POST', '/api/patients', newPatient('EHR-100234'));
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      mrn: 'EHR-100234',
      careTeam: [expect.objectContaining({ userId: service.id })],
    });
    const list = await withBearer(token, 'GET', '/api/patients');
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((p: { id: string }) => p.id)).toEqual([created.json().id]);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'patient.create'), eq(auditEvents.patientId, created.json().id)));
    expect(audit).toMatchObject({ actorUserId: service.id, actorLabel: `${service.email} (API token)` });
  });

  it('binds a token to the care-team rules: a social_worker token gets 403 outside its care team, audited as the token user', async () => {
    const org = await buildOrganization(t);
    const { service, token } = await serviceWithToken('social_worker', org);
    const member = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org, careTeam: [member] });
    const res = await withBearer(token, 'GET', `/api/patients/${patient.id}`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Smith');
    const denied = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(
          eq(auditEvents.patientId, patient.id),
          eq(auditEvents.action, 'patient.read'),
          eq(auditEvents.outcome, 'denied'),
        ),
      );
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actorUserId: service.id, actorLabel: `${service.email} (API token)` });
    expect(denied[0]!.actorLabel).toMatch(/\(API token\)$/);
  });

  it('binds a token to its role: a read_only token cannot create patients and a community_partner token cannot list them (403)', async () => {
    const readOnly = await serviceWithToken('read_only');
    expect((await withBearer(readOnly.token, 'GET', '/api/patients')).statusCode).toBe(200);
    expect(
      (await withBearer(readOnly.token, 'POST', '/api/patients', newPatient('EHR-200001'))).statusCode,
    ).toBe(403);
    const partner = await serviceWithToken('community_partner');
    expect((await withBearer(partner.token, 'GET', '/api/patients')).statusCode).toBe(403);
    // Nor does a token reach administration.
    expect((await withBearer(readOnly.token, 'GET', '/api/admin/users')).statusCode).toBe(403);
  });

  it('refuses a revoked token with 401', async () => {
    const { adminClient, token, tokenId } = await serviceWithToken('social_worker');
    expect((await withBearer(token, 'GET', '/api/patients')).statusCode).toBe(200);
    expect((await adminClient.delete(`/api/admin/tokens/${tokenId}`)).statusCode).toBe(204);
    const res = await withBearer(token, 'GET', '/api/patients');
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toMatch(/unauthenticated$/);
  });

  it('refuses an expired token with 401', async () => {
    const { token, tokenId } = await serviceWithToken('social_worker', undefined, { expiresInDays: 30 });
    expect((await withBearer(token, 'GET', '/api/patients')).statusCode).toBe(200);
    // Thirty days pass.
    await t.database.db
      .update(apiTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiTokens.id, tokenId));
    expect((await withBearer(token, 'GET', '/api/patients')).statusCode).toBe(401);
  });

  it('refuses the token of a disabled user with 401', async () => {
    const { adminClient, service, token } = await serviceWithToken('social_worker');
    expect((await withBearer(token, 'GET', '/api/patients')).statusCode).toBe(200);
    expect((await adminClient.patch(`/api/admin/users/${service.id}`, { disabled: true })).statusCode).toBe(
      200,
    );
    expect((await withBearer(token, 'GET', '/api/patients')).statusCode).toBe(401);
  });

  it('refuses a malformed Authorization header or an unknown token with 401, even beside a valid session cookie', async () => {
    const { adminClient, token } = await serviceWithToken('social_worker');
    for (const authorization of [
      'Basic dXNlcjpwYXNz',
      `Token ${token}`,
      'Bearer',
      `Bearer ${token} extra`,
      'Bearer kith_not-a-real-token',
    ]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/patients', headers: { authorization } });
      expect({ authorization, status: res.statusCode }).toEqual({ authorization, status: 401 });
      expect(res.headers['content-type']).toContain('application/problem+json');
    }
    // A header that is there but wrong is not silently ignored in favour of the cookie.
    const both = await adminClient.request({
      method: 'GET',
      url: '/api/patients',
      headers: { authorization: 'Bearer' },
    });
    expect(both.statusCode).toBe(401);
    expect((await adminClient.get('/api/patients')).statusCode).toBe(200);
  });
});
