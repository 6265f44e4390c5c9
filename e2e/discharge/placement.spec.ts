import { expect, type Page, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { linkIn, mailTo } from '../support/mail.ts';
import { signIn, signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test.describe.configure({ mode: 'serial' });
test.use({ actionTimeout: 20_000 });

// A word no other story puts in the directory, so that this story's providers are told apart.
const tag = `Snf${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;
const HOUR = 3_600_000;
const LINK = /\/referral-response\/[A-Za-z0-9_.-]+/;

/** Three skilled nursing facilities around Cambridge, with ratings, each taking referrals by email. */
const PROVIDERS = [
  { name: `${tag} Pearl Street Nursing`, street: '50 Pearl St', zip: '02139', stars: ['4', '4', '3', '5'] },
  { name: `${tag} Harvard Square Rehab`, street: '10 Church St', zip: '02138', stars: ['5', '4', '5', '4'] },
  {
    name: `${tag} Somerville Care Center`,
    street: '90 Highland Ave',
    zip: '02143',
    stars: ['3', '2', '3', '3'],
  },
].map((p, i) => ({ ...p, email: `admissions${i + 1}+${tag.toLowerCase()}@example.org` }));

async function seedProvider(admin: ApiSession, p: (typeof PROVIDERS)[number]) {
  const { id: orgId } = await admin.post<{ id: string }>('/api/resources/organizations', {
    name: p.name,
    referralEmail: p.email,
  });
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${orgId}/locations`, {
    name: p.name,
    address: { address1: p.street, city: 'Cambridge', stateProvince: 'MA', postalCode: p.zip },
  });
  const service = await admin.post<{ id: string }>('/api/resources/services', {
    directoryOrganizationId: orgId,
    name: p.name,
    description: `Short-term skilled nursing and rehabilitation. ${tag}.`,
    status: 'active',
    domains: [],
    languages: ['en'],
    locationIds: [location.id],
  });
  const measures = ['overall', 'health-inspections', 'staffing', 'quality-measures'];
  await admin.request('PUT', `/api/directory/services/${service.id}/post-acute`, {
    kind: 'snf',
    capabilities: ['daily-therapy', 'wound-care'],
    ratings: measures.map((measure, i) => ({
      measure,
      value: p.stars[i],
      source: 'CMS Care Compare (demo figures)',
      asOf: '2026-01-05',
    })),
  });
  return service.id;
}

let adminCode = '';
let patientId = '';

test.beforeAll(async () => {
  const users = testUsers();
  const { recoveryCodes } = await enrolMfaByApi(users.placementAdmin);
  const admin = await apiSignIn(users.placementAdmin, recoveryCodes[0]);
  adminCode = recoveryCodes[1]!;
  for (const p of PROVIDERS) await seedProvider(admin, p);

  // Sam's patient, who lives in Cambridge, on Medicare, admitted four days ago: the stay opens a plan.
  const sam = await apiSignIn(users.socialWorker);
  const patient = await sam.post<{ id: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Walter',
    familyName: `Okafor${tag}`,
    birthDate: '1941-09-30',
    sex: 'male',
    preferredLanguage: 'en',
    phones: [{ use: 'home', number: '+1 555 010 4455' }],
    address: { line1: '7 Magazine St', city: 'Cambridge', state: 'MA', postalCode: '02139' },
    insurance: [{ payerType: 'medicare', payerName: 'Medicare', memberId: '1EG4TE5MK73' }],
  });
  patientId = patient.id;
  await sam.post(`/api/patients/${patient.id}/encounters`, {
    encounterClass: 'inpatient',
    unit: `E2E ${tag}`,
    room: '412',
    bed: 'A',
    admittedAt: new Date(Date.now() - 4 * 24 * HOUR).toISOString(),
  });
});

const panelOf = (page: Page) => page.getByRole('region', { name: 'Post-acute placement' });

