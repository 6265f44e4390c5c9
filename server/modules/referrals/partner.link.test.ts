import { and, asc, eq } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { startTestApp, type TestContext } from '../../test/harness.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { linkKey, mintLinkToken } from './links.ts';
import { referralBody, referralScene } from './referrals.fixtures.ts';
import { referralEvents, referralLinks, referrals } from './referrals.tables.ts';

/*
 * The loop with an organisation that has no Kith account, over a real SMTP server: the email arrives without
 * anything about the patient, its signed link opens a page showing only what the patient agreed to share, and
 * the organisation answers through it until the service is delivered. Every bad use of a link changes nothing.
 */

let smtp: TestSmtp;
let t: TestContext;
beforeAll(async () => {
  smtp = await startSmtp();
  t = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://kith.hospital.test' });
});
afterAll(async () => {
  await t.close();
  await smtp.close();
});

const mailsTo = (address: string) =>
  smtp.received.filter((m) => !Array.isArray(m.to) && m.to?.value[0]?.address === address);
const linkIn = (mail: ParsedMail) =>
  /https:\/\/kith\.hospital\.test\/referral-response\/([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)/.exec(
    mail.text ?? '',
  )![1]!;

const open = (token: string) => t.app.inject({ method: 'GET', url: `/api/referral-response/${token}` });
const answer = (token: string, body: Record<string, unknown>) =>
  t.app.inject({ method: 'POST', url: `/api/referral-response/${token}/transition`, payload: body });

/** Everything a link could change about a referral, to prove a refused use changed nothing. */
async function stateOf(referralId: string) {
  const db = t.database.db;
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, referralId));
  return {
    referral,
    events: await db.select().from(referralEvents).where(eq(referralEvents.referralId, referralId)),
    links: await db.select().from(referralLinks).where(eq(referralLinks.referralId, referralId)),
    timeline: await db.select().from(timelineEvents).where(eq(timelineEvents.recordId, referralId)),
    tasks: await db.select().from(tasks).where(eq(tasks.patientId, referral!.patientId)),
  };
}

/** A referral sent to a pantry whose consent shares name, contact and the need only; its email and token. */
async function sentReferral() {
  const email = `intake-${Math.random().toString(36).slice(2)}@pantry.example`;
  const scene = await referralScene(t, { referralEmail: email, shares: ['name', 'contact', 'need'] });
  const res = await scene.worker.post(
    `/api/needs/${scene.need.id}/referrals`,
    referralBody(scene.service.id),
  );
  expect(res.statusCode).toBe(201);
  const referral = res.json().items[0];
  await expect.poll(() => mailsTo(email).length).toBe(1);
  const mail = mailsTo(email)[0]!;
  return { scene, referral, email, mail, token: linkIn(mail) };
}

