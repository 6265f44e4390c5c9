import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildOrganization, type TestContext } from '../../test/harness.ts';
import type { TestSmtp } from '../../test/smtp.ts';
import {
  ageSubscriber,
  awaitMails,
  freshIp,
  linkPath,
  mailsTo,
  postForm,
  signUpByApi,
  startNewsletterApp,
  subscriberRow,
  tokenOf,
  uniqueAddress,
} from './newsletter.fixtures.ts';
import { forgetPendingSubscribers } from './newsletter.privacy.ts';
import { subscribe, unsubscribe } from './subscriptions.service.ts';
import { mintNewsletterToken, newsletterLinkKey } from './tokens.ts';

/*
 * What the public can try: learn whether an address is subscribed, flood an address or the server with
 * sign-ups, post as a bot, and bend the mailed links. Each gets the same answer as anyone, or a clear page,
 * and changes nothing it should not.
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
/** Sign-ups name the organisation: a test below adds a second one. */
const signUp = (body: Record<string, unknown>, ip?: string) =>
  signUpByApi(t, { organization: org.slug, ...body }, ip);
const settle = () => new Promise((r) => setTimeout(r, 300));

/** What a caller can observe of an answer: status, body and the headers that could differ. */
const observed = (res: Awaited<ReturnType<typeof signUpByApi>>) => ({
  status: res.statusCode,
  body: res.body,
  type: res.headers['content-type'],
  cookie: res.headers['set-cookie'],
  cache: res.headers['cache-control'],
});

