import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a worker outside the care team opens a chart under emergency access, with a reason', async ({
  page,
}) => {
  const users = testUsers();
  // First, a social worker registers a patient: only their care team may open the chart.
  const owner = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(owner, { givenName: 'Tomas', familyName: 'Lindqvist' });

  // Another worker finds the chart by MRN and is told they are not on the care team.
  await signIn(page, users.otherWorker);
  await page.goto('/patients');
  await page.getByLabel('Find by MRN').fill(patient.mrn);
  await page.getByRole('button', { name: 'Open chart' }).click();
  await expect(page.getByText("You are not on this patient's care team")).toBeVisible();

  // A short reason is refused; a real one opens the chart with a red banner.
  await page.getByRole('button', { name: 'Emergency access' }).click();
  await page.getByLabel('Reason for emergency access').fill('urgent');
  await page.getByRole('button', { name: 'Open the chart under emergency access' }).click();
  await expect(page.getByLabel('Reason for emergency access')).toHaveAttribute('aria-invalid', 'true');
  await page
    .getByLabel('Reason for emergency access')
    .fill('Patient collapsed in the lobby; the on-call worker needs the contacts.');
  await page.getByRole('button', { name: 'Open the chart under emergency access' }).click();
  await expect(page.getByText(/Emergency access until \d\d:\d\d/)).toBeVisible();
  await expect(page.getByRole('heading', { level: 1, name: /Tomas\s+Lindqvist/ })).toBeVisible();

  // The access log shows the emergency opening.
  await page.getByRole('link', { name: 'Access log' }).click();
  await expect(page.getByRole('table', { name: 'Access log of this record' })).toBeVisible();
  await expect(page.getByRole('table').getByText('Emergency').first()).toBeVisible();
});