describe('the partner link, from email to service delivered', () => {
  it('emails the organisation a link without PHI; the link shows only what is shared, and the loop closes', async () => {
    const { scene, referral, mail, token } = await sentReferral();

    // The email: the department and the service, a text and an HTML part, nothing about the patient.
    expect(mail.subject).toBe(`New referral from ${scene.organization.name}: Emergency groceries`);
    expect(mail.text).toContain(scene.organization.name);
    expect(mail.text).toContain('Emergency groceries');
    expect(mail.html).toContain(`https://kith.hospital.test/referral-response/${token}`);
    const everything = `${mail.subject}\n${mail.text}\n${mail.html}`;
    for (const phi of [
      scene.patient.givenName,
      scene.patient.familyName,
      scene.patient.mrn,
      scene.patient.birthDate,
      '617-555-0142',
      'Lives alone',
      'Food insecurity',
      'food',
    ]) {
      expect(everything.toLowerCase()).not.toContain(phi.toLowerCase());
    }

    // Opening it: what was shared (name, contact, need), not the note, birth date or address; now received.
    const opened = await open(token);
    expect(opened.statusCode).toBe(200);
    const view = opened.json();
    expect(view).toEqual({
      id: referral.id,
      department: scene.organization.name,
      organization: scene.pantry.name,
      service: 'Emergency groceries',
      status: 'received',
      statusLabel: 'Received',
      sentAt: referral.requestedAt,
      priority: 'routine',
      shared: {
        name: 'John Smith',
        phone: '617-555-0142',
        email: null,
        contactPreferences: {
          methods: ['phone'],
          phone: '617-555-0142',
          bestTimes: 'Mornings',
          language: 'es',
        },
        need: 'Food insecurity',
      },
      actions: ['accept', 'reject', 'cancel'],
      outcome: null,
      version: 3,
    });
    const [received] = await t.database.db
      .select()
      .from(referralEvents)
      .where(and(eq(referralEvents.referralId, referral.id), eq(referralEvents.toStatus, 'received')));
    expect(received).toMatchObject({ actorKind: 'partner-link', actorId: null, fromStatus: 'requested' });
    const [read] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, referral.id), eq(auditEvents.action, 'referral.partner-read')));
    expect(read).toMatchObject({
      actorUserId: null,
      actorRole: 'community_partner',
      patientId: scene.patient.id,
    });
    expect((read!.detail as { linkId: string }).linkId).toEqual(expect.any(String));

    // Opening it again changes nothing more.
    expect((await open(token)).json()).toMatchObject({ status: 'received', version: 3 });

    // Accept, start, complete with the outcome.
    const accepted = await answer(token, { action: 'accept', version: 3 });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json()).toMatchObject({
      status: 'accepted',
      actions: ['start', 'hold', 'complete', 'fail', 'cancel'],
    });
    const started = await answer(token, { action: 'start', version: 4 });
    expect(started.json()).toMatchObject({ status: 'in-progress', statusLabel: 'In progress' });
    const outcome = {
      delivered: true,
      deliveredOn: '2026-03-02',
      what: 'Two weeks of groceries, and SNAP help booked',
    };
    const completed = await answer(token, { action: 'complete', version: 5, outcome });
    expect(completed.statusCode).toBe(200);
    expect(completed.json()).toMatchObject({ status: 'completed', outcome, actions: [] });

    // The department sees it all, by the organisation through its link, and is asked to resolve the need.
    const shown = (await scene.worker.get(`/api/referrals/${referral.id}`)).json();
    expect(shown.events.map((e: { toStatus: string; actor: string }) => [e.toStatus, e.actor])).toEqual([
      ['draft', scene.user.displayName],
      ['requested', scene.user.displayName],
      ['received', `${scene.pantry.name} (through its link)`],
      ['accepted', `${scene.pantry.name} (through its link)`],
      ['in-progress', `${scene.pantry.name} (through its link)`],
      ['completed', `${scene.pantry.name} (through its link)`],
    ]);
    expect(shown.link.lastUsedAt).not.toBeNull();
    const [proposal] = await t.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.patientId, scene.patient.id), eq(tasks.kind, 'resolve-need')));
    expect(proposal).toMatchObject({
      assigneeId: scene.user.id,
      status: 'open',
      title: expect.stringMatching(/^Resolve the need\?/),
    });
    const bells = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, scene.user.id))
      .orderBy(asc(notifications.createdAt));
    expect(bells.map((b) => b.title)).toEqual(
      expect.arrayContaining([
        `Referral to ${scene.pantry.name}: Accepted`,
        `Referral to ${scene.pantry.name}: Completed`,
      ]),
    );
    const timeline = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, referral.id))
      .orderBy(asc(timelineEvents.occurredAt));
    expect(timeline.at(-1)!.summary).toBe(
      `Referral to ${scene.pantry.name} (Emergency groceries): Completed, through the organisation’s link`,
    );

    // Reused after the end: a clear problem, nothing changes.
    const before = await stateOf(referral.id);
    const reopened = await open(token);
    expect(reopened.statusCode).toBe(410);
    expect(reopened.json()).toMatchObject({
      type: 'urn:kith:problem:referral-closed',
      title: 'This referral is closed (Completed)',
    });
    const again = await answer(token, { action: 'fail', version: 6, reason: 'other' });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: 'urn:kith:problem:referral-closed' });
    expect(await stateOf(referral.id)).toEqual(before);
  });

  it('declines with a reason, which the department hears of, and the need loses the referral', async () => {
    const { scene, referral, token } = await sentReferral();
    const noReason = await answer(token, { action: 'reject', version: 2 });
    expect(noReason.statusCode).toBe(422);
    const declined = await answer(token, {
      action: 'reject',
      version: 2,
      reason: 'out-of-area',
      note: 'We serve 02119 only',
    });
    expect(declined.json()).toMatchObject({ status: 'rejected', statusLabel: 'Declined' });
    const shown = (await scene.worker.get(`/api/referrals/${referral.id}`)).json();
    expect(shown).toMatchObject({ status: 'rejected', statusReason: 'out-of-area' });
    expect(shown.events.at(-1)).toMatchObject({ reason: 'out-of-area', note: 'We serve 02119 only' });
    const [bell] = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, scene.user.id));
    expect(bell).toMatchObject({
      kind: 'referral-update',
      title: `Referral to ${scene.pantry.name}: Declined`,
    });
    const need = (await scene.worker.get(`/api/patients/${scene.patient.id}/needs`)).json().items[0];
    expect(need.links).toEqual([]);
    expect(need.referrals).toEqual([expect.objectContaining({ id: referral.id, status: 'rejected' })]);
  });

  it('answers 409 for a stale version or a step that is not open, and changes nothing', async () => {
    const { referral, token } = await sentReferral();
    await open(token); // received, version 3
    const before = await stateOf(referral.id);
    const stale = await answer(token, { action: 'accept', version: 2 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().type).toBe('urn:kith:problem:stale-version');
    const notNow = await answer(token, {
      action: 'complete',
      version: 3,
      outcome: { delivered: true, what: 'x' },
    });
    expect(notNow.statusCode).toBe(409);
    expect(notNow.json()).toMatchObject({
      type: 'urn:kith:problem:transition-not-allowed',
      allowed: ['accept', 'reject', 'cancel'],
    });
    const departmentOnly = await answer(token, { action: 'enter-in-error', version: 3 });
    expect(departmentOnly.statusCode).toBe(409);
    expect(await stateOf(referral.id)).toEqual(before);
  });
});