test('an admin keeps the post-acute providers and their ratings', async ({ page }) => {
  const users = testUsers();
  await signInWithCode(page, users.placementAdmin, adminCode);
  await page.goto('/admin/post-acute');
  await expect(page.getByRole('heading', { level: 1, name: 'Post-acute providers' })).toBeVisible();
  const table = page.getByRole('table', { name: 'Post-acute providers' });
  for (const p of PROVIDERS) await expect(table.getByRole('row', { name: new RegExp(p.name) })).toBeVisible();
  await expectNoSeriousViolations(page, 'post-acute providers');

  // The third one's staffing star goes up a notch.
  await table.getByRole('button', { name: `Edit ${PROVIDERS[2]!.name}` }).click();
  const form = page.getByRole('form', { name: `Post-acute profile: ${PROVIDERS[2]!.name}` });
  await expect(form.getByRole('combobox', { name: 'Post-acute kind' })).toHaveValue(
    'Skilled nursing facility',
  );
  await expectNoSeriousViolations(page, 'post-acute provider form');
  await form.getByRole('combobox', { name: 'Staffing' }).click();
  await page.getByRole('option', { name: '4 stars' }).click();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form).toBeHidden();
  await expect(table.getByRole('row', { name: new RegExp(PROVIDERS[2]!.name) })).toContainText('Staffing 4');
});

