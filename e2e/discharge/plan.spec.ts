import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

const HOUR = 3_600_000;
/** An instant as a datetime-local input takes it, in the browser's (this machine's) zone. */
const localInput = (date: Date) =>
  new Date(date.getTime() - date.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

test('a worker plans a discharge from the unit list: the plan, a barrier and its avoidable days', async ({
  page,
}) => {
  const users = testUsers();
  const sam = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(sam, { givenName: 'Odalys', familyName: 'Quintero' });
  const unit = `E2E ${Date.now().toString(36).toUpperCase()}`;
  await sam.post(`/api/patients/${patient.id}/encounters`, {
    encounterClass: 'inpatient',
    unit,
    room: '301',
    bed: 'B',
    admittedAt: new Date(Date.now() - 4 * 24 * HOUR).toISOString(),
  });
  await signIn(page, users.socialWorker);

  // The unit list: the patient on the unit, day 4, with a plan and no barrier yet.
  await page.goto(`/discharge/units?unit=${encodeURIComponent(unit)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Unit list' })).toBeVisible();
  const list = page.getByRole('table', { name: `Patients in hospital on ${unit}, by room and bed` });
  const row = list.getByRole('row', { name: /Quintero, Odalys/ });
  await expect(row).toBeVisible();
  await expect(row.getByRole('cell', { name: '4', exact: true }).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'unit list');

  // The Discharge tab: the plan, LACE by part.
  await row.getByRole('link', { name: 'Quintero, Odalys' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}/discharge$`));
  await expect(page.getByRole('heading', { name: 'Discharge planning' })).toBeVisible();
  await expect(page.getByRole('table', { name: /LACE index, part by part/ })).toBeVisible();

  await page.getByRole('combobox', { name: 'Target disposition' }).click();
  await page.getByRole('option', { name: 'Skilled nursing facility' }).click();
  await page.getByRole('checkbox', { name: 'Home oxygen' }).check();
  await page.getByLabel('Expected discharge date').fill('2099-01-15');
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  // A barrier that has held the patient for two days, then ended: its avoidable days stay counted.
  await page.getByRole('combobox', { name: 'Barrier', exact: true }).click();
  await page.getByRole('option', { name: 'Awaiting transport' }).click();
  await page
    .getByLabel('Holding the patient since')
    .fill(localInput(new Date(Date.now() - 2 * 24 * HOUR - HOUR)));
  await page.getByRole('button', { name: 'Add barrier' }).click();
  const barriers = page.getByRole('table', { name: /Barriers with their avoidable days/ });
  await expect(barriers.getByText('Still holding')).toBeVisible();
  await expect(page.getByText(/^Avoidable days: [23]$/)).toBeVisible();
  await expectNoSeriousViolations(page, 'discharge tab');
  await barriers.getByRole('button', { name: 'End now: Awaiting transport' }).click();
  await expect(barriers.getByText('Still holding')).toHaveCount(0);
  await expect(page.getByText(/^Avoidable days: [23]$/)).toBeVisible();

  // Back on the unit list, the plan shows.
  await page.goto(`/discharge/units?unit=${encodeURIComponent(unit)}`);
  await expect(list.getByRole('row', { name: /Quintero, Odalys/ })).toContainText('Skilled nursing facility');
});

test('a supervisor reads the department discharge figures', async ({ page }) => {
  const users = testUsers();
  await signIn(page, users.supervisor);
  await page.goto('/reports/discharge');
  await expect(page.getByRole('heading', { level: 1, name: 'Discharge figures' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Length of stay' })).toBeVisible();
  await expect(page.getByRole('heading', { name: /^Avoidable days: \d+$/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'discharge figures');
});
