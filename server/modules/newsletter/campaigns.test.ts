import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { NewsletterIssueView } from '../../../domain/schemas/newsletter.ts';
import { auditEvents, mailOutbox } from '../../platform/platform.tables.ts';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { dispatchDueIssues, pacer, type SliceResult, sendIssueSlice } from './campaign.sender.ts';
import { listsOffered } from './lists.service.ts';
import {
  mailsTo,
  postForm,
  rawHeader,
  seedActiveSubscribers,
  startNewsletterApp,
  subscriberRow,
  TEST_PUBLIC_URL,
} from './newsletter.fixtures.ts';
import { REDACTED_ADDRESS } from './newsletter.privacy.ts';
import {
  newsletterDeliveries,
  newsletterIssues,
  newsletterLists,
  newsletterSubscribers,
} from './newsletter.tables.ts';

/*
 * Campaigns as admins run them and as readers receive them, over a real SMTP server: drafts with optimistic
 * versions, the preview and the test mail, sending now or on schedule, each recipient's status (sent, failed
 * with the SMTP reply, retried, skipped), cancelling, taking over from a worker that died, images, the
 * outbox without SMTP, and who may do any of it. The worker's slices are run here by the test, one at a time,
 * so that every step can be looked at; campaigns.worker.test.ts runs them through the job queue.
 */

// Refusals the test SMTP server gives, by address; its refusal of the sender (the relay's own); and what it
// does once a message's content arrived, by address (answer late, or drop the connection unanswered).
const answers = new Map<string, { code: number; message: string }>();
let relayRefusal: { code: number; message: string } | undefined;
const afterData = new Map<string, 'drop' | number>();
let smtp: TestSmtp;
let t: TestContext;
let admin: Client;
let adminEmail: string;
let org: Awaited<ReturnType<typeof buildUser>>['organization'];
let lists: Awaited<ReturnType<typeof listsOffered>>;
const PUBLIC_URL = TEST_PUBLIC_URL;

let stop: () => Promise<void>;
beforeAll(async () => {
  ({
    t,
    smtp,
    close: stop,
  } = await startNewsletterApp(
    { NEWSLETTER_RATE_PER_MINUTE: '60000', NEWSLETTER_LEASE_SECONDS: '5' },
    {
      answer: (address) => answers.get(address),
      mailFrom: () => relayRefusal,
      afterData: (recipients) => afterData.get(recipients[0]!),
    },
  ));
  const user = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  org = user.organization;
  adminEmail = user.email;
  admin = await signIn(t, user);
  lists = await listsOffered(t.database.db, org.id);
});
afterAll(() => stop());
beforeEach(() => {
  answers.clear();
  afterData.clear();
  relayRefusal = undefined;
});

const listId = (slug: string) => lists.find((l) => l.slug === slug)!.id;
const ctx = (signal = new AbortController().signal) => ({
  config: t.config,
  database: t.database,
  mailer: t.app.kith.mailer,
  logger: pino({ level: 'silent' }),
  jobs: t.app.kith.jobs,
  signal,
});
const slice = (issueId: string, sliceMs?: number): Promise<SliceResult> =>
  sendIssueSlice(ctx(), issueId, sliceMs === undefined ? {} : { sliceMs });

let seeded = 0;
/** The list of the test running: each test sends to its own, so that no test receives another's issue. */
let list: string;
beforeEach(async () => {
  const [made] = await t.database.db
    .insert(newsletterLists)
    .values({ organizationId: org.id, slug: `test-${++seeded}`, name: `Test list ${seeded}` })
    .returning();
  list = made!.id;
});

/** `n` active subscribers of a list (the test's own by default), with fresh addresses; returns them. */
async function readers(n: number, onList = list): Promise<string[]> {
  const prefix = `reader${++seeded}x${Date.now().toString(36)}`;
  await seedActiveSubscribers(t, org.id, onList, n, prefix);
  return Array.from({ length: n }, (_, i) => `${prefix}-${i + 1}@readers.example`);
}

