import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEWSLETTER_CONSENT_TEXT } from '../../../domain/newsletter.ts';
import { buildOrganization, type TestContext } from '../../test/harness.ts';
import type { TestSmtp } from '../../test/smtp.ts';
import {
  awaitMails,
  freshIp,
  linkPath,
  mailsTo,
  postForm,
  rawHeader,
  signUpByApi,
  startNewsletterApp,
  subscribedSlugs,
  subscriberRow,
  tokenOf,
  uniqueAddress,
} from './newsletter.fixtures.ts';
import { buildNewsletterEmail } from './newsletter.mail.ts';
import { newsletterSuppressions } from './newsletter.tables.ts';
import { mayReceiveNewsletter } from './subscriptions.service.ts';

/*
 * Double opt-in over a real SMTP server, as a reader lives it: sign up, receive the confirmation mail, open
 * its link (nothing happens until the button), confirm, receive the newsletter with its unsubscribe headers
 * and footer, and leave by the link's page or by the mail client's one-click. An unsubscribed address comes
 * back only through a new confirmation.
 */

let smtp: TestSmtp;
let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let stop: () => Promise<void>;
beforeAll(async () => {
  ({ t, smtp, close: stop } = await startNewsletterApp());
  org = await buildOrganization(t, { name: 'Riverside Social Work' });
});
afterAll(() => stop());

const base = () => `/site/${org.slug}/newsletter`;
const sha256 = (s: string) => createHash('sha256').update(s.trim().toLowerCase()).digest('hex');
const organization = () => ({ id: org.id, slug: org.slug, name: org.name });

/** Signs an address up and confirms it through its mail; returns its row. */
async function confirmedSubscriber(email: string, lists = ['caregivers']) {
  const before = mailsTo(smtp, email).length;
  expect((await signUpByApi(t, { email, lists })).statusCode).toBe(202);
  const mail = (await awaitMails(smtp, email, before + 1)).at(-1)!;
  const confirm = await postForm(t, `${base()}/confirm`, { token: tokenOf(linkPath(mail, 'confirm')) });
  expect(confirm.statusCode).toBe(200);
  return (await subscriberRow(t, org.id, email))!;
}

/** Sends one issue to a subscriber through the app's mailer, as campaigns will, and returns it received. */
async function sendIssue(email: string, subject: string, html: string) {
  const row = (await subscriberRow(t, org.id, email))!;
  const before = mailsTo(smtp, email).length;
  await t.app.kith.mailer.send(buildNewsletterEmail(t.config, organization(), row, subject, html));
  return (await awaitMails(smtp, email, before + 1)).at(-1)!;
}

