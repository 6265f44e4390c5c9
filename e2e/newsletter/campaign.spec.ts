import { expect, type Page, test } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import { type ApiSession, apiSignIn, enrolMfaByApi } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { linkIn, mailTo } from '../support/mail.ts';
import { signInWithCode } from '../support/sign-in.ts';
import { type TestUser, testUsers } from '../support/users.ts';

const ORG = 'e2e-hospital';
// A list and a subject no other story uses: the issue goes to this story's reader only.
const stamp = Date.now().toString(36);
const LIST = { slug: `winter-${stamp}`, name: `Winter news ${stamp}` };
const SUBJECT = `Winter support groups ${stamp}`;
const IMAGE_ALT = 'The hospital garden under snow';
// A 1×1 PNG, the smallest image the upload takes.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/** The path of a mailed link (the server's PUBLIC_URL is the suite's base URL). */
const pathOf = (url: string) => {
  const u = new URL(url, process.env.KITH_E2E_BASE_URL);
  return u.pathname + u.search;
};

/** The message about `subject` in `to`'s inbox, waiting for it (campaigns leave through the job queue). */
async function mailAbout(to: string, subject: string, timeoutMs = 60_000): Promise<ParsedMail> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = (await mailTo(to, 1, timeoutMs)).find((m) => m.subject?.includes(subject));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no message about “${subject}” reached ${to}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** A raw header's value as the message carries it (mailparser reshapes List-* headers). */
const headerOf = (mail: ParsedMail, name: string) =>
  mail.headerLines
    .find((h) => h.key === name.toLowerCase())
    ?.line.replace(/^[^:]+:\s*/, '')
    .replace(/\r?\n\s+/g, ' ');

