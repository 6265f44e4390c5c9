import { expect, test } from '@playwright/test';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { linkIn, mailTo } from '../support/mail.ts';

const ORG = 'e2e-hospital';

/** The path of a mailed link (the server's PUBLIC_URL is the suite's base URL). */
const pathOf = (url: string) => {
  const u = new URL(url);
  return u.pathname + u.search;
};

test('a reader signs up, confirms from the email, changes lists and unsubscribes, by plain forms', async ({
  page,
}) => {
  // The pages carry no script (axe needs the browser's own; the pages work the same without it).
  const noScript = async () => expect(await page.locator('script').count()).toBe(0);
  const email = `reader-${Date.now().toString(36)}@family.example`;

  const signedUp = await page.request.post('/api/newsletter/subscriptions', {
    data: { email, lists: ['caregivers'], organization: ORG },
  });
  expect(signedUp.status()).toBe(202);

  // The confirmation mail: its link opens a page that asks before it confirms anything.
  const [confirmation] = await mailTo(email);
  expect(confirmation!.subject).toContain('Confirm your subscription');
  await page.goto(pathOf(linkIn(confirmation!, /\/newsletter\/confirm\?token=/)));
  await expect(page.getByRole('heading', { level: 1, name: 'Confirm your subscription' })).toBeVisible();
  await expect(page.getByRole('listitem').filter({ hasText: 'Caregivers' }).first()).toBeVisible();
  await noScript();
  await expectNoSeriousViolations(page, 'newsletter confirm');
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You are subscribed' })).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter confirmed');

  // Preferences: add Events.
  await page.getByRole('link', { name: 'choose your lists now' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Your newsletter preferences' })).toBeVisible();
  await noScript();
  await expectNoSeriousViolations(page, 'newsletter preferences');
  await page.getByRole('checkbox', { name: 'Events' }).check();
  await page.getByRole('button', { name: 'Save my lists' }).click();
  await expect(page.getByRole('status')).toHaveText('Your lists are saved.');
  await expect(page.getByRole('checkbox', { name: 'Events' })).toBeChecked();

  // Signing up again sends a notice with the footer's unsubscribe link; its page unsubscribes by its button.
  await page.request.post('/api/newsletter/subscriptions', {
    data: { email, lists: ['caregivers'], organization: ORG },
  });
  const notice = (await mailTo(email, 2))[1]!;
  expect(notice.subject).toContain('Your subscription');
  await page.goto(pathOf(linkIn(notice, /\/newsletter\/unsubscribe\?token=/)));
  await expect(
    page.getByRole('heading', { level: 1, name: 'Unsubscribe from our newsletter' }),
  ).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter unsubscribe');
  await page.getByRole('button', { name: 'Unsubscribe' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You are unsubscribed' })).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter unsubscribed');

  // The page offers the sign-up form again: an address the browser accepts but the server does not comes
  // back with the problem explained and what was typed kept; corrected, it asks for a new confirmation.
  await page.getByRole('textbox', { name: 'Email address' }).fill('maria@example');
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('alert')).toContainText('Email address: must be a valid email address');
  await expect(page.getByRole('textbox', { name: 'Email address' })).toHaveValue('maria@example');
  await expectNoSeriousViolations(page, 'newsletter sign-up problem');
  await page.getByRole('textbox', { name: 'Email address' }).fill(email);
  await page.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();
  const again = (await mailTo(email, 3))[2]!;
  expect(again.subject).toContain('Confirm your subscription');

  // A changed link says so plainly.
  const response = await page.goto(`/site/${ORG}/newsletter/unsubscribe?token=not-a-token`);
  expect(response!.status()).toBe(403);
  await expect(page.getByRole('heading', { level: 1, name: 'This link is not valid' })).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter broken link');
});