describe('double opt-in', () => {
  it('keeps a sign-up pending with its consent record and mails a link whose page confirms only by its button', async () => {
    const email = uniqueAddress('Maria.Lopez');
    const ip = freshIp();
    const res = await signUpByApi(
      t,
      { email, lists: ['caregivers', 'events'], page: `/site/${org.slug}/contact` },
      ip,
    );
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ status: 'accepted' });

    // Pending, with the consent word for word, when, from where and on which page; nothing subscribed yet.
    const pending = (await subscriberRow(t, org.id, email))!;
    expect(pending).toMatchObject({
      email,
      status: 'pending',
      consentText: NEWSLETTER_CONSENT_TEXT,
      consentIp: ip,
      consentPage: `/site/${org.slug}/contact`,
      pendingLists: ['caregivers', 'events'],
      confirmedAt: null,
    });
    expect(Date.now() - pending.consentAt.getTime()).toBeLessThan(60_000);
    expect(await subscribedSlugs(t, pending.id)).toEqual([]);

    // The confirmation mail: both parts carry the link; no List-Unsubscribe (nothing to unsubscribe from).
    const [mail] = await awaitMails(smtp, email, 1);
    expect(mail!.subject).toBe('Confirm your subscription to the Riverside Social Work newsletter');
    expect(mail!.text).toContain('Caregivers, Events');
    const path = linkPath(mail!, 'confirm');
    expect(mail!.text).toContain(`https://kith.hospital.test${path}`);
    expect(mail!.html).toContain(`https://kith.hospital.test${path.replace('&', '&amp;')}`);
    expect(rawHeader(mail!, 'List-Unsubscribe')).toBeUndefined();
    expect(rawHeader(mail!, 'List-Unsubscribe-Post')).toBeUndefined();

    // A scanner (or the person) opens the link: a page with a button, and nothing changes.
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('<button type="submit">Confirm my subscription</button>');
    expect(page.body).toContain('<li>Caregivers</li><li>Events</li>');
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');

    // The button confirms: active on the chosen lists, with the confirmation's time and IP.
    const confirmIp = freshIp();
    const confirmed = await postForm(t, `${base()}/confirm`, { token: tokenOf(path) }, confirmIp);
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    const active = (await subscriberRow(t, org.id, email))!;
    expect(active).toMatchObject({ status: 'active', confirmIp, pendingLists: [] });
    expect(active.confirmedAt).not.toBeNull();
    expect(await subscribedSlugs(t, active.id)).toEqual(['caregivers', 'events']);

    // Pressing it again changes nothing.
    const again = await postForm(t, `${base()}/confirm`, { token: tokenOf(path) });
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('already confirmed');
    expect((await subscriberRow(t, org.id, email))!.confirmedAt).toEqual(active.confirmedAt);
  });

  it('signs up through the public form: the "check your email" page, then the same mail', async () => {
    const email = uniqueAddress('form');
    const res = await postForm(t, `${base()}/subscribe`, {
      email,
      lists: 'events',
      website: '',
      page: `/site/${org.slug}/`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Check your email</h1>');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(await subscriberRow(t, org.id, email)).toMatchObject({
      status: 'pending',
      pendingLists: ['events'],
      consentPage: `/site/${org.slug}/`,
    });
    const [mail] = await awaitMails(smtp, email, 1);
    expect(linkPath(mail!, 'confirm')).toContain(`/site/${org.slug}/newsletter/confirm?token=`);
  });

  it('mails an active subscriber who signs up again a link to its preferences, and adds no list without it', async () => {
    const email = uniqueAddress('again');
    const row = await confirmedSubscriber(email, ['caregivers']);
    expect((await signUpByApi(t, { email, lists: ['events'] })).statusCode).toBe(202);
    const mails = await awaitMails(smtp, email, 2);
    const notice = mails.at(-1)!;
    expect(notice.subject).toBe('Your subscription to the Riverside Social Work newsletter');
    expect(notice.text).toContain('It is subscribed already, to: Caregivers');
    expect(notice.text).toContain('To add Events, open your preferences');
    expect(await subscribedSlugs(t, row.id)).toEqual(['caregivers']);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('active');

    // The preferences page has Events ticked, ready to save; saving adds it.
    const path = linkPath(notice, 'preferences');
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/value="events" id="pref-list-\d" checked/);
    expect(await subscribedSlugs(t, row.id)).toEqual(['caregivers']);
    const saved = await postForm(t, path, { lists: ['caregivers', 'events'], action: 'save' });
    expect(saved.statusCode).toBe(200);
    expect(saved.body).toContain('Your lists are saved.');
    expect(await subscribedSlugs(t, row.id)).toEqual(['caregivers', 'events']);
  });
});

