import { type Browser, type BrowserContext, expect, type Page, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test.describe.configure({ mode: 'serial' });

// A word no other story puts in the directory, so that the finder finds only this story's services.
const tag = `Wren${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const EVERY_DAY = 'MO,TU,WE,TH,FR,SA,SU';
const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1280, height: 900 };

let admin: ApiSession;
let recoveryCode: string;
let site: string;

/** A visitor's browser: not signed in, JavaScript off, at the given size. */
async function visitor(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<BrowserContext> {
  return browser.newContext({
    baseURL: process.env.KITH_E2E_BASE_URL,
    javaScriptEnabled: false,
    viewport,
  });
}

/** The same pages with JavaScript on, for axe only (the pages have no scripts: they render the same). */
async function checker(browser: Browser, viewport: { width: number; height: number }) {
  return browser.newContext({ baseURL: process.env.KITH_E2E_BASE_URL, viewport });
}

test.beforeAll(async () => {
  // Set-up through the API: the site admin has MFA, and the directory holds a free pantry open every day and a
  // shelter at a confidential address that is not for the public finder.
  const users = testUsers();
  const { recoveryCodes } = await enrolMfaByApi(users.siteAdmin);
  admin = await apiSignIn(users.siteAdmin, recoveryCodes[1]);
  recoveryCode = recoveryCodes[0]!;
  site = (await admin.get<{ siteUrl: string }>('/api/site/pages')).siteUrl;
  const org = await admin.post<{ id: string }>('/api/resources/organizations', {
    name: `${tag} Neighbours`,
    website: 'https://example.org',
  });
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${org.id}/locations`, {
    name: `${tag} hall`,
    address: { address1: '5 Callender St', city: 'Cambridge', stateProvince: 'MA', postalCode: '02139' },
  });
  const service = (fields: Record<string, unknown>) => ({
    directoryOrganizationId: org.id,
    status: 'active',
    languages: ['en', 'es'],
    free: true,
    locationIds: [location.id],
    schedules: [{ freq: 'WEEKLY', byday: EVERY_DAY, opensAt: '00:00', closesAt: '23:59' }],
    assuredDate: new Date().toISOString().slice(0, 10),
    ...fields,
  });
  await admin.post('/api/resources/services', {
    ...service({ name: `${tag} Pantry`, description: `Free groceries every day. ${tag}.` }),
    domains: ['food-insecurity'],
    phone: '(617) 555-0123',
  });
  await admin.post('/api/resources/services', {
    ...service({ name: `${tag} Safe House`, description: `Shelter at a confidential address. ${tag}.` }),
    domains: ['housing-instability', 'intimate-partner-violence'],
    public: false,
  });
});