test('a worker gives an SNF choice list, refers to three providers, and confirms the one that accepts', async ({
  page,
  browser,
}) => {
  test.setTimeout(300_000);
  const users = testUsers();
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patientId}/discharge`);
  const panel = panelOf(page);
  await expect(panel).toBeVisible();

  // The choice list: skilled nursing facilities within 5 miles of home, nearest first, with their ratings.
  await panel.getByRole('textbox', { name: 'Within (miles)' }).fill('5');
  await panel.getByRole('button', { name: 'Draw choice list' }).click();
  const offered = panel.getByRole('table', { name: 'Providers offered, nearest first' });
  await expect(offered.getByRole('row')).toHaveCount(4);
  await expect(offered.getByRole('row').nth(1)).toContainText(PROVIDERS[0]!.name);
  await expect(offered).toContainText('4 of 5 stars');
  await expectNoSeriousViolations(page, 'placement panel with a choice list');

  // The print page: the right to choose, the three providers with address, phone, distance and stars.
  await panel.getByRole('link', { name: 'Print for the patient' }).click();
  await expect(
    page.getByRole('heading', { level: 1, name: 'Your choice of skilled nursing facility providers' }),
  ).toBeVisible();
  await expect(page.getByText(/You have the right to choose any provider/)).toBeVisible();
  for (const p of PROVIDERS)
    await expect(page.getByRole('heading', { name: new RegExp(p.name) })).toBeVisible();
  await expect(page.getByText(/Overall 4 of 5 stars/).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'choice list print page');
  const printUrl = page.url();
  await page.goBack();
  await expect(panel).toBeVisible();

  // Handed to the patient; the patient's daughter chooses two, in order.
  await panel.getByRole('button', { name: 'Mark as given to the patient' }).click();
  await expect(panel.getByText(/given /)).toBeVisible();
  const choices = panel.getByRole('form', { name: 'The patient’s choice' });
  // The chosen providers' pills cover the field: a click lands on the input's frame, which opens the list.
  await choices.getByLabel('Chosen providers, in order of preference').click({ force: true });
  await page.getByRole('option', { name: PROVIDERS[1]!.name }).click();
  await page.getByRole('option', { name: PROVIDERS[0]!.name }).click();
  await page.keyboard.press('Escape');
  await choices.getByRole('combobox', { name: 'Chosen by' }).click();
  await page.getByRole('option', { name: 'Family' }).click();
  await choices.getByRole('textbox', { name: 'Name of who chose' }).fill('Ada Okafor (daughter)');
  await choices.getByRole('button', { name: 'Record the choice' }).click();
  await expect(choices.getByText(/^Recorded /)).toBeVisible();
  await expect(offered.getByRole('row', { name: new RegExp(PROVIDERS[1]!.name) })).toContainText('Choice 1');

  // Referral packets to all three, with the patient's consent.
  for (const p of PROVIDERS) await offered.getByRole('checkbox', { name: `Refer to ${p.name}` }).check();
  const send = panel.getByRole('form', { name: 'Send referral packets' });
  await send.getByRole('textbox', { name: 'Phone to reach the patient or family' }).fill('+1 555 010 4455');
  await send
    .getByRole('textbox', { name: 'Clinical note for the providers' })
    .fill('Needs daily PT after hip repair.');
  await send.getByRole('checkbox', { name: /The patient agreed/ }).check();
  await send.getByRole('button', { name: 'Send to 3 providers' }).click();
  const answers = panel.getByRole('table', { name: 'Each provider’s answer, side by side' });
  await expect(answers.getByRole('row')).toHaveCount(4);
  await expectNoSeriousViolations(page, 'placement panel with referrals');

  // The providers answer through their links: the first declines, the second accepts with a bed date.
  const bedDate = new Date(Date.now() + 2 * 24 * HOUR).toISOString().slice(0, 10);
  const partnerContext = await browser.newContext();
  const partner = await partnerContext.newPage();
  await partner.goto(linkIn((await mailTo(PROVIDERS[0]!.email, 1))[0]!, LINK));
  await expect(partner.getByRole('heading', { level: 1, name: PROVIDERS[0]!.name })).toBeVisible();
  await partner.getByRole('button', { name: 'Decline' }).click();
  const decline = partner.getByRole('form', { name: 'Decline' });
  await decline.getByRole('combobox').selectOption({ index: 1 });
  await decline.getByRole('button', { name: 'Decline' }).click();
  await expect(partner.getByRole('status').filter({ hasText: /declined/ })).toBeVisible();

  await partner.goto(linkIn((await mailTo(PROVIDERS[1]!.email, 1))[0]!, LINK));
  await expect(partner.getByRole('heading', { level: 1, name: PROVIDERS[1]!.name })).toBeVisible();
  await partner.getByRole('button', { name: 'Accept' }).click();
  const accept = partner.getByRole('form', { name: 'Accept' });
  await accept.getByLabel('Bed offered from').fill(bedDate);
  await expectNoSeriousViolations(partner, 'partner page: accept a placement');
  await accept.getByRole('button', { name: 'Accept' }).click();
  await expect(partner.getByRole('status').filter({ hasText: /accepted/ })).toBeVisible();
  // The third has its mail and says nothing yet.
  await mailTo(PROVIDERS[2]!.email, 1);
  await partnerContext.close();

  // Side by side: declined, accepted with a bed, still waiting.
  await page.reload();
  const row = (i: number) => answers.getByRole('row', { name: new RegExp(PROVIDERS[i]!.name) });
  await expect(row(0)).toContainText('Declined');
  await expect(row(1)).toContainText('Accepted');
  await expect(row(1)).toContainText(bedDate);
  await expect(row(1)).toContainText('Choice 1');
  await expect(row(2)).toContainText('Sent');
  await expect(row(0).getByRole('button', { name: /Confirm/ })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'placement panel with answers');

  // Confirm the accepted one: the one still waiting is cancelled, the plan's target becomes SNF.
  await row(1)
    .getByRole('button', { name: `Confirm ${PROVIDERS[1]!.name}` })
    .click();
  await expect(panel.getByText('Placement confirmed')).toBeVisible();
  await expect(row(1)).toContainText('Confirmed');
  await expect(row(2)).toContainText('Cancelled');
  await expect(row(2)).toContainText('Another provider was chosen');
  const sam = await apiSignIn(users.socialWorker);
  const { items: plans } = await sam.get<{ items: { targetDisposition: string | null }[] }>(
    `/api/patients/${patientId}/discharge-plans`,
  );
  expect(plans[0]!.targetDisposition).toBe('snf');
  // The plan editor saves after the confirmation (it has the plan's new version).
  await page.getByRole('textbox', { name: 'Note' }).first().fill('Going to SNF on the bed date.');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Target disposition' })).toHaveValue(
    'Skilled nursing facility',
  );
  const after = await sam.get<{ items: { targetDisposition: string | null; note: string | null }[] }>(
    `/api/patients/${patientId}/discharge-plans`,
  );
  expect(after.items[0]).toMatchObject({ targetDisposition: 'snf', note: 'Going to SNF on the bed date.' });
  await page.screenshot({ path: 'e2e/artifacts/placement-panel.png', fullPage: true });

  // Only people who may read the patient see the printed list: not a community partner.
  await page.context().clearCookies();
  await signIn(page, users.partner);
  await page.goto(printUrl);
  await expect(page.getByRole('alert')).toBeVisible();
  await expect(page.getByRole('heading', { name: /Your choice of/ })).toHaveCount(0);
});