async function draft(body: Record<string, unknown> = {}): Promise<NewsletterIssueView> {
  const res = await admin.post('/api/newsletter/issues', {
    subject: `Caregiver news ${Math.random().toString(36).slice(2, 8)}`,
    bodyMarkdown: '## This month\n\nThe **caregiver group** meets on Tuesdays.',
    listIds: [list],
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

async function sendNow(issue: NewsletterIssueView): Promise<NewsletterIssueView> {
  const res = await admin.post(`/api/newsletter/issues/${issue.id}/send`, { version: issue.version });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

const deliveriesOf = (issueId: string) =>
  t.database.db.select().from(newsletterDeliveries).where(eq(newsletterDeliveries.issueId, issueId));
const issueRow = async (issueId: string) =>
  (await t.database.db.select().from(newsletterIssues).where(eq(newsletterIssues.id, issueId)))[0]!;
const received = (subject: string) => smtp.received.filter((m) => m.subject === subject);

describe('drafts', () => {
  it('creates, saves with its version (409 when stale), checks the lists, and deletes only drafts', async () => {
    const issue = await draft({ listIds: [] });
    expect(issue).toMatchObject({ status: 'draft', version: 1, audience: 0, ratePerMinute: 60_000 });
    expect(issue.progress).toMatchObject({ recipients: 0, sent: 0 });

    const save = (version: number, over: Record<string, unknown> = {}) =>
      admin.request({
        method: 'PUT',
        url: `/api/newsletter/issues/${issue.id}`,
        payload: {
          subject: 'Respite care in March',
          bodyMarkdown: 'Hello',
          listIds: [listId('events')],
          ratePerMinute: 120,
          version,
          ...over,
        },
      });
    const saved = await save(1);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ subject: 'Respite care in March', version: 2, ratePerMinute: 120 });
    const stale = await save(1);
    expect(stale.statusCode).toBe(409);
    expect(stale.headers['content-type']).toContain('application/problem+json');

    const foreign = await save(2, { listIds: ['00000000-0000-7000-8000-000000000001'] });
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors).toEqual([{ field: 'listIds', message: expect.any(String) }]);
    const bad = await save(2, { subject: '', ratePerMinute: 0 });
    expect(bad.statusCode).toBe(422);
    expect(
      bad
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['ratePerMinute', 'subject']);

    expect((await admin.delete(`/api/newsletter/issues/${issue.id}`)).statusCode).toBe(204);
    expect((await admin.get(`/api/newsletter/issues/${issue.id}`)).statusCode).toBe(404);
    const audited = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(and(eq(auditEvents.recordKind, 'newsletter_issue'), eq(auditEvents.recordId, issue.id)));
    expect(audited.map((a) => a.action)).toEqual([
      'newsletter.issue.create',
      'newsletter.issue.update',
      'newsletter.issue.delete',
    ]);
  });

  it('previews the email as sent (both parts, footer) and mails a test to the admin only', async () => {
    const issue = await draft();
    const preview = await admin.post(`/api/newsletter/issues/${issue.id}/preview`, {
      subject: 'Unsaved subject',
      bodyMarkdown:
        '# Big news\n\n<script>alert(1)</script> and [our site](/site/x/) [x](javascript:alert(1)) <img src=x onerror=alert(1)> ![y](javascript:alert(2))',
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const { html, text, subject } = preview.json();
    expect(subject).toBe('Unsaved subject');
    expect(html).toContain('<h1>Big news</h1>');
    expect(html).not.toContain('<script>');
    expect(html).not.toMatch(/<img[^>]*onerror|href="javascript:|src="javascript:/i);
    expect(html).toContain('Unsubscribe');
    expect(text).toContain('BIG NEWS');
    expect(text).toContain('Unsubscribe:');

    const test = await admin.post(`/api/newsletter/issues/${issue.id}/test`);
    expect(test.statusCode, test.body).toBe(200);
    expect(test.json()).toEqual({ to: adminEmail, status: 'sent' });
    const mail = received(`[Test] ${issue.subject}`);
    expect(mail).toHaveLength(1);
    expect(mailsTo(smtp, adminEmail)).toHaveLength(1);
    expect(mail[0]!.text).toContain('The caregiver group meets on Tuesdays.');
    expect(mail[0]!.html).toContain('<strong>caregiver group</strong>');
    expect((await issueRow(issue.id)).status).toBe('draft');
  });
});

describe('sending', () => {
  it('sends to each active subscriber of the lists once, with both parts and one-click unsubscribe', async () => {
    const audience = await readers(7);
    const elsewhere = await readers(2, listId('events'));
    // A pending sign-up and an unsubscribed reader of the list get nothing.
    await t.database.db
      .update(newsletterSubscribers)
      .set({ status: 'unsubscribed' })
      .where(eq(newsletterSubscribers.email, audience[6]!));
    const issue = await draft();
    const sending = await sendNow(issue);
    expect(sending).toMatchObject({ status: 'sending', audience: 6, version: 2 });

    expect(await slice(issue.id)).toBe('finished');
    const mails = received(issue.subject);
    expect(mails.map((m) => (Array.isArray(m.to) ? '' : m.to!.value[0]!.address)).sort()).toEqual(
      audience.slice(0, 6).sort(),
    );
    for (const mail of mails) {
      expect(mail.text).toContain('The caregiver group meets on Tuesdays.');
      expect(mail.html).toContain('<h2>This month</h2>');
      expect(rawHeader(mail, 'List-Unsubscribe')).toMatch(
        new RegExp(`^<${PUBLIC_URL}/site/${org.slug}/newsletter/unsubscribe\\?token=`),
      );
      expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
      expect(mail.messageId).toMatch(/@kith\.hospital\.test>$/);
    }
    expect(elsewhere.flatMap((a) => mailsTo(smtp, a))).toEqual([]);

    const view = (await admin.get(`/api/newsletter/issues/${issue.id}`)).json();
    expect(view).toMatchObject({
      status: 'sent',
      archiveUrl: `/site/${org.slug}/newsletter/issues/${issue.id}`,
    });
    expect(view.progress).toMatchObject({ recipients: 6, sent: 6, pending: 0, failed: 0 });
    expect((await issueRow(issue.id)).progress).toMatchObject({ recipients: 6, sent: 6 });

    // The public archive lists it and shows it.
    const archive = await t.app.inject({ url: `/site/${org.slug}/newsletter` });
    expect(archive.body).toContain(issue.subject);
    const page = await t.app.inject({ url: view.archiveUrl });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('The <strong>caregiver group</strong> meets on Tuesdays.');

    // Each recipient's status, searchable, for admins.
    const list = await admin.get(
      `/api/newsletter/issues/${issue.id}/deliveries?status=sent&q=${audience[0]}`,
    );
    expect(list.json()).toMatchObject({
      total: 1,
      items: [{ email: audience[0], status: 'sent', attempts: 1 }],
    });

    // The one-click unsubscribe of a received issue works, and takes effect at once.
    const one = mails[0]!;
    const url = new URL(rawHeader(one, 'List-Unsubscribe')!.slice(1, -1));
    const res = await postForm(t, url.pathname + url.search, { 'List-Unsubscribe': 'One-Click' });
    expect(res.statusCode).toBe(200);
    const address = Array.isArray(one.to) ? '' : one.to!.value[0]!.address!;
    expect(await subscriberRow(t, org.id, address)).toMatchObject({ status: 'unsubscribed' });
  });

  it('records a permanent refusal with its SMTP reply and retries a temporary one until it is accepted', async () => {
    const [refused, busy, fine] = await readers(3);
    answers.set(refused!, { code: 550, message: '5.1.1 No such mailbox here' });
    answers.set(busy!, { code: 451, message: '4.3.0 Try again later' });
    const issue = await draft();
    await sendNow(issue);

    expect(await slice(issue.id)).toBe('paused');
    const rows = new Map((await deliveriesOf(issue.id)).map((d) => [d.email, d]));
    expect(rows.get(fine!)).toMatchObject({ status: 'sent', attempts: 1, lastError: null });
    expect(rows.get(refused!)).toMatchObject({ status: 'failed', attempts: 1 });
    expect(rows.get(refused!)!.lastError).toContain('550');
    expect(rows.get(refused!)!.lastError).toContain('No such mailbox here');
    expect(rows.get(busy!)).toMatchObject({ status: 'pending', attempts: 1 });
    expect(rows.get(busy!)!.lastError).toContain('451');
    expect(rows.get(busy!)!.nextAttemptAt!.getTime()).toBeGreaterThan(Date.now() + 30_000);

    // Not due yet: nothing to do, the issue waits; then the retry time comes and the server accepts it.
    expect(await slice(issue.id)).toBe('paused');
    expect(mailsTo(smtp, busy!)).toHaveLength(0);
    answers.delete(busy!);
    await t.database.db
      .update(newsletterDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(newsletterDeliveries.issueId, issue.id));
    expect(await slice(issue.id)).toBe('finished');
    expect(mailsTo(smtp, busy!)).toHaveLength(1);
    expect((await deliveriesOf(issue.id)).find((d) => d.email === busy)).toMatchObject({
      status: 'sent',
      attempts: 2,
      lastError: null,
    });
    expect((await admin.get(`/api/newsletter/issues/${issue.id}`)).json().progress).toMatchObject({
      recipients: 3,
      sent: 2,
      failed: 1,
    });

    // Erasing the refused address takes it out of the record, reply included (replies quote addresses).
    const gone = (await subscriberRow(t, org.id, refused!))!;
    expect((await admin.delete(`/api/newsletter/subscribers/${gone.id}`)).statusCode).toBe(204);
    const after = (await deliveriesOf(issue.id)).filter((d) => d.subscriberId === null);
    expect(after).toMatchObject([
      { email: REDACTED_ADDRESS, status: 'failed', lastError: '(reply removed with the address)' },
    ]);
  });

  it('gives a temporary failure up after the last try', async () => {
    const [busy] = await readers(1);
    answers.set(busy!, { code: 452, message: '4.2.2 Mailbox full' });
    const issue = await draft();
    await sendNow(issue);
    for (let i = 0; i < 4; i++) {
      await t.database.db
        .update(newsletterDeliveries)
        .set({ nextAttemptAt: null })
        .where(eq(newsletterDeliveries.issueId, issue.id));
      await slice(issue.id);
    }
    expect(await deliveriesOf(issue.id)).toMatchObject([
      { status: 'failed', attempts: 4, lastError: expect.stringContaining('gave up after 4 tries') },
    ]);
    expect((await issueRow(issue.id)).status).toBe('sent');
  });

  it('skips whoever unsubscribed or was erased after sending began', async () => {
    const [stays, leaves, erased] = await readers(3);
    const issue = await draft();
    await sendNow(issue);
    // A slice with no time fixes the audience and sends nothing.
    expect(await slice(issue.id, 0)).toBe('paused');
    expect(await deliveriesOf(issue.id)).toHaveLength(3);
    const leaver = (await subscriberRow(t, org.id, leaves!))!;
    await t.database.db
      .update(newsletterSubscribers)
      .set({ status: 'unsubscribed' })
      .where(eq(newsletterSubscribers.id, leaver.id));
    const gone = (await subscriberRow(t, org.id, erased!))!;
    expect((await admin.delete(`/api/newsletter/subscribers/${gone.id}`)).statusCode).toBe(204);

    expect(await slice(issue.id)).toBe('finished');
    expect(mailsTo(smtp, stays!)).toHaveLength(1);
    expect(mailsTo(smtp, leaves!)).toHaveLength(0);
    expect(mailsTo(smtp, erased!)).toHaveLength(0);
    const statuses = (await deliveriesOf(issue.id)).map((d) => d.status).sort();
    expect(statuses).toEqual(['sent', 'skipped', 'skipped']);
  });

  it('takes over from a worker that died: what it was handing over is marked unknown, never sent twice', async () => {
    const addresses = await readers(4);
    const issue = await draft();
    await sendNow(issue);
    expect(await slice(issue.id, 0)).toBe('paused');
    // A worker claimed the issue, marked one recipient `sending`, and died.
    const [inFlight] = await deliveriesOf(issue.id);
    await t.database.db
      .update(newsletterDeliveries)
      .set({ status: 'sending', attempts: 1 })
      .where(eq(newsletterDeliveries.id, inFlight!.id));
    await t.database.db
      .update(newsletterIssues)
      .set({ senderId: '00000000-0000-7000-8000-00000000dead', leaseUntil: new Date(Date.now() + 60_000) })
      .where(eq(newsletterIssues.id, issue.id));
    // While its lease holds, nobody else sends; the dispatch leaves it alone.
    expect(await slice(issue.id)).toBe('busy');
    expect(received(issue.subject)).toHaveLength(0);

    await t.database.db
      .update(newsletterIssues)
      .set({ leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(newsletterIssues.id, issue.id));
    expect(await slice(issue.id)).toBe('finished');
    const rows = await deliveriesOf(issue.id);
    expect(rows.find((r) => r.id === inFlight!.id)).toMatchObject({
      status: 'unknown',
      lastError: expect.stringContaining('not sent again'),
    });
    expect(mailsTo(smtp, inFlight!.email)).toHaveLength(0);
    for (const address of addresses.filter((a) => a !== inFlight!.email)) {
      expect(mailsTo(smtp, address)).toHaveLength(1);
    }
  });

  it('schedules for later, goes out when due (found by the dispatch), and can be unscheduled', async () => {
    const [reader] = await readers(1);
    const issue = await draft();
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const past = await admin.post(`/api/newsletter/issues/${issue.id}/send`, {
      version: issue.version,
      at: new Date(Date.now() - 60_000).toISOString(),
    });
    expect(past.statusCode).toBe(422);
    expect(past.json().errors).toEqual([{ field: 'at', message: expect.stringContaining('future') }]);

    const scheduled = await admin.post(`/api/newsletter/issues/${issue.id}/send`, {
      version: issue.version,
      at: inAnHour,
    });
    expect(scheduled.json()).toMatchObject({ status: 'scheduled', scheduledAt: inAnHour });
    expect(await slice(issue.id)).toBe('idle');
    const sent: { name: string; data: unknown }[] = [];
    const recordingJobs = {
      send: async (name: string, data: unknown) => {
        sent.push({ name, data });
        return 'job';
      },
    };
    await dispatchDueIssues({ database: t.database, jobs: recordingJobs as never });
    expect(sent.filter((s) => (s.data as { issueId: string }).issueId === issue.id)).toEqual([]);

    // Unschedule, then schedule again and let the time come.
    const back = await admin.post(`/api/newsletter/issues/${issue.id}/cancel`, { version: 2 });
    expect(back.json()).toMatchObject({ status: 'draft', scheduledAt: null, version: 3 });
    await admin.post(`/api/newsletter/issues/${issue.id}/send`, { version: 3, at: inAnHour });
    await t.database.db
      .update(newsletterIssues)
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where(eq(newsletterIssues.id, issue.id));
    await dispatchDueIssues({ database: t.database, jobs: recordingJobs as never });
    expect(sent).toContainEqual({ name: 'newsletter.send-issue', data: { issueId: issue.id } });
    expect(await slice(issue.id)).toBe('finished');
    expect(mailsTo(smtp, reader!)).toHaveLength(1);
  });

  it('stops a sending issue on cancel: the rest is skipped', async () => {
    const addresses = await readers(5);
    const issue = await draft();
    const sending = await sendNow(issue);
    expect(await slice(issue.id, 0)).toBe('paused');
    const cancelled = await admin.post(`/api/newsletter/issues/${issue.id}/cancel`, {
      version: sending.version,
    });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', progress: { skipped: 5 } });
    expect(await slice(issue.id)).toBe('idle');
    expect(addresses.flatMap((a) => mailsTo(smtp, a))).toEqual([]);
    // Not in the archive; nothing more to stop.
    expect((await t.app.inject({ url: `/site/${org.slug}/newsletter` })).body).not.toContain(issue.subject);
    expect((await admin.post(`/api/newsletter/issues/${issue.id}/cancel`, { version: 3 })).statusCode).toBe(
      409,
    );
  });

  it('will not send a draft without lists or body, or twice', async () => {
    const issue = await draft({ listIds: [], bodyMarkdown: '  ' });
    const res = await admin.post(`/api/newsletter/issues/${issue.id}/send`, { version: 1 });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['bodyMarkdown', 'listIds']);
    const ready = await draft();
    await sendNow(ready);
    const again = await admin.post(`/api/newsletter/issues/${ready.id}/send`, { version: 2 });
    expect(again.statusCode).toBe(409);
  });
});

describe('what the relay answers, or does not', () => {
  it('marks a message unknown when the connection drops after its content was sent, and never resends it', async () => {
    const [dropped, fine] = await readers(2);
    afterData.set(dropped!, 'drop');
    const issue = await draft();
    await sendNow(issue);
    expect(await slice(issue.id)).toBe('finished');
    const rows = new Map((await deliveriesOf(issue.id)).map((d) => [d.email, d]));
    expect(rows.get(fine!)).toMatchObject({ status: 'sent' });
    expect(rows.get(dropped!)).toMatchObject({ status: 'unknown', attempts: 1 });
    expect(rows.get(dropped!)!.lastError).toContain('not sent again');
    // The content did reach the server: it arrived once, and nothing sends it again.
    expect(mailsTo(smtp, dropped!)).toHaveLength(1);
    expect(await slice(issue.id)).toBe('idle');
    expect(mailsTo(smtp, dropped!)).toHaveLength(1);
    expect((await issueRow(issue.id)).progress).toMatchObject({ recipients: 2, sent: 1, unknown: 1 });
  });

  it('stops at a refusal by the relay itself, costs nobody a try, and waits a minute before trying again', async () => {
    const addresses = await readers(6);
    relayRefusal = { code: 554, message: '5.7.1 Relay access denied' };
    const issue = await draft();
    await sendNow(issue);
    expect(await slice(issue.id)).toBe('paused');
    const rows = await deliveriesOf(issue.id);
    expect(rows.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
    const tried = rows.filter((r) => r.lastError);
    expect(tried.length).toBeGreaterThan(0);
    expect(tried.length).toBeLessThanOrEqual(4);
    expect(tried[0]!.lastError).toContain('554 5.7.1 Relay access denied');
    expect(addresses.flatMap((a) => mailsTo(smtp, a))).toEqual([]);
    // Nobody takes the issue during the minute; then the relay is mended and the issue goes out.
    expect(await slice(issue.id)).toBe('busy');
    relayRefusal = undefined;
    await t.database.db
      .update(newsletterIssues)
      .set({ leaseUntil: new Date(Date.now() - 1000) })
      .where(eq(newsletterIssues.id, issue.id));
    expect(await slice(issue.id)).toBe('finished');
    for (const address of addresses) expect(mailsTo(smtp, address)).toHaveLength(1);
  });

  it('keeps its lease while a slow relay takes longer than the lease to answer', {
    timeout: 30_000,
  }, async () => {
    const [slow] = await readers(1);
    afterData.set(slow!, 7_000); // the lease is 5 s in this file
    const issue = await draft();
    await sendNow(issue);
    const first = slice(issue.id);
    await expect.poll(() => mailsTo(smtp, slow!).length, { timeout: 5_000 }).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    // Past the lease's first term, it is still held: nobody else sends the issue meanwhile.
    expect(await slice(issue.id)).toBe('busy');
    expect(await first).toBe('finished');
    expect(mailsTo(smtp, slow!)).toHaveLength(1);
    expect(await deliveriesOf(issue.id)).toMatchObject([{ status: 'sent', attempts: 1 }]);
  });
});

describe('pacing', () => {
  it('hands out send times a rate apart, and none after the deadline', () => {
    const start = Date.now();
    const pace = pacer(60, start + 2_500, new AbortController().signal);
    const times = [pace.take(), pace.take(), pace.take(), pace.take()];
    expect(times[3]).toBeNull();
    const [a, b, c] = times as number[];
    expect(b! - a!).toBe(1_000);
    expect(c! - b!).toBe(1_000);
    expect(a! - start).toBeLessThan(50);
  });
});

describe('images', () => {
  // The smallest valid PNG (1×1, transparent).
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
    'base64',
  );
  const upload = (body: Buffer | string, type: string) =>
    admin.request({
      method: 'POST',
      url: '/api/newsletter/images',
      payload: body,
      headers: { 'content-type': type },
    });

  it('keeps an uploaded image once, serves it publicly, and puts its absolute address in the mail', async () => {
    const res = await upload(png, 'image/png');
    expect(res.statusCode, res.body).toBe(201);
    const image = res.json();
    expect(image).toMatchObject({ contentType: 'image/png', bytes: png.length });
    expect(image.url).toBe(`/site/${org.slug}/newsletter/images/${image.id}`);
    expect((await upload(png, 'image/png')).json().id).toBe(image.id);

    const served = await t.app.inject({ url: image.url });
    expect(served.statusCode).toBe(200);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.headers['cache-control']).toContain('immutable');
    expect(served.rawPayload.equals(png)).toBe(true);
    const again = await t.app.inject({
      url: image.url,
      headers: { 'if-none-match': served.headers.etag as string },
    });
    expect(again.statusCode).toBe(304);
    expect((await t.app.inject({ url: `/site/${org.slug}/newsletter/images/not-an-id` })).statusCode).toBe(
      404,
    );
    expect((await t.app.inject({ url: `/site/other-org/newsletter/images/${image.id}` })).statusCode).toBe(
      404,
    );

    const [reader] = await readers(1);
    const issue = await draft({ bodyMarkdown: `Our new room:\n\n![The family room](${image.url})` });
    const preview = (
      await admin.post(`/api/newsletter/issues/${issue.id}/preview`, {
        subject: issue.subject,
        bodyMarkdown: `![The family room](${image.url})`,
      })
    ).json();
    expect(preview.html).toMatch(new RegExp(`<img src="https?://[^"]+${image.url}" alt="The family room"`));
    await sendNow(issue);
    expect(await slice(issue.id)).toBe('finished');
    const [mail] = mailsTo(smtp, reader!);
    expect(mail!.html).toContain(`<img src="${PUBLIC_URL}${image.url}" alt="The family room"`);
    // The archive shows it from the site itself.
    const page = await t.app.inject({ url: `/site/${org.slug}/newsletter/issues/${issue.id}` });
    expect(page.body).toContain(`<img src="${image.url}" alt="The family room"`);
  });

  it('refuses what is not a raster image of the type it claims', async () => {
    const svg = await upload(
      '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      'image/svg+xml',
    );
    expect(svg.statusCode).toBe(415);
    expect(svg.headers['content-type']).toContain('application/problem+json');
    const lying = await upload(Buffer.from('GIF89a not really a png'), 'image/png');
    expect(lying.statusCode).toBe(422);
    expect(lying.json().errors).toEqual([{ field: 'body', message: expect.stringContaining('matches') }]);
    expect((await upload(Buffer.alloc(0), 'image/png')).statusCode).toBe(422);
    const huge = await upload(Buffer.concat([png, Buffer.alloc(2 * 1024 * 1024)]), 'image/png');
    expect(huge.statusCode).toBe(413);
  });
});

describe('access', () => {
  it('is for admins of the organisation only', async () => {
    const issue = await draft();
    const supervisor = await signIn(t, await buildUser(t, { organization: org, role: 'supervisor' }));
    expect((await supervisor.get('/api/newsletter/issues')).statusCode).toBe(403);
    expect(
      (await supervisor.post(`/api/newsletter/issues/${issue.id}/send`, { version: 1 })).statusCode,
    ).toBe(403);
    const other = await signIn(t, await buildUser(t, { role: 'admin', totpSecret: generateSecret() }));
    expect((await other.get(`/api/newsletter/issues/${issue.id}`)).statusCode).toBe(404);
    expect((await other.post(`/api/newsletter/issues/${issue.id}/send`, { version: 1 })).statusCode).toBe(
      404,
    );
    expect((await other.get('/api/newsletter/issues')).json().items).toEqual([]);
    const base = `/api/newsletter/issues/${issue.id}`;
    const foreign = [
      await other.request({ method: 'PUT', url: base, payload: { ...issue, version: 1 } }),
      await other.delete(base),
      await other.post(`${base}/preview`, { subject: 'x', bodyMarkdown: 'x' }),
      await other.post(`${base}/test`),
      await other.post(`${base}/cancel`, { version: 1 }),
      await other.get(`${base}/deliveries`),
    ];
    expect(foreign.map((r) => r.statusCode)).toEqual([404, 404, 404, 404, 404, 404]);
    expect((await supervisor.get('/api/admin/outbox')).statusCode).toBe(403);
    expect((await t.app.inject({ url: '/api/newsletter/issues' })).statusCode).toBe(401);
    // The draft is as it was.
    expect((await admin.get(base)).json()).toMatchObject({ status: 'draft', version: 1 });
  });

  it('audits who read an issue’s recipients and the outbox, with counts and never an address', async () => {
    const [reader] = await readers(2);
    const issue = await draft();
    await sendNow(issue);
    await slice(issue.id);
    await admin.get(`/api/newsletter/issues/${issue.id}/deliveries?q=${reader}`);
    await admin.get('/api/admin/outbox');
    const rows = await t.database.db.select().from(auditEvents).where(eq(auditEvents.organizationId, org.id));
    const read = rows.find((r) => r.action === 'newsletter.deliveries.list' && r.recordId === issue.id);
    expect(read?.detail).toMatchObject({ search: true, total: 1 });
    expect(rows.some((r) => r.action === 'mail.outbox.list')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(reader);
  });
});

describe('the relay as configured', () => {
  /**
   * An app of its own with `env`, an admin, `readers` active subscribers of its first list and an issue to
   * them, sent now; `slice` runs the worker's next slice on it.
   */
  async function ownApp(env: Record<string, string>, readers: number, subject: string) {
    const local = await startTestApp({ PUBLIC_URL, ...env });
    const user = await buildUser(local, { role: 'admin', totpSecret: generateSecret() });
    const client = await signIn(local, user);
    const [list] = await listsOffered(local.database.db, user.organization.id);
    await seedActiveSubscribers(local, user.organization.id, list!.id, readers, subject.replace(/\W/g, ''));
    const created = (
      await client.post('/api/newsletter/issues', { subject, bodyMarkdown: 'Hello', listIds: [list!.id] })
    ).json();
    await client.post(`/api/newsletter/issues/${created.id}/send`, { version: 1 });
    const localCtx = {
      ...ctx(),
      config: local.config,
      database: local.database,
      mailer: local.app.kith.mailer,
      jobs: local.app.kith.jobs,
    };
    return {
      local,
      client,
      issueId: created.id as string,
      slice: () => sendIssueSlice(localCtx, created.id),
      deliveries: () =>
        local.database.db
          .select()
          .from(newsletterDeliveries)
          .where(eq(newsletterDeliveries.issueId, created.id)),
    };
  }

  it('without SMTP, keeps every message of an issue in the outbox, which admins see', async () => {
    const own = await ownApp({}, 3, 'Kept for later');
    try {
      expect(await own.slice()).toBe('finished');
      expect((await own.deliveries()).map((r) => r.status)).toEqual(['kept', 'kept', 'kept']);
      const kept = await own.local.database.db
        .select()
        .from(mailOutbox)
        .where(eq(mailOutbox.subject, 'Kept for later'));
      expect(kept).toHaveLength(3);
      expect(kept[0]!.htmlBody).toContain('Hello');
      expect(kept[0]!.headers).toMatchObject({ 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
      const outbox = await own.client.get('/api/admin/outbox?status=queued');
      expect(outbox.statusCode).toBe(200);
      expect(outbox.json()).toMatchObject({ total: 3 });
      expect(outbox.json().items[0]).toMatchObject({ subject: 'Kept for later', status: 'queued' });
    } finally {
      await own.local.close();
    }
  });

  it('waits and retries when the relay cannot be reached, without burning through the audience', async () => {
    // A port nobody listens on: the connection is refused.
    const closed = await startSmtp();
    await closed.close();
    const own = await ownApp({ SMTP_URL: closed.url }, 20, 'Nobody home');
    try {
      expect(await own.slice()).toBe('paused');
      const rows = await own.deliveries();
      // Only the messages already in flight when the first refusal came back were tried, and the relay's
      // failure costs none of them a try: all 20 wait, in line.
      const tried = rows.filter((r) => r.lastError !== null);
      expect(tried.length).toBeGreaterThan(0);
      expect(tried.length).toBeLessThanOrEqual(4);
      for (const row of tried) expect(row.lastError).toContain('ECONNREFUSED');
      expect(rows.every((r) => r.status === 'pending' && r.attempts === 0)).toBe(true);
      // The issue waits a minute: no worker takes it before.
      const [row] = await own.local.database.db
        .select()
        .from(newsletterIssues)
        .where(eq(newsletterIssues.id, own.issueId));
      expect(row).toMatchObject({ status: 'sending', senderId: null });
      expect(row!.leaseUntil!.getTime()).toBeGreaterThan(Date.now() + 50_000);
      expect(await own.slice()).toBe('busy');
    } finally {
      await own.local.close();
    }
  });
});
