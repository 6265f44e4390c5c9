import { expect, type Page, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { linkIn, mailTo } from '../support/mail.ts';
import { AHC_FOOD_HOUSING_TRANSPORT, completeAhcScreen } from '../support/screens.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test.describe.configure({ mode: 'serial' });

// A word no other story puts in the directory, so the searches find only this story's services.
const tag = `Loop${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const EVERY_DAY = 'MO,TU,WE,TH,FR,SA,SU';
const intake = `intake+${tag.toLowerCase()}@example.org`;
const LINK = /\/referral-response\/[A-Za-z0-9_.-]+/;

/** A directory organisation in Cambridge with one service, through the admin API. */
async function seedService(
  admin: ApiSession,
  org: { name: string; referralEmail: string | null },
  service: { name: string; domain: string; description: string },
) {
  const { id: orgId } = await admin.post<{ id: string }>('/api/resources/organizations', org);
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${orgId}/locations`, {
    name: `${org.name} main site`,
    address: { address1: '5 Callender St', city: 'Cambridge', stateProvince: 'MA', postalCode: '02139' },
  });
  const created = await admin.post<{ id: string }>('/api/resources/services', {
    directoryOrganizationId: orgId,
    name: service.name,
    description: service.description,
    status: 'active',
    domains: [service.domain],
    languages: ['en', 'es'],
    free: true,
    locationIds: [location.id],
    schedules: [{ freq: 'WEEKLY', byday: EVERY_DAY, opensAt: '00:00', closesAt: '23:59' }],
  });
  return { orgId, locationId: location.id, serviceId: created.id };
}

/** Rosa, who lives in Cambridge and speaks Spanish, on Sam's care team. */
async function seedRosa(sam: ApiSession) {
  return sam.post<{ id: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Rosa',
    familyName: 'Quintero',
    birthDate: '1951-06-02',
    sex: 'female',
    preferredLanguage: 'es',
    interpreterNeeded: true,
    phones: [{ use: 'mobile', number: '+1 555 010 7788' }],
    address: { line1: '12 Pearl St', city: 'Cambridge', state: 'MA', postalCode: '02139' },
  });
}

const needsRow = (page: Page, label: string) =>
  page
    .getByRole('table', { name: /open first/ })
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: label }) });

let shelter: Awaited<ReturnType<typeof seedService>>;
let rosaId = '';

test.beforeAll(async () => {
  const users = testUsers();
  // The directory: a food pantry network that takes referrals by email, and a housing programme whose staff
  // answer in their Kith inbox (Pat is its community partner).
  const { recoveryCodes } = await enrolMfaByApi(users.referralAdmin);
  const admin = await apiSignIn(users.referralAdmin, recoveryCodes[0]);
  await seedService(
    admin,
    { name: `${tag} Food Pantry Network`, referralEmail: intake },
    {
      name: `${tag} Community Food Pantry`,
      domain: 'food-insecurity',
      description: `Groceries weekly. ${tag}.`,
    },
  );
  shelter = await seedService(
    admin,
    { name: `${tag} Housing Partners`, referralEmail: null },
    {
      name: `${tag} Rent Help`,
      domain: 'housing-instability',
      description: `Back rent and mediation. ${tag}.`,
    },
  );
  const { items } = await admin.get<{ items: { id: string; email: string }[] }>(
    '/api/admin/users?pageSize=200',
  );
  const pat = items.find((u) => u.email === users.partner.email);
  if (!pat) throw new Error('the partner user was not created');
  await admin.post(`/api/resources/organizations/${shelter.orgId}/partners`, { userId: pat.id });
});

