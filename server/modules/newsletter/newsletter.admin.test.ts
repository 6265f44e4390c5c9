import { createHash } from 'node:crypto';
import { eq, like } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobContext } from '../../platform/jobs.ts';
import { auditEvents, mailOutbox } from '../../platform/platform.tables.ts';
import { buildUser, type Client, signIn, type TestContext } from '../../test/harness.ts';
import type { TestSmtp } from '../../test/smtp.ts';
import {
  ageSubscriber,
  awaitMails,
  linkPath,
  postForm,
  signUpByApi,
  startNewsletterApp,
  subscribedSlugs,
  subscriberRow,
  tokenOf,
  uniqueAddress,
} from './newsletter.fixtures.ts';
import { newsletterJobs } from './newsletter.jobs.ts';
import { REDACTED_ADDRESS } from './newsletter.privacy.ts';
import { newsletterSuppressions } from './newsletter.tables.ts';
import { mintNewsletterToken, newsletterLinkKey } from './tokens.ts';

/*
 * The department's side: admins look subscribers up, export them, erase one (only a hash stays), and manage
 * the lists; every action is audited without an address. And the daily job forgets unconfirmed sign-ups.
 */

let smtp: TestSmtp;
let t: TestContext;
let admin: Client;
let worker: Client;
let org: Awaited<ReturnType<typeof buildUser>>['organization'];
let adminId: string;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ t, smtp, close: stop } = await startNewsletterApp());
  const user = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  org = user.organization;
  adminId = user.id;
  admin = await signIn(t, user);
  worker = await signIn(t, await buildUser(t, { organization: org, role: 'supervisor' }));
});
afterAll(() => stop());

const sha256 = (s: string) => createHash('sha256').update(s.trim().toLowerCase()).digest('hex');

async function subscriberBy(email: string, lists: string[], confirm: boolean) {
  await signUpByApi(t, { email, lists, page: `/site/${org.slug}/` });
  if (confirm) {
    const [mail] = await awaitMails(smtp, email, 1);
    await postForm(t, `/site/${org.slug}/newsletter/confirm`, { token: tokenOf(linkPath(mail!, 'confirm')) });
  }
  return (await subscriberRow(t, org.id, email))!;
}

