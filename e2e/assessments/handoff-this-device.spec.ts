import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { startAssessment } from '../support/assessments.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('with no second device, "Use this device" signs the worker out and opens the patient page here', async ({
  page,
}) => {
  const users = testUsers();
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Beatriz', familyName: 'Oyelaran' });
  const draft = await startAssessment(worker, patient.id, 'hunger-vital-sign');
  const lace = await startAssessment(worker, patient.id, 'lace');

  // The LACE index has no Spanish wording: the dialog says so instead of offering it.
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments/${lace.id}`);
  await page.getByRole('button', { name: 'Hand to patient' }).click();
  const laceDialog = page.getByRole('dialog', { name: 'Hand to patient' });
  await expect(laceDialog.getByRole('radio', { name: 'Spanish' })).toBeDisabled();
  await expect(laceDialog.getByRole('radio', { name: 'English' })).toBeChecked();
  await expect(laceDialog.getByText(/no published Spanish wording of this instrument/)).toBeVisible();
  await laceDialog.getByRole('button', { name: 'Cancel' }).click();

  await page.goto(`/patients/${patient.id}/assessments/${draft.id}`);
  await page.getByRole('button', { name: 'Hand to patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand to patient' });
  await dialog.getByRole('radio', { name: 'English' }).check();
  await dialog.getByRole('button', { name: 'Create the patient link' }).click();
  await dialog.getByRole('button', { name: 'Use this device' }).click();

  // The patient's page, in English, with the worker signed out behind it.
  await expect(page).toHaveURL(/\/fill\/[\w-]{20,}$/);
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByText('0 of 2 answered')).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Services' })).toHaveCount(0);
  for (const question of [/worried/, /didn't last/]) {
    await page
      .getByRole('radiogroup', { name: question })
      .getByRole('radio', { name: 'Sometimes true' })
      .check();
  }
  await page.getByRole('button', { name: 'Submit my answers' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Thank you' })).toBeVisible();
  await expect(page.getByText('Thank you — please hand the device back.')).toBeVisible();

  // Handed back: the chart asks the worker to sign in again, then shows the patient's answers scored.
  await page.goto(`/patients/${patient.id}/assessments/${draft.id}`);
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments/${draft.id}`);
  await expect(page.getByRole('heading', { level: 2, name: /^Result: Hunger Vital Sign/ })).toBeVisible();
  await expect(
    page.getByRole('region', { name: 'Score' }).getByText('Positive', { exact: true }),
  ).toBeVisible();
  await expect(page.getByText(/answered by the patient on a tablet, in English/)).toBeVisible();
});