/** The reader signs up on the public site's own form, in the browser, and confirms from the email. */
async function subscribeOnThePublicSite(page: Page, email: string) {
  await page.goto(`/site/${ORG}/`);
  const signup = page.getByRole('region', { name: 'Get our newsletter' });
  await signup.getByRole('textbox', { name: 'Email address' }).fill(email);
  await signup.getByRole('checkbox', { name: 'Caregivers' }).uncheck();
  await signup.getByRole('checkbox', { name: LIST.name }).check();
  await signup.getByRole('button', { name: 'Subscribe' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Check your email' })).toBeVisible();

  const [confirmation] = await mailTo(email);
  expect(confirmation!.subject).toContain('Confirm your subscription');
  await page.goto(pathOf(linkIn(confirmation!, /\/newsletter\/confirm\?token=/)));
  await page.getByRole('button', { name: 'Confirm my subscription' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'You are subscribed' })).toBeVisible();
}

test.describe.configure({ mode: 'serial' });

let admin: TestUser;
let setup: ApiSession;
let recoveryCodes: string[];

test.beforeAll(async () => {
  // Set-up through the API: the admin has MFA (admins must), and the story's own list is offered.
  admin = testUsers().newsletterAdmin;
  ({ recoveryCodes } = await enrolMfaByApi(admin));
  setup = await apiSignIn(admin, recoveryCodes[1]);
  await setup.post('/api/newsletter/lists', { ...LIST, description: 'Dates of the winter groups.' });
});

test('an admin writes an issue, previews and tests it, sends it to a list; the reader gets it and leaves by one click', async ({
  page,
  browser,
}) => {
  test.setTimeout(240_000);
  const email = `winter-reader-${stamp}@family.example`;

  // A reader subscribes to that list only, on the public page, and confirms.
  const readerContext = await browser.newContext({ baseURL: process.env.KITH_E2E_BASE_URL });
  const reader = await readerContext.newPage();
  await subscribeOnThePublicSite(reader, email);

  // The admin starts an issue from the issues list.
  await signInWithCode(page, admin, recoveryCodes[0]!);
  await page.goto('/admin/newsletter');
  const sections = page.getByRole('navigation', { name: 'Newsletter sections' });
  await sections.getByRole('link', { name: 'Issues' }).click();
  await expect(page).toHaveURL(/\/admin\/newsletter\/issues$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Newsletter issues' })).toBeVisible();
  await expect(sections.getByRole('link', { name: 'Issues' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter issues');
  await page.getByRole('button', { name: 'New issue' }).click();
  await expect(page).toHaveURL(/\/admin\/newsletter\/issues\/[0-9a-f-]{36}$/);
  const issuePath = new URL(page.url()).pathname;

  // Subject, markdown and an uploaded image, put where the cursor is.
  const editor = page.getByRole('form', { name: 'Write the issue' });
  await editor.getByRole('textbox', { name: 'Subject' }).fill(SUBJECT);
  const text = editor.getByRole('textbox', { name: 'Text (markdown)' });
  await text.fill(
    '## Winter groups\n\nOur **caregiver group** meets on Tuesdays at 5 pm.\n\n- Room 2150\n- Tea and biscuits',
  );
  await editor.getByRole('textbox', { name: 'Image description' }).fill(IMAGE_ALT);
  await editor
    .getByLabel('Add an image')
    .setInputFiles({ name: 'garden.png', mimeType: 'image/png', buffer: PNG });
  await expect(text).toHaveValue(
    new RegExp(`!\\[${IMAGE_ALT}\\]\\(/site/${ORG}/newsletter/images/[0-9a-f-]+\\)`),
  );

  // The preview: the email as the server renders it, at a desktop's width, then a phone's; and its text part.
  const preview = page.getByRole('region', { name: 'Preview' });
  const desktop = preview.locator('iframe[title="The email on a desktop"]');
  await expect(desktop).toHaveAttribute('sandbox', '');
  await expect(
    page
      .frameLocator('iframe[title="The email on a desktop"]')
      .getByRole('heading', { name: 'Winter groups' }),
  ).toBeVisible();
  // The uploaded image loads inside the sandboxed frame (from this server, which the app's policy allows).
  const image = page
    .frameLocator('iframe[title="The email on a desktop"]')
    .getByRole('img', { name: IMAGE_ALT });
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(1);
  const desktopWidth = (await desktop.boundingBox())!.width;
  expect(desktopWidth).toBeGreaterThanOrEqual(600);
  expect(desktopWidth).toBeLessThanOrEqual(700);
  await preview.getByText('Phone (375 px)').click();
  const phone = preview.locator('iframe[title="The email on a phone"]');
  await expect(phone).toBeVisible();
  expect(Math.round((await phone.boundingBox())!.width)).toBe(375);
  await expect(
    page.frameLocator('iframe[title="The email on a phone"]').getByText('caregiver group'),
  ).toBeVisible();
  await preview.getByRole('tab', { name: 'Plain text' }).click();
  await expect(preview.getByRole('tabpanel', { name: 'Plain text' })).toContainText('Tuesdays at 5 pm');

  // The story's list, with its one subscriber; saved.
  const list = editor.getByRole('checkbox', { name: new RegExp(LIST.name) });
  await expect(list).toHaveAccessibleName(`${LIST.name} (1 subscriber)`);
  await list.check();
  await editor.getByRole('button', { name: 'Save draft' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Issue saved.' })).toBeVisible();
  // axe runs with the text part showing: no script runs in the email's sandboxed frame, axe's included.
  await expect(preview.locator('iframe')).toHaveCount(0);
  await expectNoSeriousViolations(page, 'newsletter issue editor');

  // A test to the admin's own address arrives, with both parts.
  await page.getByRole('button', { name: 'Send test to me' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: `A test was sent to ${admin.email}.` }),
  ).toBeVisible();
  const testMail = await mailAbout(admin.email, SUBJECT);
  expect(testMail.html).toContain('Winter groups');
  expect(testMail.text).toContain('caregiver group');

  // Send now: the dialog names who receives it.
  await page.getByRole('button', { name: 'Send now…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Send this issue now?' });
  await expect(dialog).toContainText('1 subscriber');
  await expect(dialog).toContainText(LIST.name);
  await dialog.getByRole('button', { name: 'Send now' }).click();

  // The issue's page now follows sending until every recipient is handled.
  await expect(page.getByRole('status').filter({ hasText: 'Done: sending finished' })).toBeVisible({
    timeout: 60_000,
  });
  await expect(page.getByText('1 of 1 handled: 1 sent.')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: 'Recipients handled' })).toHaveAttribute(
    'aria-valuenow',
    '1',
  );
  const deliveries = page.getByRole('region', { name: 'Deliveries' });
  await expect(deliveries.getByRole('row', { name: new RegExp(email) })).toContainText('Sent');
  await expect(preview.locator('iframe[title="The email on a desktop"]')).toBeVisible();
  await preview.getByRole('tab', { name: 'Plain text' }).click();
  await expect(preview.getByRole('tabpanel', { name: 'Plain text' })).toContainText('Tuesdays at 5 pm');
  await expectNoSeriousViolations(page, 'newsletter sent issue');

  // The reader's copy: subject, both parts, and the one-click unsubscribe headers (RFC 8058).
  const campaign = await mailAbout(email, SUBJECT);
  expect(campaign.subject).toBe(SUBJECT);
  expect(campaign.html).toContain('Winter groups');
  expect(campaign.html).toContain('<strong>caregiver group</strong>');
  expect(campaign.text).toMatch(/winter groups/i); // the text part writes headings in capitals
  expect(campaign.text).toContain('Tuesdays at 5 pm');
  const unsubscribe = headerOf(campaign, 'List-Unsubscribe');
  expect(unsubscribe).toMatch(/<https?:\/\/[^>]+>/);
  expect(headerOf(campaign, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');

  // The reader's mail client unsubscribes them with one POST, as RFC 8058 has it.
  const oneClickUrl = unsubscribe!.match(/<(https?:\/\/[^>]+)>/)![1]!;
  const left = await reader.request.post(pathOf(oneClickUrl), { form: { 'List-Unsubscribe': 'One-Click' } });
  expect(left.ok()).toBe(true);

  // The admin sees them unsubscribed.
  await sections.getByRole('link', { name: 'Subscribers' }).click();
  await page.getByRole('textbox', { name: 'Address contains' }).fill(email);
  await expect(page.getByRole('row', { name: new RegExp(email) })).toContainText('Unsubscribed');

  // The issue is in the public archive.
  await page.goto(issuePath);
  const archiveLink = page.getByRole('link', { name: 'Read it in the public archive (new tab)' });
  const archiveUrl = await archiveLink.getAttribute('href');
  await reader.goto(pathOf(archiveUrl!));
  await expect(reader.getByRole('heading', { level: 1, name: SUBJECT })).toBeVisible();
  await expect(reader.getByText('caregiver group')).toBeVisible();
  await reader.goto(`/site/${ORG}/newsletter`);
  await expect(reader.getByRole('link', { name: SUBJECT })).toBeVisible();
  await readerContext.close();

  // The outbox, where mail would wait without a mail server.
  await sections.getByRole('link', { name: 'Outbox' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Mail outbox' })).toBeVisible();
  await expect(page.getByRole('table')).toBeVisible();
  await expectNoSeriousViolations(page, 'newsletter outbox');
});

test('an admin schedules a draft, takes it back, is told of a conflicting save, and deletes the draft', async ({
  page,
}) => {
  await signInWithCode(page, admin, recoveryCodes[2]!);
  await page.goto('/admin/newsletter/issues');
  await page.getByRole('button', { name: 'New issue' }).click();
  await expect(page).toHaveURL(/\/admin\/newsletter\/issues\/[0-9a-f-]{36}$/);
  const issueId = new URL(page.url()).pathname.split('/').pop()!;
  const editor = page.getByRole('form', { name: 'Write the issue' });
  const subject = `Spring clinic dates ${stamp}`;
  await editor.getByRole('textbox', { name: 'Subject' }).fill(subject);
  await editor.getByRole('textbox', { name: 'Text (markdown)' }).fill('Dates to follow.');

  // Sending needs a list: the form says so, and nothing is sent.
  await page.getByRole('button', { name: 'Send now…' }).click();
  await expect(editor.getByText('Choose at least one list to send to')).toBeVisible();
  await expect(page.getByRole('dialog')).toHaveCount(0);
  await editor.getByRole('checkbox', { name: new RegExp(LIST.name) }).check();

  // A time in the past is refused in the form; tomorrow is scheduled, after the dialog.
  const send = page.getByRole('region', { name: 'Test and send' });
  const local = (d: Date) =>
    new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await send.getByLabel('Send at').fill(local(new Date(Date.now() - 3_600_000)));
  await send.getByRole('button', { name: 'Schedule…' }).click();
  await expect(send.getByText('Choose a time in the future')).toBeVisible();
  await send.getByLabel('Send at').fill(local(new Date(Date.now() + 86_400_000)));
  await send.getByRole('button', { name: 'Schedule…' }).click();
  // The reader of the first story has left the list: nobody would receive it now.
  const dialog = page.getByRole('dialog', { name: 'Schedule this issue?' });
  await expect(dialog).toContainText(`goes to 0 subscribers of ${LIST.name}`);
  await dialog.getByRole('button', { name: 'Schedule' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Waiting to be sent' })).toBeVisible();
  await expect(page.getByRole('main').getByText('Scheduled', { exact: true })).toBeVisible();

  // Taken back, it is a draft again, in the editor.
  await page.getByRole('button', { name: 'Cancel the schedule and edit again' }).click();
  await expect(editor.getByRole('textbox', { name: 'Subject' })).toHaveValue(subject);

  // Another admin saves it meanwhile: this save is refused and the text typed stays.
  const current = await setup.get<{ version: number; listIds: string[] }>(
    `/api/newsletter/issues/${issueId}`,
  );
  await setup.request('PUT', `/api/newsletter/issues/${issueId}`, {
    subject: `${subject} (edited)`,
    bodyMarkdown: 'Dates to follow soon.',
    listIds: current.listIds,
    ratePerMinute: 100,
    version: current.version,
  });
  await editor.getByRole('textbox', { name: 'Text (markdown)' }).fill('The dates are set.');
  await editor.getByRole('button', { name: 'Save draft' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'Not saved: this issue changed' });
  await expect(conflict).toBeVisible();
  await expect(editor.getByRole('textbox', { name: 'Text (markdown)' })).toHaveValue('The dates are set.');
  await conflict.getByRole('button', { name: 'Load the latest version' }).click();
  await expect(editor.getByRole('textbox', { name: 'Subject' })).toHaveValue(`${subject} (edited)`);

  // Deleted, it is gone from the list.
  await page.getByRole('button', { name: 'Delete this draft' }).click();
  await page
    .getByRole('dialog', { name: 'Delete this draft?' })
    .getByRole('button', { name: 'Delete' })
    .click();
  await expect(page).toHaveURL(/\/admin\/newsletter\/issues$/);
  await expect(page.getByRole('link', { name: new RegExp(subject) })).toHaveCount(0);
});
