import { eq, sql } from 'drizzle-orm';
import type { ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { newsletterSubscribers } from './newsletter.tables.ts';

/* Helpers of the newsletter's tests: sign up over HTTP, read the mails a person receives, follow links. */

let ipCounter = 0;
/** A fresh client address, so that a test's sign-ups do not spend another test's per-IP allowance. */
export const freshIp = () => `10.7.${Math.floor(++ipCounter / 250)}.${(ipCounter % 250) + 1}`;

export const uniqueAddress = (label = 'reader') =>
  `${label}-${Math.random().toString(36).slice(2, 10)}@family.example`;

export function signUpByApi(t: TestContext, body: Record<string, unknown>, ip = freshIp()) {
  return t.app.inject({
    method: 'POST',
    url: '/api/newsletter/subscriptions',
    payload: body,
    remoteAddress: ip,
  });
}

/** Posts the public form as a browser does (form-encoded; `lists` repeated). */
export function postForm(
  t: TestContext,
  url: string,
  fields: Record<string, string | string[]>,
  ip = freshIp(),
) {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    for (const v of [value].flat()) body.append(name, v);
  }
  return t.app.inject({
    method: 'POST',
    url,
    payload: body.toString(),
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    remoteAddress: ip,
  });
}

export const mailsTo = (smtp: TestSmtp, address: string): ParsedMail[] =>
  smtp.received.filter(
    (m) => !Array.isArray(m.to) && m.to?.value[0]?.address?.toLowerCase() === address.toLowerCase(),
  );

/** Waits until `count` mails to the address arrived (mail leaves after the answer), and returns them. */
export async function awaitMails(smtp: TestSmtp, address: string, count: number): Promise<ParsedMail[]> {
  await expect.poll(() => mailsTo(smtp, address).length, { timeout: 10_000 }).toBeGreaterThanOrEqual(count);
  return mailsTo(smtp, address);
}

/** A header as sent (unfolded), e.g. List-Unsubscribe; mailparser's `headers` reshapes the List-* ones. */
export function rawHeader(mail: ParsedMail, name: string): string | undefined {
  const line = mail.headerLines.find((h) => h.key === name.toLowerCase())?.line;
  return line
    ?.slice(line.indexOf(':') + 1)
    .replace(/\r?\n[ \t]+/g, ' ')
    .trim();
}

/** The site path (with its token) of the first link of a kind in a mail's text part. */
export function linkPath(mail: ParsedMail, kind: 'confirm' | 'preferences' | 'unsubscribe'): string {
  const match = new RegExp(
    `https?://[^/\\s]+(/site/[^/\\s]+/newsletter/${kind}\\?token=[A-Za-z0-9_.-]+)`,
  ).exec(mail.text ?? '');
  if (!match) throw new Error(`no ${kind} link in “${mail.subject}”`);
  return match[1]!;
}

export const tokenOf = (path: string) => new URL(path, 'http://x').searchParams.get('token')!;

export async function subscriberRow(t: TestContext, organizationId: string, email: string) {
  const [row] = await t.database.db
    .select()
    .from(newsletterSubscribers)
    .where(
      sql`${newsletterSubscribers.organizationId} = ${organizationId} and lower(${newsletterSubscribers.email}) = lower(${email})`,
    );
  return row;
}

export async function subscribedSlugs(t: TestContext, subscriberId: string): Promise<string[]> {
  const rows = await t.database.query<{ slug: string }>(
    `select l.slug from newsletter_subscriptions s join newsletter_lists l on l.id = s.list_id
     where s.subscriber_id = $1 order by l.slug`,
    [subscriberId],
  );
  return rows.map((r) => r.slug);
}

/** Moves a subscriber's dates back, as if it had signed up `days` ago. */
export async function ageSubscriber(t: TestContext, subscriberId: string, days: number) {
  const then = new Date(Date.now() - days * 86_400_000);
  await t.database.db
    .update(newsletterSubscribers)
    .set({ createdAt: then, consentAt: then, confirmationSentAt: then })
    .where(eq(newsletterSubscribers.id, subscriberId));
}

/**
 * `count` active subscribers of one list, written straight to the tables (a campaign's audience of
 * thousands, without thousands of sign-ups): addresses `<prefix>-<n>@readers.example`.
 */
export async function seedActiveSubscribers(
  t: Pick<TestContext, 'database'>,
  organizationId: string,
  listId: string,
  count: number,
  prefix: string,
): Promise<void> {
  await t.database.query(
    `with made as (
       insert into newsletter_subscribers (id, organization_id, email, status, consent_text, consent_at, confirmed_at)
       select gen_random_uuid(), $1, $3 || '-' || n || '@readers.example', 'active', 'seeded for a test', now(), now()
       from generate_series(1, $4::int) n
       returning id)
     insert into newsletter_subscriptions (subscriber_id, list_id) select id, $2 from made`,
    [organizationId, listId, prefix, count],
  );
}

/** The PUBLIC_URL of the newsletter's tests: https, as RFC 8058's one-click unsubscribe needs. */
export const TEST_PUBLIC_URL = 'https://kith.hospital.test';

/** The newsletter tests' app: Kith with a real SMTP server of its own and an https PUBLIC_URL. */
export async function startNewsletterApp(
  env: Record<string, string> = {},
  smtpOptions: Parameters<typeof startSmtp>[0] = {},
): Promise<{ t: TestContext; smtp: TestSmtp; close: () => Promise<void> }> {
  const smtp = await startSmtp(smtpOptions);
  const t = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: TEST_PUBLIC_URL, ...env });
  return {
    t,
    smtp,
    close: async () => {
      await t.close();
      await smtp.close();
    },
  };
}
