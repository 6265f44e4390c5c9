import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, clientFor, startTestApp, TEST_PASSWORD, type TestContext } from '../../test/harness.ts';
import { auditEvents, sessions, signInThrottle } from '../platform.tables.ts';

let t: TestContext;
beforeAll(async () => {
  // The production default of 20 sign-ins per IP per minute, which the harness otherwise lifts.
  t = await startTestApp({ SIGN_IN_RATE_LIMIT: '20' });
});
afterAll(() => t.close());

// Sign-in is rate limited per IP: each test signs in from its own address so the tests do not starve each other.
let lastIp = 0;
const freshIp = () => {
  lastIp += 1;
  return `10.1.${Math.floor(lastIp / 250)}.${(lastIp % 250) + 1}`;
};

const login = (app: TestContext['app'], payload: Record<string, unknown>, remoteAddress = freshIp()) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload, remoteAddress });

async function signInAs(user: { email: string }, ctx: TestContext = t) {
  const res = await login(ctx.app, { email: user.email, password: TEST_PASSWORD });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'kith_session')!;
  return clientFor(ctx, `kith_session=${cookie.value}`, res.json().csrfToken);
}

const emailKey = (email: string) => createHash('sha256').update(email.trim().toLowerCase()).digest('hex');
const auditOf = (action: string, label: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.action, action), eq(auditEvents.actorLabel, label)));

