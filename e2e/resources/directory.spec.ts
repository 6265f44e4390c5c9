import { expect, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn, signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test.describe.configure({ mode: 'serial' });

// A word no other story puts in the directory, so the search finds only this story's services.
const tag = `Quill${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const EVERY_DAY = 'MO,TU,WE,TH,FR,SA,SU';

interface Created {
  id: string;
  version: number;
  name: string;
}

/** A directory organisation with one location at a Massachusetts address, through the admin API. */
async function seedOrganization(
  admin: ApiSession,
  name: string,
  address: { street: string; city: string; zip: string },
) {
  const org = await admin.post<{ id: string }>('/api/resources/organizations', {
    name,
    referralEmail: `intake+${tag.toLowerCase()}@example.org`,
    website: 'https://example.org',
  });
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${org.id}/locations`, {
    name: `${name} main site`,
    address: { address1: address.street, city: address.city, stateProvince: 'MA', postalCode: address.zip },
  });
  return { orgId: org.id, locationId: location.id };
}

/** A service in the shape of ServiceWrite; the defaults make it an active, free, Spanish-speaking food service. */
function serviceBody(orgId: string, locationId: string, fields: Record<string, unknown>) {
  return {
    directoryOrganizationId: orgId,
    status: 'active',
    domains: ['food-insecurity'],
    languages: ['en', 'es'],
    free: true,
    locationIds: [locationId],
    assuredDate: new Date().toISOString().slice(0, 10),
    ...fields,
  };
}