test('a positive food screen is referred to a pantry, which accepts and completes through its link, and the need is resolved', async ({
  page,
  browser,
}) => {
  // The whole loop, with axe on seven screens.
  test.setTimeout(300_000);
  const users = testUsers();
  // First, Sam gives Rosa the AHC screen: food, housing and transportation come back positive.
  const sam = await apiSignIn(users.socialWorker);
  const rosa = await seedRosa(sam);
  rosaId = rosa.id;
  await completeAhcScreen(sam, rosa.id, AHC_FOOD_HOUSING_TRANSPORT);

  // The need appears on the Needs tab with no referral yet.
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${rosa.id}/needs`);
  const food = needsRow(page, 'Food insecurity');
  await expect(food.getByText('Identified', { exact: true })).toBeVisible();
  await expect(food.getByText('None yet')).toBeVisible();

  // Refer: the dialog searches the directory for the patient, food services first.
  await food.getByRole('button', { name: 'Refer: Food insecurity' }).click();
  const dialog = page.getByRole('dialog', { name: 'Refer: Food insecurity' });
  await expect(dialog.getByRole('heading', { name: 'Choose services' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Choose at least one service');
  await dialog.getByRole('textbox', { name: 'Search services' }).fill(`${tag} pantry`);
  const found = dialog.getByRole('list', { name: 'Services found' });
  await expect(
    found.getByRole('checkbox', { name: new RegExp(`Choose ${tag} Community Food Pantry`) }),
  ).toBeVisible();
  await expect(found.getByRole('checkbox', { name: new RegExp(`${tag} Rent Help`) })).toHaveCount(0);
  await found.getByRole('checkbox', { name: new RegExp(`Choose ${tag} Community Food Pantry`) }).check();
  await expect(dialog.getByRole('list', { name: 'Chosen services' })).toContainText(
    `${tag} Community Food Pantry`,
  );
  await expectNoSeriousViolations(page, 'referral dialog: services');

  // Consent before anything is sent: name, contact and the need are required and already ticked.
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('heading', { name: 'Consent to share' })).toBeVisible();
  const consent = dialog.getByRole('form', { name: `Consent to share with ${tag} Food Pantry Network` });
  await expect(consent.getByRole('checkbox', { name: 'Name (required)' })).toBeChecked();
  await expect(
    consent.getByRole('checkbox', { name: 'The need the referral is for (required)' }),
  ).toBeChecked();
  await consent.getByRole('checkbox', { name: 'Preferred language' }).check();
  await expect(consent.getByRole('textbox', { name: 'Given by' })).toHaveValue('Rosa Quintero');
  await expectNoSeriousViolations(page, 'referral dialog: consent');
  // Going on without a consent is refused.
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('alert')).toContainText('Record the patient’s consent');
  await consent.getByRole('button', { name: `Record consent for ${tag} Food Pantry Network` }).click();
  await expect(dialog.getByRole('note').filter({ hasText: 'Consent in force' })).toContainText(
    'Preferred language',
  );

  // Contact preferences, prefilled from the record; a bad email is refused on its field.
  await dialog.getByRole('button', { name: 'Next' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Phone' })).toHaveValue('+1 555 010 7788');
  await expect(dialog.getByRole('textbox', { name: 'Language' })).toHaveValue('Spanish');
  await expect(dialog.getByRole('checkbox', { name: 'Needs an interpreter' })).toBeChecked();
  await dialog.getByRole('textbox', { name: 'Email' }).fill('not-an-email');
  await dialog.getByRole('textbox', { name: 'Best times to call' }).fill('Weekday mornings');
  await dialog.getByRole('textbox', { name: 'Note for the organisation' }).fill('Lives alone; no car.');
  await dialog.getByRole('button', { name: 'Send referral' }).click();
  await expect(dialog.getByRole('textbox', { name: 'Email' })).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolations(page, 'referral dialog: contact');
  await dialog.getByRole('textbox', { name: 'Email' }).fill('');
  await dialog.getByRole('button', { name: 'Send referral' }).click();
  await expect(dialog).toBeHidden();
  await expect(
    page
      .getByRole('status')
      .filter({ hasText: `Referral for Food insecurity sent to ${tag} Food Pantry Network.` }),
  ).toBeVisible();
  const referralLink = food.getByRole('button', {
    name: new RegExp(`Referral to ${tag} Community Food Pantry`),
  });
  await expect(referralLink).toHaveAccessibleName(/: Sent$/);
  await expect(food.getByText('Being addressed', { exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, 'needs tab with a referral');

  // The pantry's email carries the link. Sam resends it: the first link stops working, the second works.
  const [first] = await mailTo(intake, 1);
  expect(first!.text).not.toContain('Rosa');
  const firstLink = linkIn(first!, LINK);
  await referralLink.click();
  const drawer = page.getByRole('dialog', { name: `Referral: ${tag} Community Food Pantry` });
  await expect(drawer.getByRole('table', { name: 'Link for the organisation' })).toContainText(intake);
  await expect(drawer.getByRole('table', { name: 'Link for the organisation' })).toContainText(
    'Not opened yet',
  );
  await drawer.getByRole('button', { name: 'Resend link' }).click();
  await expect(drawer.getByRole('status').filter({ hasText: 'A new link was sent' })).toBeVisible();
  await expectNoSeriousViolations(page, 'referral detail');
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  const link = linkIn((await mailTo(intake, 2))[1]!, LINK);
  expect(link).not.toBe(firstLink);

  // The pantry opens its link in a browser with no Kith session.
  const partnerContext = await browser.newContext();
  const partner = await partnerContext.newPage();
  await partner.goto(firstLink);
  await expect(partner.getByRole('heading', { level: 1, name: 'This link no longer works' })).toBeVisible();
  await partner.goto(`${link.slice(0, -3)}${link.slice(-3) === 'AAA' ? 'BBB' : 'AAA'}`);
  await expect(partner.getByRole('heading', { level: 1, name: 'This link is not valid' })).toBeVisible();
  await expectNoSeriousViolations(partner, 'partner page: altered link');

  await partner.goto(link);
  await expect(
    partner.getByRole('heading', { level: 1, name: `${tag} Community Food Pantry` }),
  ).toBeVisible();
  const shared = partner.getByRole('table', { name: 'What the patient agreed to share' });
  await expect(shared).toContainText('Rosa Quintero');
  await expect(shared).toContainText('Food insecurity');
  await expect(shared).toContainText('Spanish');
  // Not shared: her date of birth, her address, Sam's note.
  await expect(shared).not.toContainText('1951');
  await expect(shared).not.toContainText('Pearl St');
  await expect(partner.getByText('Lives alone; no car.')).toHaveCount(0);
  await expect(partner.getByRole('table', { name: 'How to reach the patient' })).toContainText(
    'Weekday mornings',
  );
  await expectNoSeriousViolations(partner, 'partner page');
  await partner.screenshot({ path: 'e2e/artifacts/referral-partner-page.png', fullPage: true });

  // It accepts, then reports the service delivered.
  await partner.getByRole('button', { name: 'Accept' }).click();
  await expect(
    partner
      .getByRole('status')
      .filter({ hasText: 'You accepted the referral. The department has been told.' }),
  ).toBeVisible();
  await partner.getByRole('button', { name: 'Report outcome' }).click();
  const outcome = partner.getByRole('form', { name: 'Report outcome' });
  await outcome.getByRole('button', { name: 'Report outcome' }).click();
  await expect(outcome.getByRole('textbox', { name: 'What was provided' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await outcome
    .getByRole('textbox', { name: 'What was provided' })
    .fill('Two weeks of groceries; enrolled for weekly pickup.');
  await expectNoSeriousViolations(partner, 'partner page: outcome');
  await outcome.getByRole('button', { name: 'Report outcome' }).click();
  await expect(partner.getByRole('status').filter({ hasText: 'You reported the outcome.' })).toBeVisible();
  await expect(partner.getByText('There is nothing more to do on this referral.')).toBeVisible();
  // Opened again, the closed referral's link changes nothing.
  await partner.reload();
  await expect(partner.getByRole('heading', { level: 1, name: /This referral is closed/ })).toBeVisible();
  await partnerContext.close();

  // Back with Sam: the referral shows completed, with its history, and proposes resolving the need.
  await page.reload();
  await expect(
    food.getByRole('button', { name: new RegExp(`Referral to ${tag} Community Food Pantry`) }),
  ).toHaveAccessibleName(/: Completed$/);
  await expect(food.getByText('Service delivered: resolve the need?')).toBeVisible();
  await food.getByRole('button', { name: new RegExp(`Referral to ${tag} Community Food Pantry`) }).click();
  await expect(drawer.getByRole('table', { name: 'Referral' })).toContainText('Two weeks of groceries');
  const history = drawer.getByRole('list', { name: 'Referral history' });
  await expect(history).toContainText('Accepted');
  await expect(history).toContainText('Completed');
  const prompt = drawer.getByRole('note').filter({ hasText: 'Resolve the need?' });
  await expect(prompt).toBeVisible();
  await expectNoSeriousViolations(page, 'referral detail, completed');
  await prompt.getByRole('button', { name: 'Resolve the need' }).click();
  const resolve = page.getByRole('dialog', { name: 'Resolve: Food insecurity' });
  await expect(resolve.getByLabel('How it was resolved')).toHaveValue(/Two weeks of groceries/);
  await resolve.getByRole('button', { name: 'Resolve need' }).click();
  await expect(resolve).toBeHidden();
  await expect(food.getByText('Resolved', { exact: true })).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/referral-needs-tab.png', fullPage: true });
});

test('a service selected in the directory is referred from its selection bar, and a community partner answers it in their Kith inbox', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const users = testUsers();
  const sam = await apiSignIn(users.socialWorker);
  const { items } = await sam.get<{ items: { id: string; domain: string }[] }>(
    `/api/patients/${rosaId}/needs`,
  );
  const housing = items.find((n) => n.domain === 'housing-instability');
  if (!housing) throw new Error('no housing need');

  // Sam searches the directory for Rosa's housing need and selects the housing programme there.
  await signIn(page, users.socialWorker);
  await page.goto(`/resources?patientId=${rosaId}&needId=${housing.id}&q=${tag}`);
  await page.getByRole('checkbox', { name: `Select ${tag} Rent Help for referral` }).check();
  const bar = page.getByRole('region', { name: 'Selected for referral' });
  await bar.getByRole('button', { name: 'Refer this service' }).click();

  // The referral dialog opens at consent; the programme has no consent yet.
  const dialog = page.getByRole('dialog', { name: 'Refer: Housing instability' });
  await expect(dialog.getByRole('heading', { name: 'Consent to share' })).toBeVisible();
  await dialog.getByRole('button', { name: `Record consent for ${tag} Housing Partners` }).click();
  await expect(dialog.getByRole('note').filter({ hasText: 'Consent in force' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Next' }).click();
  await dialog.getByRole('textbox', { name: 'Note for the organisation' }).fill('Behind two months on rent.');
  await dialog.getByRole('button', { name: 'Send referral' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${rosaId}/needs/${housing.id}$`));
  await expect(
    needsRow(page, 'Housing instability').getByRole('button', {
      name: new RegExp(`Referral to ${tag} Rent Help`),
    }),
  ).toHaveAccessibleName(/: Sent$/);
  await page.context().clearCookies();

  // Pat signs in: the inbox is home, with the referral still to be worked.
  await signIn(page, users.partner);
  await expect(page.getByRole('heading', { level: 1, name: 'Referrals to us' })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: `${tag} Rent Help` });
  await expect(row).toContainText('Rosa Quintero');
  await expectNoSeriousViolations(page, 'partner inbox');
  await row.getByRole('link', { name: `${tag} Rent Help` }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${tag} Rent Help` })).toBeVisible();
  // The note was not shared with them.
  await expect(page.getByText('Behind two months on rent.')).toHaveCount(0);

  // Declining needs a reason.
  await page.getByRole('button', { name: 'Decline' }).click();
  const decline = page.getByRole('form', { name: 'Decline' });
  await decline.getByRole('button', { name: 'Decline' }).click();
  await expect(decline.getByRole('combobox', { name: 'Why you decline' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await expectNoSeriousViolations(page, 'partner referral, decline');
  await decline.getByRole('button', { name: 'Back' }).click();
  await page.getByRole('button', { name: 'Accept' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'You accepted the referral.' })).toBeVisible();
  await page.getByRole('link', { name: 'Back to referrals' }).click();
  await expect(page.getByRole('row').filter({ hasText: `${tag} Rent Help` })).toContainText('Accepted');
});