describe('signing in', () => {
  it('answers 200 and sets an httpOnly, SameSite=Lax session cookie, not Secure on an http PUBLIC_URL', async () => {
    const worker = await buildUser(t);
    const res = await login(t.app, { email: worker.email, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.json().user).toMatchObject({ id: worker.id, email: worker.email });
    const header = String(res.headers['set-cookie']);
    expect(header).toMatch(/^kith_session=/);
    expect(header).toMatch(/; HttpOnly/i);
    expect(header).toMatch(/; SameSite=Lax/i);
    expect(header).not.toMatch(/; Secure/i);
  });

  it('marks the session cookie Secure when PUBLIC_URL is https (200)', async () => {
    const secure = await startTestApp({ PUBLIC_URL: 'https://kith.hospital.test' });
    try {
      const worker = await buildUser(secure);
      const res = await login(secure.app, { email: worker.email, password: TEST_PASSWORD });
      expect(res.statusCode).toBe(200);
      const header = String(res.headers['set-cookie']);
      expect(header).toMatch(/; Secure/i);
      expect(header).toMatch(/; HttpOnly/i);
      expect(header).toMatch(/; SameSite=Lax/i);
    } finally {
      await secure.close();
    }
  });

  it('answers a wrong password with 401 invalid-credentials', async () => {
    const worker = await buildUser(t);
    const res = await login(t.app, { email: worker.email, password: 'not-the-password-at-all' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json().type).toMatch(/invalid-credentials$/);
    expect(res.cookies).toHaveLength(0);
  });

  it('answers an unknown email and a disabled account exactly as a wrong password (401), so accounts cannot be enumerated', async () => {
    const worker = await buildUser(t);
    const disabled = await buildUser(t, { disabled: true });
    const wrongPassword = await login(t.app, { email: worker.email, password: 'not-the-password-at-all' });
    const unknown = await login(t.app, { email: 'nobody-here@hospital.test', password: TEST_PASSWORD });
    const disabledRes = await login(t.app, { email: disabled.email, password: TEST_PASSWORD });
    const shape = (r: typeof wrongPassword) => ({
      status: r.statusCode,
      type: r.json().type,
      title: r.json().title,
      body: r.json(),
    });
    expect(shape(wrongPassword).status).toBe(401);
    expect(shape(unknown)).toEqual(shape(wrongPassword));
    expect(shape(disabledRes)).toEqual(shape(wrongPassword));
  });
});

describe('lock-out after failed attempts', () => {
  it('locks the account after five wrong passwords: the sixth attempt, even with the right password, gets 423 account-locked, and the lock-out is audited', async () => {
    const worker = await buildUser(t);
    // A guesser tries five passwords from one address...
    for (let i = 0; i < 5; i++) {
      const res = await login(t.app, { email: worker.email, password: `guess-number-${i}-wrong` });
      expect(res.statusCode).toBe(401);
    }
    // ...and now even the owner, with the right password, is told to wait.
    const locked = await login(t.app, { email: worker.email, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(locked.headers['content-type']).toContain('application/problem+json');
    expect(locked.json().type).toMatch(/account-locked$/);
    expect(locked.json().retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(locked.json().retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(locked.cookies).toHaveLength(0);

    const lockouts = await auditOf('auth.lockout', worker.email);
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actorUserId: worker.id, outcome: 'locked' });
  });

  it('sends a Retry-After header with the 423 of a locked account', async () => {
    const worker = await buildUser(t);
    for (let i = 0; i < 5; i++)
      await login(t.app, { email: worker.email, password: `guess-number-${i}-wrong` });
    const locked = await login(t.app, { email: worker.email, password: TEST_PASSWORD });
    expect(locked.statusCode).toBe(423);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(14 * 60);
  });

  it('locks an unknown email the same way after five tries (423), so lock-out reveals nothing', async () => {
    const email = 'never-registered@hospital.test';
    const answers: number[] = [];
    for (let i = 0; i < 6; i++)
      answers.push((await login(t.app, { email, password: `guess-number-${i}-wrong` })).statusCode);
    expect(answers).toEqual([401, 401, 401, 401, 401, 423]);
    const sixth = await login(t.app, { email, password: TEST_PASSWORD });
    expect(sixth.statusCode).toBe(423);
    expect(sixth.json().type).toMatch(/account-locked$/);
    expect(await auditOf('auth.lockout', 'unknown account')).toHaveLength(1);
  });

  it('lets the right password in again (200) once the lock has expired', async () => {
    const worker = await buildUser(t);
    for (let i = 0; i < 5; i++)
      await login(t.app, { email: worker.email, password: `guess-number-${i}-wrong` });
    expect((await login(t.app, { email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(423);
    // Fifteen minutes pass.
    const expired = await t.database.db
      .update(signInThrottle)
      .set({ lockedUntil: new Date(Date.now() - 1000) })
      .where(eq(signInThrottle.emailKey, emailKey(worker.email)))
      .returning();
    expect(expired).toHaveLength(1);
    expect((await login(t.app, { email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });

  it('forgets failures older than 15 minutes, so occasional typos never add up to a lock-out (401, not 423)', async () => {
    const worker = await buildUser(t);
    for (let i = 0; i < 4; i++) await login(t.app, { email: worker.email, password: `old-typo-${i}-wrong` });
    // The four typos were made an hour ago.
    await t.database.db
      .update(signInThrottle)
      .set({ updatedAt: new Date(Date.now() - 60 * 60_000) })
      .where(eq(signInThrottle.emailKey, emailKey(worker.email)));
    expect((await login(t.app, { email: worker.email, password: 'fresh-typo-wrong' })).statusCode).toBe(401);
    expect((await login(t.app, { email: worker.email, password: TEST_PASSWORD })).statusCode).toBe(200);
  });
});

describe('per-IP rate limiting of sign-in', () => {
  it('answers the 21st sign-in from one IP within a minute with 429 problem+json, while another IP still gets through', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 20; i++) {
      // Different emails, so that the per-account lock-out does not get involved.
      const res = await login(
        t.app,
        { email: `sprayed-${i}@hospital.test`, password: 'spray-password-1' },
        ip,
      );
      expect(res.statusCode).toBe(401);
    }
    const limited = await login(
      t.app,
      { email: 'sprayed-21@hospital.test', password: 'spray-password-1' },
      ip,
    );
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('application/problem+json');
    expect(limited.json().type).toMatch(/rate-limited$/);

    const worker = await buildUser(t);
    expect(
      (await login(t.app, { email: worker.email, password: TEST_PASSWORD }, '192.0.2.78')).statusCode,
    ).toBe(200);
  });
});

describe('the session', () => {
  it('answers GET /api/auth/me with the user, the CSRF token and the session timing (200)', async () => {
    const worker = await buildUser(t);
    const client = await signInAs(worker);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(200);
    const me = res.json();
    expect(me.user).toMatchObject({
      id: worker.id,
      email: worker.email,
      role: 'social_worker',
      organization: { id: worker.organization.id, slug: worker.organization.slug },
      mfaEnabled: false,
      mfaEnrolmentRequired: false,
    });
    expect(me.csrfToken).toBe(client.csrfToken);
    expect(me.csrfToken.length).toBeGreaterThan(20);
    expect(me.session.idleTimeoutSeconds).toBe(15 * 60);
    const absoluteLeft = new Date(me.session.expiresAt).getTime() - Date.now();
    expect(absoluteLeft).toBeGreaterThan(12 * 60 * 60_000 - 60_000);
    expect(absoluteLeft).toBeLessThanOrEqual(12 * 60 * 60_000);
    expect(Math.abs(new Date(me.session.lastSeenAt).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('refuses a session idle past 15 minutes with 401 session-expired', async () => {
    const worker = await buildUser(t);
    const client = await signInAs(worker);
    const idleFor = (minutes: number) =>
      t.database.db
        .update(sessions)
        .set({ lastSeenAt: new Date(Date.now() - minutes * 60_000) })
        .where(eq(sessions.userId, worker.id));
    await idleFor(14);
    expect((await client.get('/api/auth/me')).statusCode).toBe(200);
    await idleFor(16);
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toMatch(/session-expired$/);
    // Ended for good: coming back does not revive it.
    expect((await client.get('/api/auth/me')).statusCode).toBe(401);
  });

  it('refuses a session past its absolute lifetime with 401 session-expired, however active', async () => {
    const worker = await buildUser(t);
    const client = await signInAs(worker);
    await t.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.userId, worker.id));
    const res = await client.get('/api/auth/me');
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toMatch(/session-expired$/);
  });

  it('follows SESSION_IDLE_MINUTES for the idle limit (401 after 6 minutes when it is 5)', async () => {
    const short = await startTestApp({ SESSION_IDLE_MINUTES: '5' });
    try {
      const worker = await buildUser(short);
      const client = await signInAs(worker, short);
      expect((await client.get('/api/auth/me')).json().session.idleTimeoutSeconds).toBe(300);
      const idleFor = (minutes: number) =>
        short.database.db
          .update(sessions)
          .set({ lastSeenAt: new Date(Date.now() - minutes * 60_000) })
          .where(eq(sessions.userId, worker.id));
      await idleFor(4);
      expect((await client.get('/api/auth/me')).statusCode).toBe(200);
      await idleFor(6);
      const res = await client.get('/api/auth/me');
      expect(res.statusCode).toBe(401);
      expect(res.json().type).toMatch(/session-expired$/);
    } finally {
      await short.close();
    }
  });

  it('ends the session on logout (204): the old cookie then gets 401', async () => {
    const worker = await buildUser(t);
    const client = await signInAs(worker);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/^kith_session=;/);
    const after = await client.get('/api/auth/me');
    expect(after.statusCode).toBe(401);
    const [row] = await t.database.db.select().from(sessions).where(eq(sessions.userId, worker.id));
    expect(row).toMatchObject({ endReason: 'sign-out' });
  });

  it('ends every session of the user on logout-all (200), and no one else’s', async () => {
    const worker = await buildUser(t);
    const colleague = await buildUser(t, { organization: worker.organization });
    // The worker is signed in at the desk and on the ward laptop.
    const desk = await signInAs(worker);
    const laptop = await signInAs(worker);
    const colleagueClient = await signInAs(colleague);
    const res = await desk.post('/api/auth/logout-all');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });
    expect((await desk.get('/api/auth/me')).statusCode).toBe(401);
    expect((await laptop.get('/api/auth/me')).statusCode).toBe(401);
    expect((await colleagueClient.get('/api/auth/me')).statusCode).toBe(200);
  });
});

describe('CSRF protection of cookie sessions', () => {
  it('answers a write with the session cookie but no x-csrf-token with 403 csrf, a wrong token too, while GET needs none', async () => {
    const worker = await buildUser(t);
    const client = await signInAs(worker);
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/auth/keepalive',
      headers: { cookie: client.cookie },
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().type).toMatch(/:csrf$/);
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/api/auth/keepalive',
      headers: { cookie: client.cookie, 'x-csrf-token': `${client.csrfToken.slice(0, -2)}xx` },
    });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().type).toMatch(/:csrf$/);
    // A missing token on a logout must not end the session either.
    const logout = await t.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: client.cookie },
    });
    expect(logout.statusCode).toBe(403);

    const read = await t.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: client.cookie },
    });
    expect(read.statusCode).toBe(200);
    const right = await client.post('/api/auth/keepalive');
    expect(right.statusCode).toBe(204);
  });
});

describe('passwords stay secret', () => {
  it('never puts the password in the login answer or the audit log', async () => {
    const worker = await buildUser(t);
    const wrongGuess = 'mistyped-harbor-password-99';
    await login(t.app, { email: worker.email, password: wrongGuess });
    const res = await login(t.app, { email: worker.email, password: TEST_PASSWORD });
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(TEST_PASSWORD);
    expect(res.body).not.toContain('argon2');
    const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.actorUserId, worker.id));
    expect(rows.map((r) => `${r.action}:${r.outcome}`)).toEqual(
      expect.arrayContaining(['auth.sign-in:failure', 'auth.sign-in:success']),
    );
    const logged = JSON.stringify(rows);
    expect(logged).not.toContain(TEST_PASSWORD);
    expect(logged).not.toContain(wrongGuess);
    expect(logged).not.toContain('argon2');
  });
});