describe('bad links change nothing', () => {
  it('refuses an altered token (one character changed) with 403, and audits it against its link', async () => {
    const { referral, token } = await sentReferral();
    const before = await stateOf(referral.id);
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === 'A' ? 'B' : 'A') + s.slice(at + 1);
    for (const altered of [flip(token, 5), flip(token, token.length - 3), `${token}x`, 'not-a-token']) {
      const res = await open(altered);
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({
        type: 'urn:kith:problem:link-invalid',
        title: 'This link is not valid',
      });
      expect((await answer(altered, { action: 'accept', version: 2 })).statusCode).toBe(403);
    }
    expect(await stateOf(referral.id)).toEqual(before);
    const refusals = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, referral.id), eq(auditEvents.outcome, 'denied')));
    // The signature part changed: the link is known, so the refusal is on its record (twice: GET and POST).
    expect(refusals).toHaveLength(2);
  });

  it('refuses a link whose expiry has passed with 410', async () => {
    const { referral } = await sentReferral();
    // A link signed with an expiry in the past, as an old email's would be.
    const expiresAt = new Date(Date.now() - 60_000);
    const { token, tokenHash } = mintLinkToken(linkKey(t.config.sessionSecret), referral.id, expiresAt);
    await t.database.db.insert(referralLinks).values({
      organizationId: (await stateOf(referral.id)).referral!.organizationId,
      referralId: referral.id,
      tokenHash,
      sentTo: 'old@pantry.example',
      expiresAt,
    });
    const before = await stateOf(referral.id);
    const res = await open(token);
    expect(res.statusCode).toBe(410);
    expect(res.json()).toMatchObject({
      type: 'urn:kith:problem:link-expired',
      title: 'This link has expired',
    });
    expect((await answer(token, { action: 'accept', version: 2 })).statusCode).toBe(410);
    expect(await stateOf(referral.id)).toEqual(before);
  });

  it('refuses a link edited in the database to last longer: its signature no longer holds', async () => {
    const { referral, token } = await sentReferral();
    await t.database.db
      .update(referralLinks)
      .set({ expiresAt: new Date(Date.now() + 365 * 86_400_000) })
      .where(eq(referralLinks.referralId, referral.id));
    expect((await open(token)).statusCode).toBe(403);
  });

  it('refuses a link revoked by a newer one with 410, while the new email’s link works', async () => {
    const { scene, referral, email, token } = await sentReferral();
    const resent = await scene.worker.post(`/api/referrals/${referral.id}/resend-link`);
    expect(resent.statusCode).toBe(200);
    await expect.poll(() => mailsTo(email).length).toBe(2);
    const before = await stateOf(referral.id);
    const old = await open(token);
    expect(old.statusCode).toBe(410);
    expect(old.json()).toMatchObject({
      type: 'urn:kith:problem:link-revoked',
      title: 'This link no longer works',
    });
    expect((await answer(token, { action: 'accept', version: 2 })).statusCode).toBe(410);
    expect(await stateOf(referral.id)).toEqual(before);
    const fresh = await open(linkIn(mailsTo(email)[1]!));
    expect(fresh.json()).toMatchObject({ status: 'received' });
  });

  it('refuses the link once the patient withdraws consent (410)', async () => {
    const { scene, referral, token } = await sentReferral();
    await scene.worker.post(`/api/referral-consents/${scene.consent!.id}/revoke`, {
      reason: 'Patient changed her mind',
    });
    const before = await stateOf(referral.id);
    expect((await open(token)).statusCode).toBe(410);
    expect(await stateOf(referral.id)).toEqual(before);
  });
});