/** The audit entries of this admin with an action, newest last. */
const audited = (action: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(eq(auditEvents.action, action))
    .then((rows) => rows.filter((r) => r.actorUserId === adminId));

describe('subscribers, for admins', () => {
  it('lists subscribers by status, list and part of the address, and audits the look-up without it', async () => {
    const active = await subscriberBy(uniqueAddress('Ana.Active'), ['caregivers', 'events'], true);
    const pending = await subscriberBy(uniqueAddress('pat.pending'), ['events'], false);

    const all = await admin.get('/api/newsletter/subscribers?pageSize=200');
    expect(all.statusCode).toBe(200);
    expect(all.json().total).toBeGreaterThanOrEqual(2);
    const shown = all.json().items.find((s: { id: string }) => s.id === active.id);
    expect(shown).toMatchObject({
      email: active.email,
      status: 'active',
      lists: ['caregivers', 'events'],
      pendingLists: [],
      consentPage: `/site/${org.slug}/`,
      unsubscribeSource: null,
    });
    expect(shown.confirmedAt).not.toBeNull();

    const pendingOnly = await admin.get('/api/newsletter/subscribers?status=pending');
    expect(pendingOnly.json().items.map((s: { id: string }) => s.id)).toContain(pending.id);
    expect(pendingOnly.json().items.every((s: { status: string }) => s.status === 'pending')).toBe(true);

    const caregivers = await admin.get('/api/newsletter/subscribers?list=caregivers');
    const ids = caregivers.json().items.map((s: { id: string }) => s.id);
    expect(ids).toContain(active.id);
    expect(ids).not.toContain(pending.id);
    // A pending sign-up shows under the list it asked for.
    const events = await admin.get('/api/newsletter/subscribers?list=events');
    expect(events.json().items.map((s: { id: string }) => s.id)).toContain(pending.id);

    const search = await admin.get(`/api/newsletter/subscribers?q=${encodeURIComponent('ANA.ACT')}`);
    expect(search.json().items.map((s: { id: string }) => s.id)).toEqual([active.id]);

    const [entry] = (await audited('newsletter.subscribers.list')).slice(-1);
    expect(entry!.detail).toEqual({ status: null, list: null, search: true, page: 1, total: 1 });
  });

  it('refuses the admin API to other roles (403) and to anonymous callers (401)', async () => {
    expect((await worker.get('/api/newsletter/subscribers')).statusCode).toBe(403);
    expect((await worker.get('/api/newsletter/subscribers.csv')).statusCode).toBe(403);
    expect((await worker.post('/api/newsletter/lists', { slug: 'x', name: 'X' })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/newsletter/lists' })).statusCode).toBe(401);
  });

  it('exports subscribers as CSV with their consent record, and audits the export with its row count', async () => {
    const email = uniqueAddress('export');
    await subscriberBy(email, ['events'], true);
    const formula = `+cmd-${uniqueAddress('x')}`;
    await subscriberBy(formula, ['caregivers'], false);
    const res = await admin.get('/api/newsletter/subscribers.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="kith-newsletter-subscribers-/);
    const lines = res.body.trimEnd().split('\r\n');
    expect(lines[0]).toBe(
      'email,status,lists,pending_lists,consent_text,consent_at,consent_ip,consent_page,confirmed_at,confirm_ip,unsubscribed_at,unsubscribe_source,created_at',
    );
    const line = lines.find((l) => l.startsWith(`${email},`))!;
    expect(line).toMatch(
      new RegExp(
        `^${email.replace(/\./g, '\\.')},active,events,,Send me the newsletter[^,]+,\\d{4}-.+Z,[\\d.]+,/site/${org.slug}/,\\d{4}-.+Z,[\\d.]+,,,\\d{4}-`,
      ),
    );
    // A value a spreadsheet would run as a formula is quoted.
    expect(lines.some((l) => l.startsWith(`'+cmd-`))).toBe(true);

    const [entry] = (await audited('newsletter.subscribers.export')).slice(-1);
    expect(entry!.detail).toEqual({ status: null, list: null, rows: lines.length - 1 });

    const filtered = await admin.get('/api/newsletter/subscribers.csv?status=pending');
    expect(
      filtered.body
        .trimEnd()
        .split('\r\n')
        .slice(1)
        .every((l) => l.includes(',pending,')),
    ).toBe(true);
  });

  it('erases a subscriber: only the suppression hash stays; a later sign-up must confirm again', async () => {
    const email = uniqueAddress('erase.me');
    const row = await subscriberBy(email, ['caregivers'], true);
    await awaitMails(smtp, email, 1);
    await expect
      .poll(
        async () =>
          (await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, email))).length,
      )
      .toBe(1);

    const res = await admin.delete(`/api/newsletter/subscribers/${row.id}`);
    expect(res.statusCode).toBe(204);
    expect(await subscriberRow(t, org.id, email)).toBeUndefined();
    expect(await subscribedSlugs(t, row.id)).toEqual([]);
    const suppressions = await t.database.db
      .select()
      .from(newsletterSuppressions)
      .where(eq(newsletterSuppressions.emailHash, sha256(email)));
    expect(suppressions).toEqual([expect.objectContaining({ organizationId: org.id, reason: 'erased' })]);
    // No copy of the address is left behind: the confirmation mail in the outbox is blanked too.
    const local = email.split('@')[0]!;
    expect(
      await t.database.db
        .select()
        .from(mailOutbox)
        .where(like(mailOutbox.toAddress, `%${local}%`)),
    ).toEqual([]);
    const dump = JSON.stringify(await t.database.query('select * from newsletter_subscribers'));
    expect(dump).not.toContain(local);
    const [entry] = (await audited('newsletter.subscriber.erase')).slice(-1);
    expect(entry).toMatchObject({ recordKind: 'newsletter_subscriber', recordId: row.id, detail: null });

    expect((await admin.delete(`/api/newsletter/subscribers/${row.id}`)).statusCode).toBe(404);
    // An unsubscribe link mailed before the erasure still answers plainly, and changes nothing.
    const token = mintNewsletterToken(newsletterLinkKey(t.config.sessionSecret), {
      purpose: 'unsubscribe',
      subscriberId: row.id,
      tokenVersion: row.tokenVersion,
    });
    const oneClick = await t.app.inject({
      method: 'POST',
      url: `/site/${org.slug}/newsletter/unsubscribe?token=${token}`,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('You are unsubscribed');

    // The same address signs up again: pending, confirmed by its new mail, and the suppression goes.
    await signUpByApi(t, { email, lists: ['events'] });
    const mails = await awaitMails(smtp, email, 2);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');
    await postForm(t, `/site/${org.slug}/newsletter/confirm`, {
      token: tokenOf(linkPath(mails[1]!, 'confirm')),
    });
    const back = (await subscriberRow(t, org.id, email))!;
    expect(back.status).toBe('active');
    expect(back.id).not.toBe(row.id);
    expect(
      await t.database.db
        .select()
        .from(newsletterSuppressions)
        .where(eq(newsletterSuppressions.emailHash, sha256(email))),
    ).toEqual([]);
  });
});

describe('lists, for admins', () => {
  it('creates, renames and retires lists (audited); a retired list is no longer offered', async () => {
    const before = await admin.get('/api/newsletter/lists');
    expect(before.statusCode).toBe(200);
    expect(before.json().map((l: { slug: string }) => l.slug)).toEqual(
      expect.arrayContaining(['caregivers', 'community-partners', 'events']),
    );
    // Counts active subscribers only (the earlier tests confirmed some on caregivers).
    const caregivers = before.json().find((l: { slug: string }) => l.slug === 'caregivers');
    const active = await t.database.query<{ n: number }>(
      `select count(*)::int as n from newsletter_subscriptions s join newsletter_subscribers b on b.id = s.subscriber_id
       where s.list_id = $1 and b.status = 'active'`,
      [caregivers.id],
    );
    expect(caregivers.subscribers).toBe(active[0]!.n);
    expect(caregivers.subscribers).toBeGreaterThan(0);

    const created = await admin.post('/api/newsletter/lists', {
      slug: 'volunteers',
      name: 'Volunteers',
      description: 'Helping at the hospital.',
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({
      slug: 'volunteers',
      name: 'Volunteers',
      retiredAt: null,
      subscribers: 0,
    });
    const again = await admin.post('/api/newsletter/lists', { slug: 'volunteers', name: 'Twice' });
    expect(again.statusCode).toBe(409);

    const id = created.json().id;
    const renamed = await admin.patch(`/api/newsletter/lists/${id}`, { name: 'Volunteer news' });
    expect(renamed.json()).toMatchObject({ name: 'Volunteer news', slug: 'volunteers' });
    expect((await signUpByApi(t, { email: uniqueAddress(), lists: ['volunteers'] })).statusCode).toBe(202);

    const retired = await admin.patch(`/api/newsletter/lists/${id}`, { retired: true });
    expect(retired.json().retiredAt).not.toBeNull();
    const refused = await signUpByApi(t, { email: uniqueAddress(), lists: ['volunteers'] });
    expect(refused.statusCode).toBe(422);

    expect((await admin.patch(`/api/newsletter/lists/${id}`, {})).statusCode).toBe(422);
    const actions = (await audited('newsletter.list.update')).map((e) => e.detail);
    expect(actions).toEqual([{ fields: ['name'] }, { fields: ['retired'], retired: true }]);
    expect(await audited('newsletter.list.create')).toHaveLength(1);
  });
});

describe('forgetting unconfirmed sign-ups', () => {
  it('deletes pending addresses after 7 days when the daily job runs, and blanks their outbox copies', async () => {
    const old = await subscriberBy(uniqueAddress('old.pending'), ['events'], false);
    const recent = await subscriberBy(uniqueAddress('recent.pending'), ['events'], false);
    const confirmedLongAgo = await subscriberBy(uniqueAddress('old.active'), ['events'], true);
    await awaitMails(smtp, old.email, 1);
    await ageSubscriber(t, old.id, 8);
    await ageSubscriber(t, recent.id, 6);
    await ageSubscriber(t, confirmedLongAgo.id, 30);

    const job = newsletterJobs.find((j) => j.name === 'newsletter.forget-pending')!;
    expect(job.cron).toBe('41 3 * * *');
    const context = {
      config: t.config,
      database: t.database,
      mailer: t.app.kith.mailer,
      logger: pino({ level: 'silent' }),
      signal: new AbortController().signal,
      jobs: t.app.kith.jobs,
    } satisfies JobContext;
    await job.handler([], context as never);

    expect(await subscriberRow(t, org.id, old.email)).toBeUndefined();
    expect(await subscriberRow(t, org.id, recent.email)).toMatchObject({ status: 'pending' });
    expect(await subscriberRow(t, org.id, confirmedLongAgo.email)).toMatchObject({ status: 'active' });
    const outbox = await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, old.email));
    expect(outbox).toEqual([]);
    expect(
      (await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, REDACTED_ADDRESS)))
        .length,
    ).toBeGreaterThan(0);
  });
});