describe('the newsletter mail and leaving', () => {
  it('carries List-Unsubscribe (https) with one-click, both parts, a footer, and sanitised HTML', async () => {
    const email = uniqueAddress('issue');
    await confirmedSubscriber(email);
    const mail = await sendIssue(
      email,
      'Spring caregiver workshops',
      '<h1>Workshops</h1><p>Join us <a href="https://example.org/w">here</a>.</p><script>alert(1)</script><img src="javascript:x" onerror="x()">',
    );
    const header = rawHeader(mail, 'List-Unsubscribe');
    expect(header).toMatch(
      new RegExp(
        `^<https://kith\\.hospital\\.test/site/${org.slug}/newsletter/unsubscribe\\?token=[A-Za-z0-9_.-]+>$`,
      ),
    );
    expect(rawHeader(mail, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    expect(mail.headers.get('list')).toMatchObject({ unsubscribe: { url: header!.slice(1, -1) } });
    expect(mail.text).toContain('WORKSHOPS');
    expect(mail.text).toContain('Join us here [https://example.org/w]');
    expect(mail.text).toContain(`https://kith.hospital.test${linkPath(mail, 'unsubscribe')}`);
    expect(mail.text).toContain(`https://kith.hospital.test${linkPath(mail, 'preferences')}`);
    expect(mail.html).toContain('<h1>Workshops</h1>');
    expect(mail.html).toContain('Unsubscribe</a>');
    expect(mail.html).not.toMatch(/script|onerror|javascript:/);
  });

  it('unsubscribes by the link: the page changes nothing, its button unsubscribes at once', async () => {
    const email = uniqueAddress('leaver');
    const row = await confirmedSubscriber(email);
    const mail = await sendIssue(email, 'News', '<p>News</p>');
    const path = linkPath(mail, 'unsubscribe');

    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<button type="submit">Unsubscribe</button>');
    expect((await subscriberRow(t, org.id, email))!.status).toBe('active');

    const done = await postForm(t, path, {});
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('You are unsubscribed');
    const left = (await subscriberRow(t, org.id, email))!;
    expect(left).toMatchObject({ status: 'unsubscribed', unsubscribeSource: 'link' });
    expect(left.tokenVersion).toBe(row.tokenVersion + 1);
    expect(await subscribedSlugs(t, row.id)).toEqual([]);
    const [suppression] = await t.database.db
      .select()
      .from(newsletterSuppressions)
      .where(
        and(
          eq(newsletterSuppressions.organizationId, org.id),
          eq(newsletterSuppressions.emailHash, sha256(email)),
        ),
      );
    expect(suppression).toMatchObject({ reason: 'unsubscribed' });
    expect(await mayReceiveNewsletter(t.database.db, left)).toBe(false);

    // The preferences link of the same mail no longer opens anything.
    const prefs = await t.app.inject({ method: 'GET', url: linkPath(mail, 'preferences') });
    expect(prefs.statusCode).toBe(410);
    expect(prefs.headers['content-type']).toBe('text/html; charset=utf-8');
  });

  it('unsubscribes by the mail client’s one-click POST (form-encoded or multipart) and answers 200', async () => {
    const email = uniqueAddress('oneclick');
    await confirmedSubscriber(email);
    const mail = await sendIssue(email, 'News', '<p>News</p>');
    const target = rawHeader(mail, 'List-Unsubscribe')!
      .slice(1, -1)
      .replace('https://kith.hospital.test', '');
    const res = await t.app.inject({
      method: 'POST',
      url: target,
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(await subscriberRow(t, org.id, email)).toMatchObject({
      status: 'unsubscribed',
      unsubscribeSource: 'one-click',
    });

    const other = uniqueAddress('multipart');
    await confirmedSubscriber(other);
    const otherMail = await sendIssue(other, 'News', '<p>News</p>');
    const boundary = '----kith-test-boundary';
    const multipart = await t.app.inject({
      method: 'POST',
      url: linkPath(otherMail, 'unsubscribe'),
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(multipart.statusCode).toBe(200);
    expect(await subscriberRow(t, org.id, other)).toMatchObject({
      status: 'unsubscribed',
      unsubscribeSource: 'one-click',
    });
  });

  it('sends an unsubscribed address that signs up again only a confirmation; it stays unsubscribed until it confirms', async () => {
    const email = uniqueAddress('returner');
    await confirmedSubscriber(email, ['caregivers']);
    const oldIssue = await sendIssue(email, 'Old news', '<p>Old</p>');
    await postForm(t, linkPath(oldIssue, 'unsubscribe'), {});
    const countAfterLeaving = mailsTo(smtp, email).length;

    expect((await signUpByApi(t, { email, lists: ['events'] })).statusCode).toBe(202);
    const mails = await awaitMails(smtp, email, countAfterLeaving + 1);
    const confirmation = mails.at(-1)!;
    expect(confirmation.subject).toMatch(/^Confirm your subscription/);
    expect(rawHeader(confirmation, 'List-Unsubscribe')).toBeUndefined();
    const waiting = (await subscriberRow(t, org.id, email))!;
    expect(waiting).toMatchObject({ status: 'unsubscribed', pendingLists: ['events'] });
    expect(await mayReceiveNewsletter(t.database.db, waiting)).toBe(false);
    expect(await subscribedSlugs(t, waiting.id)).toEqual([]);
    // Nothing else went out meanwhile.
    await new Promise((r) => setTimeout(r, 300));
    expect(mailsTo(smtp, email)).toHaveLength(countAfterLeaving + 1);

    // Confirming brings it back on the new lists and lifts the suppression.
    await postForm(t, `${base()}/confirm`, { token: tokenOf(linkPath(confirmation, 'confirm')) });
    const back = (await subscriberRow(t, org.id, email))!;
    expect(back).toMatchObject({ status: 'active', unsubscribedAt: null });
    expect(await subscribedSlugs(t, back.id)).toEqual(['events']);
    expect(await mayReceiveNewsletter(t.database.db, back)).toBe(true);

    // The old email's one-click still unsubscribes (what the reader clicks must do what it says)...
    const oneClick = await t.app.inject({
      method: 'POST',
      url: linkPath(oldIssue, 'unsubscribe'),
      payload: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(oneClick.statusCode).toBe(200);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('unsubscribed');
    // ...but its preferences link, from before, opens nothing.
    expect((await t.app.inject({ method: 'GET', url: linkPath(oldIssue, 'preferences') })).statusCode).toBe(
      410,
    );
  });

  it('unsubscribes from the preferences page when every list is unticked, or by its second button', async () => {
    const email = uniqueAddress('untick');
    await confirmedSubscriber(email, ['caregivers', 'events']);
    const mail = await sendIssue(email, 'News', '<p>News</p>');
    const res = await postForm(t, linkPath(mail, 'preferences'), { action: 'save' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('You are unsubscribed');
    expect(await subscriberRow(t, org.id, email)).toMatchObject({
      status: 'unsubscribed',
      unsubscribeSource: 'preferences',
    });

    const other = uniqueAddress('button');
    await confirmedSubscriber(other);
    const otherMail = await sendIssue(other, 'News', '<p>News</p>');
    await postForm(t, linkPath(otherMail, 'preferences'), { lists: 'caregivers', action: 'unsubscribe' });
    expect((await subscriberRow(t, org.id, other))!.status).toBe('unsubscribed');
  });
});
