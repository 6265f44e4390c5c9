import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.ts';
import { loadConfig } from '../config.ts';
import { createTestDatabase, type TestDatabase } from '../test/database.ts';
import { buildUser, signIn, startTestApp, type TestContext } from '../test/harness.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('problem+json errors', () => {
  it('answers malformed JSON with a 400 problem+json', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "a@b.c", ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      type: 'urn:kith:problem:malformed-json',
      status: 400,
      title: expect.any(String),
    });
  });

  it('names every bad field of a request body', async () => {
    const worker = await buildUser(t);
    const client = await signIn(t, worker);
    const res = await client.post('/api/patients', {
      mrn: 'bad mrn!',
      familyName: '',
      givenName: 'Ana',
      birthDate: '2999-01-01',
      sex: 'robot',
    });
    expect(res.statusCode).toBe(422);
    const fields = res
      .json()
      .errors.map((e: { field: string }) => e.field)
      .sort();
    expect(fields).toEqual(['birthDate', 'familyName', 'mrn', 'sex']);
    expect(res.json().errors.find((e: { field: string }) => e.field === 'birthDate').message).toBe(
      'must not be in the future',
    );
  });

  it('names bad query parameters with a query. prefix', async () => {
    const client = await signIn(t, await buildUser(t));
    const res = await client.get('/api/patients?pageSize=5000');
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'query.pageSize', message: 'must be at most 200' }]);
  });

  it('answers an unknown API path with a problem+json 404', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/no-such-thing' });
    expect(res.statusCode).toBe(404);
    expect(res.headers['content-type']).toContain('application/problem+json');
  });

  it('answers an address with a malformed percent-encoding: problem+json on the API, a page elsewhere', async () => {
    const api = await t.app.inject({ method: 'GET', url: '/api/patients/%E0%A4%A' });
    expect(api.statusCode).toBe(400);
    expect(api.headers['content-type']).toContain('application/problem+json');
    expect(api.json()).toMatchObject({ type: 'urn:kith:problem:bad-address', status: 400 });
    const page = await t.app.inject({ method: 'GET', url: '/site/riverside/%zz' });
    expect(page.statusCode).toBe(400);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.body).toContain('<h1>This address is not valid</h1>');
    expect(page.body).not.toContain('%zz');
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'x'.repeat(1_100_000), password: 'y' }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().type).toBe('urn:kith:problem:body-too-large');
  });

  it('answers an unauthenticated request with 401', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/patients' });
    expect(res.statusCode).toBe(401);
    expect(res.json().type).toBe('urn:kith:problem:unauthenticated');
  });
});

describe('an unexpected failure', () => {
  let database: TestDatabase;
  afterAll(() => database?.drop());

  it('answers 500 with a correlation id and no stack trace or request data', async () => {
    database = await createTestDatabase();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'x'.repeat(40),
      KITH_DATA_DIR: '/tmp/kith-unused',
    });
    const logged: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(line) });
    const app = await buildApp({ config, database, serveWeb: false, logger });
    app.post('/api/test/explode', { config: { access: 'public' } }, async () => {
      throw new Error('database exploded while reading patient Jane Doe');
    });
    const res = await app.inject({ method: 'POST', url: '/api/test/explode', payload: {} });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toMatchObject({
      type: 'urn:kith:problem:internal',
      correlationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
    });
    expect(res.body).not.toContain('Jane Doe');
    expect(res.body).not.toContain('at ');
    // The log ties the fault to the correlation id and where it happened, without the message's patient data.
    const entry = logged.map((line) => JSON.parse(line)).find((l) => l.msg === 'request failed');
    expect(entry.correlationId).toBe(res.json().correlationId);
    expect(entry.err.at.length).toBeGreaterThan(0);
    expect(logged.join('\n')).not.toContain('Jane Doe');
    await app.close();
  });

  it('refuses to register an API route that declares no access rule', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      SESSION_SECRET: 'x'.repeat(40),
      KITH_DATA_DIR: '/tmp/kith-unused',
    });
    const app = await buildApp({ config, database, serveWeb: false });
    expect(() => app.get('/api/forgotten', async () => ({}))).toThrow(/declares no access rule/);
    await app.close();
  });
});

describe('hardening', () => {
  it('sends a Content-Security-Policy without unsafe-inline scripts and with frame-ancestors none', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect(res.headers['x-request-id']).toBeTruthy();
  });

  it('sends HSTS when Kith is served over https', async () => {
    const https = await startTestApp({ PUBLIC_URL: 'https://kith.hospital.test' });
    try {
      const res = await https.app.inject({ method: 'GET', url: '/api/health' });
      expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    } finally {
      await https.close();
    }
  });

  it('never lets API answers be cached', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(res.headers['cache-control']).toBe('no-store');
  });
});

describe('operations', () => {
  it('reports health and readiness', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/health' })).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
  });

  it('answers 503 on /api/ready when the database is gone', async () => {
    const other = await startTestApp();
    await other.database.drop();
    const res = await other.app.inject({ method: 'GET', url: '/api/ready' });
    expect(res.statusCode).toBe(503);
    await other.app.close();
  });

  it('publishes an OpenAPI document generated from the route schemas', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(
      doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.properties,
    ).toHaveProperty('email');
    expect(doc.paths['/api/patients/{patientId}']).toBeDefined();
    const ui = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });
});
