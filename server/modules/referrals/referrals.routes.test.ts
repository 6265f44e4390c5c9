import { and, asc, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { needLinks } from '../needs/needs.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import {
  outboxTo as outboxToIn,
  referralScene,
  sendReferral,
  transitionReferral,
} from './referrals.fixtures.ts';
import { referralEvents, referralLinks, referrals } from './referrals.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'https://kith.hospital.test' });
});
afterAll(() => t.close());

const refer = sendReferral;
const transition = transitionReferral;
const outboxTo = (address: string) => outboxToIn(t, address);

describe('POST /api/referrals/:referralId/transition (the department)', () => {
  it('answers 409 naming the allowed actions for a step that is the organisation’s, and for a stale version', async () => {
    const scene = await referralScene(t);
    const referral = await refer(scene);
    const notOurs = await transition(scene.worker, referral.id, {
      action: 'accept',
      version: referral.version,
    });
    expect(notOurs.statusCode).toBe(409);
    expect(notOurs.json()).toMatchObject({
      type: 'urn:kith:problem:transition-not-allowed',
      allowed: ['cancel', 'enter-in-error'],
    });
    const notNow = await transition(scene.worker, referral.id, { action: 'send', version: referral.version });
    expect(notNow.statusCode).toBe(409);
    expect(notNow.json().title).toBe('A referral that is Sent cannot take "send"');
    const stale = await transition(scene.worker, referral.id, {
      action: 'cancel',
      version: 1,
      reason: 'other',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({
      type: 'urn:kith:problem:stale-version',
      currentVersion: referral.version,
    });
  });

  it('answers 422 for a missing or unknown reason, a missing outcome, or a missing note', async () => {
    const scene = await referralScene(t);
    const referral = await refer(scene);
    const noReason = await transition(scene.worker, referral.id, {
      action: 'cancel',
      version: referral.version,
    });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([{ field: 'reason', message: 'is required: choose why' }]);
    const unknown = await transition(scene.worker, referral.id, {
      action: 'cancel',
      version: referral.version,
      reason: 'bored',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors[0].field).toBe('reason');

    await t.database.db.update(referrals).set({ status: 'accepted' }).where(eq(referrals.id, referral.id));
    const noOutcome = await transition(scene.worker, referral.id, {
      action: 'complete',
      version: referral.version,
      note: 'They phoned',
    });
    expect(noOutcome.statusCode).toBe(422);
    expect(noOutcome.json().errors[0].field).toBe('outcome');
    const noNote = await transition(scene.worker, referral.id, {
      action: 'complete',
      version: referral.version,
      outcome: { delivered: true, what: 'Groceries' },
    });
    expect(noNote.statusCode).toBe(422);
    expect(noNote.json().errors[0].field).toBe('note');
    const notDelivered = await transition(scene.worker, referral.id, {
      action: 'complete',
      version: referral.version,
      note: 'They phoned',
      outcome: { delivered: false, what: 'Nothing' },
    });
    expect(notDelivered.statusCode).toBe(422);
    expect(notDelivered.json().errors[0].field).toBe('outcome.delivered');
    const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, referral.id));
    expect(row).toMatchObject({ status: 'accepted', version: referral.version, outcome: null });
  });

  it('sends a draft, then cancels it: the need loses the link, the timeline says why, and it is closed for good', async () => {
    const email = `cancel-${Date.now()}@pantry.example`;
    const scene = await referralScene(t, { referralEmail: email });
    const draft = await refer(scene, { send: false });
    const sent = await transition(scene.worker, draft.id, { action: 'send', version: draft.version });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({
      status: 'requested',
      resolveProposed: false,
      link: { sentTo: email },
    });
    expect(await outboxTo(email)).toHaveLength(1);

    const cancelled = await transition(scene.worker, draft.id, {
      action: 'cancel',
      version: sent.json().version,
      reason: 'need-resolved',
      note: 'Daughter is helping with groceries',
    });
    expect(cancelled.statusCode).toBe(200);
    expect(cancelled.json()).toMatchObject({
      status: 'cancelled',
      statusReason: 'need-resolved',
      actions: [],
      events: [
        { toStatus: 'draft' },
        { toStatus: 'requested' },
        { toStatus: 'cancelled', reason: 'need-resolved', note: 'Daughter is helping with groceries' },
      ],
    });
    const [link] = await t.database.db.select().from(needLinks).where(eq(needLinks.targetId, draft.id));
    expect(link!.unlinkedAt).not.toBeNull();
    const summaries = (
      await t.database.db
        .select()
        .from(timelineEvents)
        .where(eq(timelineEvents.recordId, draft.id))
        .orderBy(asc(timelineEvents.occurredAt))
    ).map((e) => e.summary);
    expect(summaries).toEqual([
      `Referral to ${scene.pantry.name} (Emergency groceries) drafted`,
      `Referral to ${scene.pantry.name} (Emergency groceries): Sent`,
      `Referral to ${scene.pantry.name} (Emergency groceries): Cancelled, the need was met another way`,
    ]);

    const after = await transition(scene.worker, draft.id, {
      action: 'enter-in-error',
      version: cancelled.json().version,
    });
    expect(after.statusCode).toBe(409);
    expect(after.json()).toMatchObject({ type: 'urn:kith:problem:referral-closed', allowed: [] });
  });

  it('records an outcome the organisation phoned in, and proposes resolving the need when no other referral is active', async () => {
    const scene = await referralScene(t);
    const first = await refer(scene);
    const second = await refer(scene);
    await t.database.db.update(referrals).set({ status: 'in-progress' }).where(eq(referrals.id, first.id));
    const outcome = { delivered: true, deliveredOn: '2026-03-02', what: 'Two weeks of groceries' };
    const done = await transition(scene.worker, first.id, {
      action: 'complete',
      version: first.version,
      note: 'The pantry called on Monday',
      outcome,
    });
    expect(done.statusCode).toBe(200);
    // The other referral is still active: no proposal yet.
    expect(done.json()).toMatchObject({ status: 'completed', outcome, resolveProposed: false });

    await t.database.db.update(referrals).set({ status: 'in-progress' }).where(eq(referrals.id, second.id));
    const last = await transition(scene.worker, second.id, {
      action: 'complete',
      version: second.version,
      note: 'The pantry called again',
      outcome,
    });
    expect(last.json()).toMatchObject({ status: 'completed', resolveProposed: true });
    const proposals = await t.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.patientId, scene.patient.id), eq(tasks.kind, 'resolve-need')));
    expect(proposals).toHaveLength(1);
    expect(proposals[0]).toMatchObject({
      assigneeId: scene.user.id,
      status: 'open',
      title: `Resolve the need? Food insecurity: referral to ${scene.pantry.name} completed`,
    });
    // Completed referrals stay linked: they are what addressed the need.
    const links = await t.database.db.select().from(needLinks).where(eq(needLinks.needId, scene.need.id));
    expect(links.every((l) => l.unlinkedAt === null)).toBe(true);
  });

  it('sends the link again: the old links stop, a new email goes out', async () => {
    const email = `resend-${Date.now()}@pantry.example`;
    const scene = await referralScene(t, { referralEmail: email });
    const referral = await refer(scene);
    const res = await scene.worker.post(`/api/referrals/${referral.id}/resend-link`);
    expect(res.statusCode).toBe(200);
    const links = await t.database.db
      .select()
      .from(referralLinks)
      .where(eq(referralLinks.referralId, referral.id))
      .orderBy(asc(referralLinks.createdAt));
    expect(links.map((l) => l.revokedAt === null)).toEqual([false, true]);
    expect(await outboxTo(email)).toHaveLength(2);
    const events = await t.database.db
      .select()
      .from(referralEvents)
      .where(eq(referralEvents.referralId, referral.id));
    expect(events).toHaveLength(2); // sending again is not a change of status
  });
});