test('a worker searches the directory with filters, opens a service, and an admin edits it', async ({
  page,
}) => {
  const users = testUsers();
  // Set-up through the API: the directory admin has MFA; the directory holds a pantry in Cambridge open
  // every day with rules for older adults, a children's meal program and a heating-assistance program in
  // Boston, and a pantry in Amherst (80 miles away) with no hours listed.
  const { recoveryCodes } = await enrolMfaByApi(users.directoryAdmin);
  const admin = await apiSignIn(users.directoryAdmin, recoveryCodes[1]);
  const cambridge = await seedOrganization(admin, `${tag} Community Table`, {
    street: '5 Callender St',
    city: 'Cambridge',
    zip: '02139',
  });
  const boston = await seedOrganization(admin, `${tag} Kids Kitchen`, {
    street: '100 Washington St',
    city: 'Boston',
    zip: '02118',
  });
  const amherst = await seedOrganization(admin, `${tag} Valley Pantry`, {
    street: '1 Main St',
    city: 'Amherst',
    zip: '01002',
  });
  const pantry = await admin.post<Created>(
    '/api/resources/services',
    serviceBody(cambridge.orgId, cambridge.locationId, {
      name: `${tag} Senior Pantry`,
      description: `Groceries every day for older adults. ${tag}.`,
      eligibility: { minAge: 60 },
      requiredDocuments: ['Photo ID', 'Proof of address'],
      applicationProcess: 'Walk in; first visit takes 15 minutes.',
      schedules: [{ freq: 'WEEKLY', byday: EVERY_DAY, opensAt: '00:00', closesAt: '23:59' }],
    }),
  );
  await admin.post<Created>(
    '/api/resources/services',
    serviceBody(boston.orgId, boston.locationId, {
      name: `${tag} Kids Meals`,
      description: `After-school meals for children. ${tag}.`,
      eligibility: { maxAge: 17 },
      schedules: [{ freq: 'WEEKLY', byday: EVERY_DAY, opensAt: '00:00', closesAt: '23:59' }],
    }),
  );
  await admin.post<Created>(
    '/api/resources/services',
    serviceBody(amherst.orgId, amherst.locationId, {
      name: `${tag} Valley Groceries`,
      description: `A pantry in the valley. ${tag}.`,
    }),
  );
  await admin.post<Created>(
    '/api/resources/services',
    serviceBody(boston.orgId, boston.locationId, {
      name: `${tag} Heating Help`,
      description: `Help with heating and electric bills. ${tag}.`,
      domains: ['utility-insecurity'],
      assistanceKind: 'utility-assistance',
      eligibility: { maxPovertyPercent: 200 },
      requiredDocuments: ['A recent utility bill'],
    }),
  );

  // Sam has a patient born in 1948 who lives in Cambridge.
  const sam = await apiSignIn(users.socialWorker);
  const rosa = await sam.post<{ id: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Rosa',
    familyName: 'Delgado',
    birthDate: '1948-03-14',
    sex: 'female',
    preferredLanguage: 'es',
    interpreterNeeded: true,
    phones: [{ use: 'mobile', number: '+1 555 010 2233' }],
    address: { line1: '12 Pearl St', city: 'Cambridge', state: 'MA', postalCode: '02139' },
  });

  // First, Sam opens Resources: the search box has the focus, and typing searches.
  await signIn(page, users.socialWorker);
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Resources' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Community resources' })).toBeVisible();
  const box = page.getByRole('searchbox', { name: 'Search the directory' });
  await expect(box).toBeFocused();
  await box.fill(tag);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  const list = page.getByRole('list', { name: 'Services found' });
  await expect(page.getByRole('status').filter({ hasText: '4 services found' })).toBeVisible();
  await expect(list.getByRole('article')).toHaveCount(4);

  // Filters: food, near 02139 within 5 miles, open now. Amherst (far, no hours) drops out; each result says
  // why it matched, how far it is and today's hours.
  await page.getByRole('combobox', { name: 'Need' }).click();
  await page.getByRole('option', { name: 'Food insecurity' }).click();
  await page.keyboard.press('Escape');
  await expect(page).toHaveURL(/domain=food-insecurity/);
  await expect(page.getByRole('status').filter({ hasText: '3 services found' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Near ZIP code' }).fill('02139');
  await page.getByRole('combobox', { name: 'Within' }).selectOption({ label: '5 miles' });
  await page.getByRole('combobox', { name: 'Open' }).selectOption({ label: 'Open now' });
  await expect(page.getByRole('status').filter({ hasText: '2 services found' })).toBeVisible();
  await expect(page).toHaveURL(/zip=02139/);
  await expect(page).toHaveURL(/radiusMiles=5/);
  await expect(page).toHaveURL(/openNow=true/);
  const pantryCard = list.getByRole('article', { name: `${tag} Senior Pantry` });
  await expect(pantryCard).toContainText('Why it matched:');
  await expect(pantryCard).toContainText(/\d+(\.\d)? mi/);
  await expect(pantryCard).toContainText('Open now');
  await expect(pantryCard).toContainText('Spanish');
  await expect(pantryCard).toContainText('Free');
  await expect(list.getByRole('article', { name: `${tag} Valley Groceries` })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'resources search');

  // The search lives in the address: a reload runs it again.
  await page.reload();
  await expect(page.getByRole('searchbox', { name: 'Search the directory' })).toHaveValue(tag);
  await expect(page.getByRole('status').filter({ hasText: '2 services found' })).toBeVisible();

  // A misspelt word is corrected, and the page says what it searched for.
  await page.getByRole('searchbox', { name: 'Search the directory' }).fill(`${tag} groseries`);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('status').filter({ hasText: `Showing results for ${tag} groceries` }),
  ).toBeVisible();

  // For Rosa: distance from her address, a verdict per result, and "Eligible for this patient" keeps the
  // pantry for older adults and drops the children's meals.
  await page.goto(`/resources?q=${tag}&domain=food-insecurity&patientId=${rosa.id}&sort=name`);
  await expect(page.getByRole('note').filter({ hasText: 'For Rosa Delgado' })).toBeVisible();
  await expect(list.getByRole('article', { name: `${tag} Senior Pantry` })).toContainText('Eligible');
  await expect(list.getByRole('article', { name: `${tag} Kids Meals` })).toContainText('Not eligible');
  await page.getByRole('checkbox', { name: 'Eligible for this patient' }).check();
  await expect(list.getByRole('article', { name: `${tag} Kids Meals` })).toHaveCount(0);
  await expect(list.getByRole('article', { name: `${tag} Senior Pantry` })).toBeVisible();

  // From the keyboard: `/` to the box, `j` to the first result, `x` selects it for a referral, Enter opens it.
  await page.locator('#main').focus();
  await page.keyboard.press('/');
  await expect(page.getByRole('searchbox', { name: 'Search the directory' })).toBeFocused();
  await page.locator('#main').focus();
  await page.keyboard.press('j');
  await expect(list.getByRole('link', { name: `${tag} Senior Pantry` })).toBeFocused();
  await page.keyboard.press('x');
  const selectionBar = page.getByRole('region', { name: 'Selected for referral' });
  await expect(selectionBar).toContainText(`${tag} Senior Pantry`);
  await expect(
    page.getByRole('checkbox', { name: `Select ${tag} Senior Pantry for referral` }),
  ).toBeChecked();
  await page.keyboard.press('Enter');

  // The service's page: hours, where, what to bring, how to apply.
  await expect(page.getByRole('heading', { level: 1, name: `${tag} Senior Pantry` })).toBeVisible();
  await expect(
    page.getByRole('table', { name: 'Hours by day' }).getByRole('row', { name: /^Monday/ }),
  ).toContainText('Open 24 hours');
  await expect(page.getByRole('region', { name: 'What to bring' })).toContainText('Proof of address');
  await expect(page.getByRole('region', { name: 'Where' })).toContainText('5 Callender St');
  await expect(page.getByRole('region', { name: 'Who qualifies' })).toContainText('Ages 60 and over');
  await expect(page.getByRole('region', { name: 'How to apply' })).toContainText('Walk in');
  await expect(page.getByRole('button', { name: 'Selected for referral' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expectNoSeriousViolations(page, 'service detail');
  await page.screenshot({ path: 'e2e/artifacts/resources-service.png', fullPage: true });

  // The financial-assistance view lists the programs only, each with who qualifies in words and the verdict
  // for Rosa (her household income is not recorded, so possibly).
  await page
    .getByRole('navigation', { name: 'Resources' })
    .getByRole('link', { name: 'Financial assistance' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Financial assistance' })).toBeVisible();
  await expect(page.getByRole('note').filter({ hasText: 'For Rosa Delgado' })).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search the programs' }).fill(tag);
  const program = list.getByRole('article', { name: `${tag} Heating Help` });
  await expect(program).toContainText('Household income at or below 200% of the federal poverty guideline');
  await expect(program).toContainText('Possibly eligible');
  await expect(list.getByRole('article')).toHaveCount(1);
  await expectNoSeriousViolations(page, 'financial assistance');

  // Then Dana, the directory admin, edits the service: a bad ZIP code is refused on its field, then the
  // change is saved.
  await page.context().clearCookies();
  await signInWithCode(page, users.directoryAdmin, recoveryCodes[0]!);
  await page.goto(`/resources/services/${pantry.id}`);
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `Edit ${tag} Senior Pantry` })).toBeVisible();
  const zips = page.getByRole('combobox', { name: 'Residents of ZIP codes' });
  await zips.fill('0213');
  await zips.press('Enter');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Some fields need attention' })).toBeVisible();
  await expect(zips).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolations(page, 'service edit form');
  await zips.press('Backspace');
  await zips.fill('02139');
  await zips.press('Enter');
  const what = page.getByRole('combobox', { name: 'What to bring' });
  await what.fill('A recent utility bill');
  await what.press('Enter');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${tag} Senior Pantry` })).toBeVisible();
  await expect(page.getByRole('region', { name: 'What to bring' })).toContainText('A recent utility bill');
  await expect(page.getByRole('region', { name: 'Who qualifies' })).toContainText('ZIP code 02139');

  // Someone else saves the service while Dana edits it: her save is refused as stale, and reloading shows
  // their change.
  await page.getByRole('link', { name: 'Edit' }).click();
  const current = await admin.get<Record<string, unknown> & { version: number }>(
    `/api/resources/services/${pantry.id}`,
  );
  await admin.request('PUT', `/api/resources/services/${pantry.id}`, {
    ...serviceBody(cambridge.orgId, cambridge.locationId, {}),
    ...pick(current),
    name: `${tag} Senior Pantry and Cafe`,
    version: current.version,
  });
  await page.getByRole('textbox', { name: 'Other name' }).fill('The Table');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(
    page.getByRole('alert').filter({ hasText: 'Someone else saved this service first' }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Reload the service' }).click();
  await expect(page.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue(
    `${tag} Senior Pantry and Cafe`,
  );
  await page.getByRole('textbox', { name: 'Other name' }).fill('The Table');
  await page.getByRole('button', { name: 'Save service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${tag} Senior Pantry and Cafe` })).toBeVisible();

  // The directory admin page: organisations with their counts and referral emails, and the imports.
  await page.getByRole('navigation', { name: 'Resources' }).getByRole('link', { name: 'Directory' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Directory' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Find an organisation' }).fill(tag);
  const orgRow = page.getByRole('row').filter({ hasText: `${tag} Community Table` });
  await expect(orgRow.getByRole('cell').nth(0)).toHaveText('1');
  await expect(orgRow).toContainText(`intake+${tag.toLowerCase()}@example.org`);
  await expect(page.getByRole('heading', { name: 'Last imports' })).toBeVisible();
  await expectNoSeriousViolations(page, 'directory admin');

  // A new organisation, and a first service for it.
  await page.getByRole('button', { name: 'New organisation' }).click();
  const orgDialog = page.getByRole('dialog', { name: 'New organisation' });
  await orgDialog.getByRole('textbox', { name: 'Name' }).fill(`${tag} Legal Aid`);
  await orgDialog.getByRole('textbox', { name: 'Referral email' }).fill('not-an-email');
  await orgDialog.getByRole('button', { name: 'Create organisation' }).click();
  await expect(orgDialog.getByRole('textbox', { name: 'Referral email' })).toHaveAttribute(
    'aria-invalid',
    'true',
  );
  await orgDialog.getByRole('textbox', { name: 'Referral email' }).fill('help@legalaid.example.org');
  await orgDialog.getByRole('button', { name: 'Create organisation' }).click();
  await expect(orgDialog).toBeHidden();
  await page.getByRole('textbox', { name: 'Find an organisation' }).fill(`${tag} Legal`);
  await page.getByRole('link', { name: `New service of ${tag} Legal Aid` }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New service' })).toBeVisible();
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill(`${tag} Eviction Defense`);
  await page.getByRole('combobox', { name: 'Needs addressed' }).click();
  await page.getByRole('option', { name: 'Housing instability' }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Create service' }).click();
  await expect(page.getByRole('heading', { level: 1, name: `${tag} Eviction Defense` })).toBeVisible();
  await expect(page.getByText(`${tag} Legal Aid`, { exact: true })).toBeVisible();
});

/** The fields of a ServiceDetail that ServiceWrite takes back. */
function pick(detail: Record<string, unknown>) {
  const keys = [
    'directoryOrganizationId',
    'name',
    'alternateName',
    'description',
    'url',
    'email',
    'status',
    'applicationProcess',
    'feesDescription',
    'free',
    'eligibilityDescription',
    'interpretationServices',
    'domains',
    'assistanceKind',
    'eligibility',
    'languages',
    'requiredDocuments',
    'taxonomyCodes',
    'phone',
    'locationIds',
    'schedules',
    'public',
    'assuredDate',
  ];
  return Object.fromEntries(keys.filter((k) => k in detail).map((k) => [k, detail[k]]));
}
