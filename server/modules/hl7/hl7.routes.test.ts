import { eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Hl7Message } from '../../../domain/hl7/message.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import type { AdtApplier } from './adt.contract.ts';
import { ingestHl7 } from './ingest.service.ts';

let t: TestContext;
let admin: Client;
let worker: Client;
let adminUser: Awaited<ReturnType<typeof buildUser>>;

const REF = 'MSH|^~\\&|EPIC|RIVERSIDE|KITH|KITH|20260301||REF^I12|R-1|P|2.5\rPID|1||M1';
const adt = (control: string) =>
  `MSH|^~\\&|EPIC|RIVERSIDE|KITH|KITH|20260301||ADT^A08|${control}|P|2.5\rEVN|A08\rPID|1||M1^^^RIV^MR||Doe^Jane`;
const failing: AdtApplier = async () => {
  throw new Error('boom');
};

beforeAll(async () => {
  t = await startTestApp();
  adminUser = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  admin = await signIn(t, adminUser);
  worker = await signIn(
    t,
    await buildUser(t, { role: 'social_worker', organization: adminUser.organization }),
  );
  const feed = await admin.post('/api/hl7/feeds', {
    sendingFacility: 'Riverside',
    assigningAuthority: 'RIV',
  });
  expect(feed.statusCode, feed.body).toBe(201);
});
afterAll(async () => {
  await t.close();
});

describe('POST /api/hl7/v2', () => {
  it('answers the ACK as text (AR for a message type it does not take)', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/hl7/v2',
      headers: { 'content-type': 'application/hl7-v2' },
      payload: REF,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toContain('application/hl7-v2');
    expect(res.headers['x-hl7-ack-code']).toBe('AR');
    const ack = Hl7Message.parse(res.body);
    expect(ack.segment('MSA')!.get(2)).toBe('R-1');
    expect(ack.segment('ERR')!.get(3)).toBe('200');
  });

  it('takes text/plain and answers AR for an unparseable body', async () => {
    const res = await admin.request({
      method: 'POST',
      url: '/api/hl7/v2',
      headers: { 'content-type': 'text/plain' },
      payload: 'hello',
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(Hl7Message.parse(res.body).segment('MSA')!.get(1)).toBe('AR');
  });

  it('takes a message from an integration with an API token', async () => {
    const service = await buildUser(t, {
      role: 'clinician',
      kind: 'service',
      organization: adminUser.organization,
    });
    const issued = await admin.post('/api/admin/tokens', { userId: service.id, name: 'Interface engine' });
    expect(issued.statusCode, issued.body).toBe(201);
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/hl7/v2',
      headers: { authorization: `Bearer ${issued.json().token}`, 'content-type': 'text/plain' },
      payload: REF.replace('R-1', 'R-TOKEN'),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(Hl7Message.parse(res.body).segment('MSA')!.get(2)).toBe('R-TOKEN');
  });

  it('is closed to a social worker signed in', async () => {
    const res = await worker.request({
      method: 'POST',
      url: '/api/hl7/v2',
      headers: { 'content-type': 'text/plain' },
      payload: REF,
    });
    expect(res.statusCode).toBe(403);
  });
});

describe('the admin API', () => {
  let errorId: string;
  beforeAll(async () => {
    const r = await ingestHl7(t.database.db, adt('E-1'), { transport: 'mllp', applier: failing });
    errorId = r.messageId!;
  });

  it('lists messages with filters and no raw text', async () => {
    const all = await admin.get('/api/hl7/messages');
    expect(all.statusCode, all.body).toBe(200);
    expect(all.json().total).toBeGreaterThanOrEqual(3);
    expect(all.json().items[0]).not.toHaveProperty('raw');
    const errors = await admin.get('/api/hl7/messages?outcome=error');
    expect(errors.json().items.map((m: { id: string }) => m.id)).toEqual([errorId]);
    expect((await admin.get('/api/hl7/messages?event=A08')).json().total).toBe(1);
    expect((await admin.get('/api/hl7/messages?q=E-1')).json().total).toBe(1);
    expect((await admin.get(`/api/hl7/messages?from=2000-01-01&to=2099-01-01`)).json().total).toBeGreaterThan(
      0,
    );
    expect((await admin.get(`/api/hl7/messages?from=2099-01-01&to=2099-01-02`)).json().total).toBe(0);
    expect((await admin.get('/api/hl7/messages?event=nope')).statusCode).toBe(422);
    expect((await worker.get('/api/hl7/messages')).statusCode).toBe(403);
  });

  it('shows one message with its raw text and audits the read', async () => {
    const res = await admin.get(`/api/hl7/messages/${errorId}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ outcome: 'error', ackCode: 'AE', raw: adt('E-1') });
    expect(res.json().errors[0].code).toBe(207);
    const audit = await t.database.db.select().from(auditEvents).where(eq(auditEvents.recordId, errorId));
    expect(audit.map((a) => a.action)).toContain('hl7.message.read');
  });

  it('refuses to replay an applied message (409) and reports each of several', async () => {
    const ok = await ingestHl7(t.database.db, adt('OK-1'), {
      transport: 'mllp',
      applier: async () => ({ ack: 'AA', patientId: null, encounterId: null }),
    });
    const res = await admin.post(`/api/hl7/messages/${ok.messageId}/replay`);
    expect(res.statusCode).toBe(409);
    const many = await admin.post('/api/hl7/messages/replay', { ids: [ok.messageId] });
    expect(many.statusCode).toBe(200);
    expect(many.json().results[0]).toMatchObject({ id: ok.messageId, refused: expect.any(String) });
  });
});

describe('feeds', () => {
  it('creates, refuses a duplicate facility, updates and deletes', async () => {
    const created = await admin.post('/api/hl7/feeds', { sendingFacility: 'North', assigningAuthority: '' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ sendingFacility: 'North', assigningAuthority: null });
    expect((await admin.post('/api/hl7/feeds', { sendingFacility: 'NORTH' })).statusCode).toBe(409);
    expect((await admin.post('/api/hl7/feeds', { sendingFacility: '' })).statusCode).toBe(422);
    const id = created.json().id;
    const updated = await admin.patch(`/api/hl7/feeds/${id}`, {
      sendingFacility: 'North',
      assigningAuthority: 'NH',
    });
    expect(updated.json().assigningAuthority).toBe('NH');
    const list = await admin.get('/api/hl7/feeds');
    expect(list.json().items.map((f: { sendingFacility: string }) => f.sendingFacility)).toEqual([
      'North',
      'Riverside',
    ]);
    expect((await admin.delete(`/api/hl7/feeds/${id}`)).statusCode).toBe(204);
    expect((await admin.delete(`/api/hl7/feeds/${id}`)).statusCode).toBe(404);
  });
});