describe('the same answer whatever the address', () => {
  it('answers new, pending, active and unsubscribed addresses alike (202, same body and headers)', async () => {
    const [fresh, pending, active, unsubscribed] = ['new', 'pending', 'active', 'gone'].map((l) =>
      uniqueAddress(l),
    ) as [string, string, string, string];
    await signUp({ email: pending, lists: ['caregivers'] });
    for (const email of [active, unsubscribed]) {
      await signUp({ email, lists: ['caregivers'] });
      const [mail] = await awaitMails(smtp, email, 1);
      await postForm(t, `${base()}/confirm`, { token: tokenOf(linkPath(mail!, 'confirm')) });
    }
    const row = (await subscriberRow(t, org.id, unsubscribed))!;
    await unsubscribe(t.database.db, org.id, row.id, 'link');

    const answers = [];
    for (const email of [fresh, pending, active, unsubscribed]) {
      answers.push(observed(await signUp({ email: email.toUpperCase(), lists: ['caregivers'] })));
    }
    expect(answers[0]).toEqual({
      status: 202,
      body: '{"status":"accepted"}',
      type: 'application/json; charset=utf-8',
      cookie: undefined,
      cache: 'no-store',
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    // Compared lower-cased: the upper-case sign-ups found the existing rows instead of making new ones.
    const count = await t.database.query<{ n: number }>(
      'select count(*)::int as n from newsletter_subscribers where organization_id = $1 and lower(email) = any($2)',
      [org.id, [fresh, pending, active, unsubscribed].map((e) => e.toLowerCase())],
    );
    expect(count[0]!.n).toBe(4);
  });

  it('reports a malformed address, an unknown list and a missing organisation as 422 with the field', async () => {
    const bad = await signUp({ email: 'not an address', lists: ['caregivers'] });
    expect(bad.statusCode).toBe(422);
    expect(bad.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(bad.json().errors).toEqual([{ field: 'email', message: 'must be a valid email address' }]);

    const long = await signUp({ email: `${'a'.repeat(250)}@x.org`, lists: ['caregivers'] });
    expect(long.statusCode).toBe(422);
    expect(long.json().errors[0]).toMatchObject({
      field: 'email',
      message: 'must be at most 254 characters',
    });

    const noList = await signUp({ email: uniqueAddress(), lists: [] });
    expect(noList.json().errors).toEqual([{ field: 'lists', message: 'choose at least one list' }]);

    const unknown = await signUp({ email: uniqueAddress(), lists: ['lottery'] });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().errors).toEqual([{ field: 'lists', message: 'no list is called "lottery"' }]);

    // A second organisation: the sign-up must now say which.
    const other = await buildOrganization(t);
    const ambiguous = await signUp({
      email: uniqueAddress(),
      lists: ['caregivers'],
      organization: undefined,
    });
    expect(ambiguous.statusCode).toBe(422);
    expect(ambiguous.json().errors[0].field).toBe('organization');
    const named = await signUp({ email: uniqueAddress(), lists: ['events'], organization: other.slug });
    expect(named.statusCode).toBe(202);
    const elsewhere = await signUp({ email: uniqueAddress(), lists: ['events'], organization: 'nowhere' });
    expect(elsewhere.json().errors[0]).toMatchObject({ field: 'organization' });
  });

  it('shows the form again with the problem and what was typed when the public form is wrong', async () => {
    const res = await postForm(t, `${base()}/subscribe`, {
      email: 'maria@',
      lists: ['caregivers', 'events'],
      page: `/site/${org.slug}/`,
    });
    expect(res.statusCode).toBe(422);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('Email address: must be a valid email address');
    expect(res.body).toContain('value="maria@" aria-invalid="true"');
    expect(res.body).toMatch(/value="events" id="retry-list-\d" checked/);
    const none = await postForm(t, `${base()}/subscribe`, { email: uniqueAddress() });
    expect(none.statusCode).toBe(422);
    expect(none.body).toContain('Lists: choose at least one list');
  });
});

describe('bots and floods', () => {
  it('answers a filled honeypot as usual and does nothing (API and form)', async () => {
    const email = uniqueAddress('bot');
    const api = await signUp({ email, lists: ['caregivers'], website: 'http://spam.example' });
    expect(api.statusCode).toBe(202);
    expect(api.json()).toEqual({ status: 'accepted' });
    const form = await postForm(t, `${base()}/subscribe`, { email, lists: 'caregivers', website: 'spam' });
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Check your email');
    await settle();
    expect(await subscriberRow(t, org.id, email)).toBeUndefined();
    expect(mailsTo(smtp, email)).toHaveLength(0);
  });

  it('mails one address at most 3 times in 24 hours, then silently nothing, and again a day later', async () => {
    const email = uniqueAddress('flooded');
    for (let i = 0; i < 6; i++) {
      const res = await signUp({ email, lists: ['caregivers'] });
      expect(res.statusCode).toBe(202);
    }
    await awaitMails(smtp, email, 3);
    await settle();
    expect(mailsTo(smtp, email)).toHaveLength(3);
    const row = (await subscriberRow(t, org.id, email))!;
    expect(row.confirmationsSent).toBe(3);

    // A day after the last mail, one more may go.
    const organization = { id: org.id, slug: org.slug, name: org.name };
    const input = { email, lists: ['caregivers'], consent: { ip: null, page: null } };
    const tomorrow = new Date(row.confirmationSentAt!.getTime() + 86_400_000 + 1000);
    const soon = new Date(row.confirmationSentAt!.getTime() + 3_600_000);
    expect((await subscribe(t.database.db, t.config, organization, input, soon)).outcome).toBe(
      'rate-limited',
    );
    const next = await subscribe(t.database.db, t.config, organization, input, tomorrow);
    expect(next.outcome).toBe('pending');
    expect(next.mail).not.toBeNull();
  });

  it('refuses an 11th sign-up from one IP within a minute (429: problem+json on the API, a page on the form)', async () => {
    const ip = freshIp();
    for (let i = 0; i < 10; i++) {
      expect((await signUp({ email: uniqueAddress('ip'), lists: ['events'] }, ip)).statusCode).toBe(202);
    }
    const api = await signUp({ email: uniqueAddress('ip'), lists: ['events'] }, ip);
    expect(api.statusCode).toBe(429);
    expect(api.headers['content-type']).toBe('application/problem+json; charset=utf-8');
    expect(api.headers['retry-after']).toBeDefined();
    // Another address is not held back.
    expect((await signUp({ email: uniqueAddress('ip'), lists: ['events'] })).statusCode).toBe(202);

    const formIp = freshIp();
    for (let i = 0; i < 10; i++) {
      const res = await postForm(
        t,
        `${base()}/subscribe`,
        { email: uniqueAddress('f'), lists: 'events' },
        formIp,
      );
      expect(res.statusCode).toBe(200);
    }
    const form = await postForm(
      t,
      `${base()}/subscribe`,
      { email: uniqueAddress('f'), lists: 'events' },
      formIp,
    );
    expect(form.statusCode).toBe(429);
    expect(form.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(form.body).toContain('<h1>Too many requests</h1>');
  });
});

describe('links that do not work', () => {
  async function pendingWithMail() {
    const email = uniqueAddress('links');
    await signUp({ email, lists: ['caregivers'] });
    const [mail] = await awaitMails(smtp, email, 1);
    return { email, path: linkPath(mail!, 'confirm') };
  }

  it('shows a 403 page for an altered token and changes nothing', async () => {
    const { email, path } = await pendingWithMail();
    const token = tokenOf(path);
    const altered = `${token.slice(0, 10)}${token[10] === 'x' ? 'y' : 'x'}${token.slice(11)}`;
    const get = await t.app.inject({ method: 'GET', url: `${base()}/confirm?token=${altered}` });
    expect(get.statusCode).toBe(403);
    expect(get.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(get.body).toContain('<h1>This link is not valid</h1>');
    const post = await postForm(t, `${base()}/confirm`, { token: altered });
    expect(post.statusCode).toBe(403);
    const missing = await postForm(t, `${base()}/unsubscribe`, {});
    expect(missing.statusCode).toBe(403);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');

    // A confirmation token is not an unsubscribe token.
    const wrongPurpose = await t.app.inject({ method: 'POST', url: `${base()}/unsubscribe?token=${token}` });
    expect(wrongPurpose.statusCode).toBe(403);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');
  });

  it('shows a 410 page for an expired link and for a confirmation link replaced by a newer mail', async () => {
    const { email, path } = await pendingWithMail();
    const row = (await subscriberRow(t, org.id, email))!;
    const key = newsletterLinkKey(t.config.sessionSecret);
    const expired = mintNewsletterToken(key, {
      purpose: 'confirm',
      subscriberId: row.id,
      tokenVersion: row.tokenVersion,
      expiresAt: new Date(Date.now() - 1000),
    });
    const res = await postForm(t, `${base()}/confirm`, { token: expired });
    expect(res.statusCode).toBe(410);
    expect(res.body).toContain('<h1>This link has expired</h1>');
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');

    // A second sign-up mails a new link; the first one stops working, the new one confirms.
    await signUp({ email, lists: ['caregivers'] });
    const mails = await awaitMails(smtp, email, 2);
    const old = await postForm(t, `${base()}/confirm`, { token: tokenOf(path) });
    expect(old.statusCode).toBe(410);
    expect(old.body).toContain('This link no longer works');
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');
    const fresh = await postForm(t, `${base()}/confirm`, { token: tokenOf(linkPath(mails[1]!, 'confirm')) });
    expect(fresh.statusCode).toBe(200);
    expect((await subscriberRow(t, org.id, email))!.status).toBe('active');
  });

  it('does not open another organisation’s subscriber, and says so for an unknown site', async () => {
    const { email, path } = await pendingWithMail();
    const other = await buildOrganization(t);
    const res = await t.app.inject({ method: 'GET', url: path.replace(org.slug, other.slug) });
    expect(res.statusCode).toBe(410);
    const nowhere = await t.app.inject({ method: 'GET', url: path.replace(org.slug, 'no-such-org') });
    expect(nowhere.statusCode).toBe(404);
    expect(nowhere.headers['content-type']).toBe('text/html; charset=utf-8');
    expect((await subscriberRow(t, org.id, email))!.status).toBe('pending');
  });

  it('answers a forgotten address’s confirmation link with 410', async () => {
    const { email, path } = await pendingWithMail();
    const row = (await subscriberRow(t, org.id, email))!;
    await ageSubscriber(t, row.id, 8);
    await forgetPendingSubscribers(t.database.db);
    expect((await t.app.inject({ method: 'GET', url: path })).statusCode).toBe(410);
  });
});