describe('GET referrals and the needs page', () => {
  it('lists a patient’s referrals and shows one with its history; the needs list carries each need’s referrals', async () => {
    const scene = await referralScene(t);
    const sent = await refer(scene);
    const draft = await refer(scene, { send: false });
    await t.database.db
      .update(referrals)
      .set({ statusChangedAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(referrals.id, sent.id));

    const list = await scene.worker.get(`/api/patients/${scene.patient.id}/referrals`);
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((r: { id: string; stalled: boolean }) => [r.id, r.stalled])).toEqual([
      [draft.id, false],
      [sent.id, true],
    ]);
    const one = await scene.worker.get(`/api/referrals/${sent.id}`);
    expect(one.json()).toMatchObject({
      id: sent.id,
      stalled: true,
      events: [{ toStatus: 'draft' }, { toStatus: 'requested' }],
    });

    const needsPage = await scene.worker.get(`/api/patients/${scene.patient.id}/needs`);
    const [need] = needsPage.json().items;
    expect(need.referrals).toEqual([
      {
        id: draft.id,
        service: { id: scene.service.id, name: 'Emergency groceries' },
        organization: { id: scene.pantry.id, name: scene.pantry.name },
        status: 'draft',
        statusLabel: 'Draft',
        stalled: false,
        statusChangedAt: expect.any(String),
      },
      expect.objectContaining({ id: sent.id, status: 'requested', statusLabel: 'Sent', stalled: true }),
    ]);

    const stranger = await referralScene(t);
    expect((await stranger.worker.get(`/api/referrals/${sent.id}`)).statusCode).toBe(404);
    const readOnly = await signIn(
      t,
      await buildUser(t, { organization: scene.organization, role: 'read_only' }),
    );
    expect((await readOnly.get(`/api/referrals/${sent.id}`)).statusCode).toBe(403);
  });
});

describe('/api/admin/referral-settings', () => {
  it('lets an admin read and set the stall days, audited; others get 403', async () => {
    const scene = await referralScene(t);
    const admin = await signIn(
      t,
      await buildUser(t, { organization: scene.organization, role: 'admin', totpSecret: generateSecret() }),
    );
    expect((await admin.get('/api/admin/referral-settings')).json()).toEqual({ stallDays: 7 });
    const set = await admin.request({
      method: 'PUT',
      url: '/api/admin/referral-settings',
      payload: { stallDays: 3 },
    });
    expect(set.statusCode).toBe(200);
    expect((await admin.get('/api/admin/referral-settings')).json()).toEqual({ stallDays: 3 });
    const bad = await admin.request({
      method: 'PUT',
      url: '/api/admin/referral-settings',
      payload: { stallDays: 0 },
    });
    expect(bad.statusCode).toBe(422);
    expect((await scene.worker.get('/api/admin/referral-settings')).statusCode).toBe(403);
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.recordId, scene.organization.id), eq(auditEvents.action, 'organization.update')),
      );
    expect(audit!.detail).toEqual({ fields: ['referralStallDays'], referralStallDays: 3 });
  });
});
