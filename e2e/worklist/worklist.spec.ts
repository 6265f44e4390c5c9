import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

// The supervisor's story looks at the caseload the worker's story fills.
test.describe.configure({ mode: 'serial' });

test('a social worker starts the day on the worklist and opens a chart with the keyboard', async ({
  page,
}) => {
  const users = testUsers();
  // First, Sam registers a patient and opens an emergent case for themself.
  const sam = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(sam, { givenName: 'Lucia', familyName: 'Ferreira' });
  await sam.post('/api/cases', {
    patientId: patient.id,
    reasonCode: 'discharge-planning',
    urgency: 'emergent',
    assignToMe: true,
  });

  // Signing in lands on the worklist, with the patient's row and its flags in words.
  await signIn(page, users.socialWorker);
  await expect(page.getByRole('heading', { level: 1, name: 'My worklist' })).toBeVisible();
  const table = page.getByRole('table', { name: 'My worklist' });
  const row = table.getByRole('row').filter({ hasText: patient.mrn });
  await expect(row.getByRole('link', { name: 'Ferreira, Lucia' })).toBeVisible();
  await expect(row.getByText('Interpreter needed')).toBeVisible();
  await expect(row.getByText('Emergent')).toBeVisible();

  // j moves the selection down the rows, k back up; the selected row's link has the focus.
  const link = row.getByRole('link', { name: 'Ferreira, Lucia' });
  for (let i = 0; i < 50 && !(await link.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('j');
  }
  await expect(link).toBeFocused();
  await expect(row).toHaveAttribute('data-selected', 'true');

  // / jumps to the filters, and back on the row Enter opens the chart.
  await page.keyboard.press('/');
  await expect(page.getByRole('combobox', { name: 'Unit' })).toBeFocused();
  await link.focus();
  await page.keyboard.press('Enter');

  // The chart: flags first, language and interpreter, the case, and the timeline.
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}$`));
  await expect(page.getByRole('heading', { level: 1, name: /Lucia\s+Ferreira/ })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Flags' }).getByText('Interpreter needed')).toBeVisible();
  await expect(page.getByText('Spanish (needs an interpreter)')).toBeVisible();
  await expect(page.getByRole('definition').filter({ hasText: 'Discharge planning' })).toBeVisible();
  const sections = page.getByRole('navigation', { name: 'Chart sections' });
  await expect(sections.getByRole('link', { name: 'Timeline' })).toHaveAttribute('aria-current', 'page');
  await expect(page.getByRole('group', { name: 'Show' })).toBeVisible();

  // The tabs are links: Details holds the demographics and their editing.
  await sections.getByRole('link', { name: 'Details' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}/details$`));
  await expect(page.getByRole('button', { name: 'Edit details' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: /Lucia\s+Ferreira/ })).toBeVisible();
});

test('a supervisor switches the worklist to the unassigned queue and to a worker’s caseload', async ({
  page,
}) => {
  const users = testUsers();
  await signIn(page, users.supervisor);
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Worklist' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'My worklist' })).toBeVisible();
  await page.getByText('Unassigned', { exact: true }).click();
  await expect(page.getByRole('table', { name: 'Unassigned cases' })).toBeVisible();
  await page.getByText('A worker’s caseload', { exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Choose a worker' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Worker' }).click();
  await page.getByRole('option', { name: 'Sam Rivera' }).click();
  await expect(page.getByRole('table', { name: 'Caseload of Sam Rivera' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Ferreira, Lucia' }).first()).toBeVisible();
});
