import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { AHC_FOOD_HOUSING_TRANSPORT, admitInpatient, completeAhcScreen } from '../support/screens.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

// The supervisor's report counts the admissions and the screen of the worker's story.
test.describe.configure({ mode: 'serial' });

const unit = `Needs ${Date.now().toString(36).toUpperCase()}`;
/** Mid-month of the month before this one: inside the report's default period (the last three full months). */
function lastMonthMid(): string {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 15, 10)).toISOString();
}

test('a worker sees the needs a screen found, resolves and declines them, records one, and the worklist counts the open', async ({
  page,
}) => {
  const users = testUsers();
  // First, Sam admits Rosa to a unit, opens her case, and gives her the AHC screen: food, housing and
  // transportation come back positive.
  const sam = await apiSignIn(users.socialWorker);
  const rosa = await seedPatient(sam, { givenName: 'Rosa', familyName: 'Quintanilla' });
  await admitInpatient(sam, rosa.id, unit, lastMonthMid());
  await sam.post('/api/cases', {
    patientId: rosa.id,
    reasonCode: 'psychosocial-assessment',
    urgency: 'urgent',
    assignToMe: true,
  });
  await completeAhcScreen(sam, rosa.id, AHC_FOOD_HOUSING_TRANSPORT);

  // The Needs tab lists the three, each found by the screen (a link to it).
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${rosa.id}`);
  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Needs' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${rosa.id}/needs$`));
  const table = page.getByRole('table', { name: /open first/ });
  const row = (label: string) =>
    table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label }) });
  for (const label of ['Food insecurity', 'Housing instability', 'Transportation insecurity']) {
    await expect(row(label).getByText('Identified', { exact: true })).toBeVisible();
    await expect(row(label).getByRole('link', { name: /AHC HRSN screen/ })).toHaveAttribute(
      'href',
      new RegExp(`/patients/${rosa.id}/assessments/`),
    );
  }
  await expect(table).toHaveAccessibleName(/3 open needs, 0 closed/);
  await expectNoSeriousViolations(page, 'needs tab');

  // Food is resolved with a note of how; the announcement says so and the need closes.
  await row('Food insecurity').getByRole('button', { name: 'Resolve: Food insecurity' }).click();
  const dialog = page.getByRole('dialog', { name: 'Resolve: Food insecurity' });
  await dialog.getByLabel('How it was resolved').fill('SNAP benefits started; food pantry referral given.');
  await expectNoSeriousViolations(page, 'resolve dialog');
  await dialog.getByRole('button', { name: 'Resolve need' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: 'Food insecurity resolved.' })).toBeVisible();
  await expect(row('Food insecurity').getByText('Resolved', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'History of Food insecurity' })).toBeFocused();

  // Declining needs the patient's reason: an empty one is refused in the form.
  await row('Housing instability')
    .getByRole('button', { name: 'Declined by the patient: Housing instability' })
    .click();
  const decline = page.getByRole('dialog', { name: 'Declined by the patient: Housing instability' });
  await decline.getByRole('button', { name: 'Record the decline' }).click();
  await expect(decline.getByLabel('The patient’s reason')).toHaveAttribute('aria-invalid', 'true');
  await decline
    .getByLabel('The patient’s reason')
    .fill('Staying with her sister; does not want a housing referral.');
  await decline.getByRole('button', { name: 'Record the decline' }).click();
  await expect(decline).toBeHidden();
  await expect(row('Housing instability').getByText('Declined', { exact: true })).toBeVisible();

  // Open needs come first; the history of the decline says who, when and why.
  await expect(table.getByRole('rowheader').first()).toHaveText('Transportation insecurity');
  await row('Housing instability').getByRole('button', { name: 'History of Housing instability' }).click();
  const history = page.getByRole('list', { name: 'History of Housing instability' });
  await expect(history.getByRole('listitem').filter({ hasText: 'Declined by the patient' })).toContainText(
    'Sam Rivera',
  );
  await expect(history).toContainText('does not want a housing referral');
  await expectNoSeriousViolations(page, 'needs tab with history');
  // Kept for a person to look at (e2e/artifacts is not committed).
  await page.screenshot({ path: 'e2e/artifacts/needs-tab.png', fullPage: true });

  // Recording a need already open is refused, with a link to the open one.
  await page.getByRole('button', { name: 'Record a need' }).click();
  const form = page.getByRole('region', { name: 'Record a need' });
  await form
    .getByRole('combobox', { name: 'Need' })
    .selectOption({ label: 'Transportation insecurity (already open)' });
  await form.getByRole('button', { name: 'Record need' }).click();
  await expect(form.getByRole('alert')).toContainText('This need is already open');
  await form.getByRole('link', { name: 'Go to the open need: Transportation insecurity' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${rosa.id}/needs/[0-9a-f-]{36}$`));
  await expect(page.getByRole('list', { name: 'History of Transportation insecurity' })).toBeVisible();

  // A need found at the bedside is recorded by hand.
  await page.getByRole('button', { name: 'Record a need' }).click();
  await form.getByRole('combobox', { name: 'Need' }).selectOption({ label: 'Utility insecurity' });
  await form.getByLabel('Note').fill('Electric company sent a shut-off notice.');
  await form.getByRole('button', { name: 'Record need' }).click();
  await expect(
    page.getByRole('status').filter({ hasText: 'Utility insecurity recorded as a need.' }),
  ).toBeVisible();
  await expect(row('Utility insecurity').getByText('Recorded by a worker')).toBeVisible();

  // Someone else changes transportation meanwhile (resolved and reopened): the first try is refused as
  // stale, the dialog reloads and says so, and the second try goes through.
  const { items } = await sam.get<{ items: { id: string; domain: string; version: number }[] }>(
    `/api/patients/${rosa.id}/needs`,
  );
  const transport = items.find((n) => n.domain === 'transportation-insecurity');
  if (!transport) throw new Error('no transportation need');
  const resolved = await sam.post<{ version: number }>(`/api/needs/${transport.id}/transition`, {
    action: 'resolve',
    version: transport.version,
  });
  await sam.post(`/api/needs/${transport.id}/transition`, { action: 'reopen', version: resolved.version });
  await row('Transportation insecurity')
    .getByRole('button', { name: 'Resolve: Transportation insecurity' })
    .click();
  const resolve = page.getByRole('dialog', { name: 'Resolve: Transportation insecurity' });
  await resolve.getByRole('button', { name: 'Resolve need' }).click();
  await expect(resolve.getByRole('alert')).toContainText('This need changed while you were looking at it');
  await resolve.getByRole('button', { name: 'Resolve need' }).click();
  await expect(resolve).toBeHidden();
  await expect(row('Transportation insecurity').getByText('Resolved', { exact: true })).toBeVisible();
  await expect(table).toHaveAccessibleName(/1 open need, 3 closed/);

  // The worklist counts Rosa's one open need, in words for screen readers.
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Worklist' }).click();
  const worklistRow = page
    .getByRole('table', { name: 'My worklist' })
    .getByRole('row')
    .filter({ hasText: rosa.mrn });
  await expect(worklistRow.getByRole('cell', { name: '1 open need', exact: true })).toBeVisible();
  await expectNoSeriousViolations(page, 'worklist with needs');
  await page.screenshot({ path: 'e2e/artifacts/worklist-needs.png' });
});

test('a supervisor reads screening coverage by month and unit, with its definitions', async ({ page }) => {
  const users = testUsers();
  // Two more admissions on the unit: one never screened, one who opted out of the screen (excluded).
  const sam = await apiSignIn(users.socialWorker);
  const tomas = await seedPatient(sam, { givenName: 'Tomas', familyName: 'Ibarra' });
  await admitInpatient(sam, tomas.id, unit, lastMonthMid());
  const alma = await seedPatient(sam, { givenName: 'Alma', familyName: 'Quispe' });
  await admitInpatient(sam, alma.id, unit, lastMonthMid());
  const draft = await sam.post<{ id: string; version: number }>(`/api/patients/${alma.id}/assessments`, {
    instrument: 'ahc-hrsn',
  });
  await sam.post(`/api/assessments/${draft.id}/decline`, { version: draft.version, reason: 'opted-out' });

  // Grace opens the report from the navigation: the last three full months by default.
  await signIn(page, users.supervisor);
  await page
    .getByRole('navigation', { name: 'Services' })
    .getByRole('link', { name: 'Screening coverage' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'Screening coverage' })).toBeVisible();
  await expect(page.getByLabel('Admitted from')).not.toHaveValue('');
  await expect(page.getByRole('heading', { level: 2, name: 'How the measures are counted' })).toBeVisible();

  // Only this story's unit: Rosa screened (food, housing, transportation positive), Tomas not, Alma excluded.
  await page.getByRole('combobox', { name: 'Unit' }).fill(unit);
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Show report' }).click();
  await expect.poll(() => new URL(page.url()).searchParams.get('unit')).toBe(unit);
  const table = page.getByRole('table', { name: /Screening coverage by month of admission and unit/ });
  const row = table.getByRole('row').filter({ has: page.getByRole('rowheader', { name: unit }) });
  const cells = row.getByRole('cell');
  // Admitted, excluded, eligible, screened, SDOH-1; then food, housing, transportation, utilities, safety.
  await expect(cells).toHaveText([
    '3',
    '1',
    '2',
    '1',
    '50.0%',
    '1',
    '100.0%',
    '1',
    '100.0%',
    '1',
    '100.0%',
    '0',
    '0.0%',
    '0',
    '0.0%',
  ]);
  await expect(table.getByRole('rowheader', { name: 'Total' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'SDOH-1 screening rate' })).toBeVisible();

  // The same report as CSV, from the server.
  const csvHref = await page.getByRole('link', { name: 'Download CSV' }).getAttribute('href');
  expect(csvHref).toContain('format=csv');
  const csv = await page.request.get(csvHref ?? '');
  expect(csv.headers()['content-type']).toContain('text/csv');
  expect(await csv.text()).toContain(unit);
  await expectNoSeriousViolations(page, 'screening coverage report');
  await page.screenshot({ path: 'e2e/artifacts/screening-coverage.png', fullPage: true });
});