/** Each public page: it loads without JavaScript, says what it is, and marks where the visitor is. */
async function readThePages(page: Page) {
  // `/site` leads to the site (or, with several organisations, lists them).
  expect((await page.request.get('/site')).status()).toBe(200);
  await page.goto(site);
  await expect(
    page.getByRole('heading', { level: 1, name: 'Social work for patients and families' }),
  ).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Site' });
  await expect(nav.getByRole('link', { name: 'Home' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('heading', { level: 2, name: 'Our services' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 3 })).toHaveCount(8);
  // The sign-up form is on every page.
  await expect(page.getByRole('textbox', { name: 'Email address' })).toBeVisible();

  // A service, from its card.
  await page.getByRole('link', { name: 'Discharge planning' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Discharge planning' })).toBeVisible();
  await expect(page.getByText('Leaving the hospital goes best when it is planned early.')).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Breadcrumb' }).getByText('Discharge planning'),
  ).toHaveAttribute('aria-current', 'page');

  // How to ask for a social worker, from the navigation; then contacts and hours.
  await nav.getByRole('link', { name: 'Ask for a social worker' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'How to ask for a social worker' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Ask for a social worker' })).toHaveAttribute(
    'aria-current',
    'page',
  );
  await expect(page.getByRole('heading', { level: 2, name: 'What happens next' })).toBeVisible();
  await nav.getByRole('link', { name: 'Contacts and hours' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Contacts and hours' })).toBeVisible();

  await nav.getByRole('link', { name: 'Newsletter' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Newsletter' })).toBeVisible();
  // The archive: empty, or the issues the campaign story sent (the specs share one server).
  await expect(
    page.getByText('No issues have been sent yet.').or(page.locator('main ul.issues li').first()),
  ).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Email address' })).toHaveCount(1);
}

/** The resource finder, a plain GET form: only the public service is found, each filter narrows. */
async function searchTheFinder(page: Page) {
  await page.getByRole('navigation', { name: 'Site' }).getByRole('link', { name: 'Find resources' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Find community resources' })).toBeVisible();
  const finder = page.getByRole('search', { name: 'Find community resources' });
  await finder.getByRole('searchbox', { name: 'What are you looking for?' }).fill(tag);
  await finder.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  const results = page.getByRole('region', { name: /found/ });
  await expect(results.getByRole('heading', { level: 2 })).toHaveText('1 service found');
  const pantry = results.getByRole('article', { name: `${tag} Pantry` });
  await expect(pantry).toContainText(`${tag} Neighbours`);
  await expect(pantry).toContainText('5 Callender St');
  await expect(pantry.getByRole('link', { name: '(617) 555-0123' })).toHaveAttribute(
    'href',
    'tel:6175550123',
  );
  await expect(pantry).toContainText('Open 24 hours');
  await expect(pantry).toContainText('English, Spanish');
  await expect(results.getByRole('article', { name: `${tag} Safe House` })).toHaveCount(0);

  // Need, ZIP and distance, language, free and open now: the values stay in the form.
  await finder.getByRole('combobox', { name: 'Need' }).selectOption({ label: 'Food insecurity' });
  await finder.getByRole('textbox', { name: 'ZIP code' }).fill('02139');
  await finder
    .getByRole('combobox', { name: 'Distance' })
    .selectOption({ label: 'Within 5 miles of the ZIP code' });
  await finder.getByRole('combobox', { name: 'Language' }).selectOption({ label: 'Spanish' });
  await finder.getByRole('checkbox', { name: 'Free services' }).check();
  await finder.getByRole('checkbox', { name: 'Open now' }).check();
  await finder.getByRole('button', { name: 'Search' }).click();
  await expect(results.getByRole('heading', { level: 2 })).toHaveText(/^1 service found near/);
  await expect(results.getByRole('article', { name: `${tag} Pantry` })).toContainText('mi)');
  await expect(finder.getByRole('textbox', { name: 'ZIP code' })).toHaveValue('02139');
  await expect(finder.getByRole('checkbox', { name: 'Open now' })).toBeChecked();
  await finder.getByRole('combobox', { name: 'Need' }).selectOption({ label: 'Housing instability' });
  await finder.getByRole('button', { name: 'Search' }).click();
  await expect(results.getByRole('heading', { level: 2 })).toHaveText(/^0 services found/);

  // A ZIP code with letters: the problem is named, linked to its field, and the words are kept.
  await finder.getByRole('textbox', { name: 'ZIP code' }).fill('0213x');
  await finder.getByRole('button', { name: 'Search' }).click();
  const problem = page.getByRole('alert');
  await expect(problem).toContainText('ZIP code: must be a 5-digit ZIP code');
  await expect(finder.getByRole('textbox', { name: 'ZIP code' })).toHaveAttribute('aria-invalid', 'true');
  await expect(finder.getByRole('searchbox', { name: 'What are you looking for?' })).toHaveValue(tag);
}

test('a visitor reads the public site and finds a resource, with JavaScript off, on a phone and a desktop', async ({
  browser,
}) => {
  for (const [label, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    const context = await visitor(browser, viewport);
    const page = await context.newPage();
    await readThePages(page);
    await searchTheFinder(page);

    // The first Tab reaches the skip link, which moves to the page's main content.
    await page.goto(`${site}request`);
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to content' });
    await expect(skip).toBeFocused();
    await expect(skip).toBeInViewport();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#main$/);

    if (label === 'phone') {
      // Nothing wider than the phone, and the navigation's links are at least 44 px tall.
      const nav = page.getByRole('navigation', { name: 'Site' });
      for (const link of await nav.getByRole('link').all()) {
        expect((await link.boundingBox())!.height).toBeGreaterThanOrEqual(44);
      }
      await page.goto(`${site}resources?q=${tag}`);
      await page.screenshot({ path: 'e2e/artifacts/site-finder-phone.png', fullPage: true });
    }
    await context.close();

    // axe on every page, at this size.
    const axeContext = await checker(browser, viewport);
    const axePage = await axeContext.newPage();
    for (const [name, path] of [
      ['home', ''],
      ['service', 'services/counseling'],
      ['request', 'request'],
      ['contact', 'contact'],
      ['resource finder', `resources?q=${tag}`],
      ['resource finder with a problem', `resources?q=${tag}&zip=0213x`],
      ['newsletter', 'newsletter'],
      ['not found', 'no-such-page'],
    ] as const) {
      await axePage.goto(`${site}${path}`);
      await expect(axePage.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await axePage.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        viewport.width,
      );
      await expectNoSeriousViolations(axePage, `public site ${name} (${label})`);
    }
    await axeContext.close();
  }
});

test('an admin rewrites a page with a live preview, is told of a conflict, and the public sees the page', async ({
  page,
  browser,
}) => {
  await signInWithCode(page, testUsers().siteAdmin, recoveryCode);
  await page.goto('/admin/site');
  await expect(page.getByRole('heading', { level: 1, name: 'Public site' })).toBeVisible();
  const pages = page.getByRole('navigation', { name: 'Pages of the public site' });
  await expect(pages.getByRole('link')).toHaveCount(10);
  await pages.getByRole('link', { name: /Contacts and hours/ }).click();
  await expect(page).toHaveURL(/\/admin\/site\/contact$/);

  // New text: the preview shows it as the public site will, sanitised by the server.
  const editor = page.getByRole('form', { name: /Edit “Contacts and hours”/ });
  await editor.getByRole('textbox', { name: 'Summary' }).fill('Call us, or come to room 2150.');
  await editor
    .getByRole('textbox', { name: 'Text (markdown)' })
    .fill(
      `## Phone\n\nCall [(617) 555-0199](tel:+16175550199), Monday to Friday. ${tag}\n\n<script>alert(1)</script>`,
    );
  const preview = page.getByRole('region', { name: 'Preview' });
  await expect(preview.getByRole('heading', { name: 'Phone' })).toBeVisible();
  await expect(preview.getByRole('link', { name: '(617) 555-0199' })).toHaveAttribute(
    'href',
    'tel:+16175550199',
  );
  await expect(preview).toContainText('<script>alert(1)</script>');
  await expectNoSeriousViolations(page, 'public site editor');
  await editor.getByRole('button', { name: 'Save page' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Page saved.' })).toBeVisible();

  // Another admin saves the page meanwhile: this save is refused, and the admin's text stays in the form.
  const current = await admin.get<{ items: { slug: string; version: number }[] }>('/api/site/pages');
  const contact = current.items.find((p) => p.slug === 'contact')!;
  await admin.request('PUT', '/api/site/pages/contact', {
    title: 'Contacts and opening hours',
    summary: 'Call us, or come to room 2150.',
    bodyMarkdown: `## Phone\n\nCall [(617) 555-0199](tel:+16175550199), Monday to Friday. ${tag}`,
    position: 100,
    published: true,
    version: contact.version,
  });
  await editor.getByRole('textbox', { name: 'Title' }).fill('Contact us');
  await editor.getByRole('button', { name: 'Save page' }).click();
  const conflict = page.getByRole('alert').filter({ hasText: 'someone else changed this page' });
  await expect(conflict).toBeVisible();
  await expect(editor.getByRole('textbox', { name: 'Title' })).toHaveValue('Contact us');
  await conflict.getByRole('button', { name: 'Load the latest version' }).click();
  await expect(
    page
      .getByRole('form', { name: /Edit “Contacts and opening hours”/ })
      .getByRole('textbox', { name: 'Title' }),
  ).toHaveValue('Contacts and opening hours');

  // The public sees it at once, without JavaScript.
  const context = await visitor(browser, PHONE);
  const visit = await context.newPage();
  await visit.goto(`${site}contact`);
  await expect(visit.getByRole('heading', { level: 1, name: 'Contacts and opening hours' })).toBeVisible();
  await expect(visit.getByRole('heading', { level: 2, name: 'Phone' })).toBeVisible();
  await expect(visit.getByRole('link', { name: '(617) 555-0199' })).toHaveAttribute(
    'href',
    'tel:+16175550199',
  );
  await expect(visit.locator('main script')).toHaveCount(0);
  await context.close();
});
