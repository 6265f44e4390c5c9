import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { completePhq9, PHQ_POINTS, questionnaireResponse, startAssessment } from '../support/assessments.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a completed screen is corrected only by an amendment, with a reason; the original stays, superseded', async ({
  page,
}) => {
  const users = testUsers();
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Kazimierz', familyName: 'Wierzbicki' });
  const original = await completePhq9(worker, patient.id, 0);

  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments/${original.id}`);
  await expect(
    page.getByRole('heading', { level: 2, name: /^Result: Patient Health Questionnaire-9/ }),
  ).toBeVisible();
  // Completed means locked: no answer can be changed in place.
  await expect(page.getByRole('radio')).toHaveCount(0);

  // The same form, prefilled, with the reason first.
  await page.getByRole('button', { name: 'Amend' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: /^Amend: Patient Health Questionnaire-9/ }),
  ).toBeVisible();
  await expect(page.getByLabel('Reason for the amendment')).toBeFocused();
  const first = page.getByRole('radiogroup', { name: /^1\. / });
  await expect(first.getByRole('radio', { name: 'Not at all' })).toBeChecked();
  await page
    .getByLabel('Reason for the amendment')
    .fill('Misheard the first answer; the patient said several days.');
  await first.getByRole('radio', { name: 'Several days' }).check();
  await expect(
    page.getByRole('region', { name: 'Live score' }).getByText('1', { exact: true }),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Save amendment' }).click();

  // The amendment is a new result; the original is kept and points at it.
  await expect(page).not.toHaveURL(new RegExp(original.id));
  await expect(page.getByRole('region', { name: 'Score' }).getByText('1', { exact: true })).toBeVisible();
  await expect(page.getByText(/Reason: Misheard the first answer/)).toBeVisible();
  await expectNoSeriousViolations(page, 'amendment');
  await page.getByRole('link', { name: 'Open the original' }).click();
  await expect(page).toHaveURL(new RegExp(original.id));
  await expect(page.getByText('Superseded by an amendment')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Score' }).getByText('0', { exact: true })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Amend' })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'superseded original');

  // The list shows both, marked.
  await page.getByRole('link', { name: 'All assessments' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'Superseded' })).toHaveCount(1);
  await expect(page.getByRole('row').filter({ hasText: 'Amendment' })).toHaveCount(1);
});

test('a draft saved meanwhile elsewhere is reloaded, and a discarded draft leaves the list', async ({
  page,
}) => {
  const users = testUsers();
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Aiyana', familyName: 'Redcloud' });
  const draft = await startAssessment(worker, patient.id, 'phq-2');

  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments/${draft.id}`);
  const question = (n: number) => page.getByRole('radiogroup', { name: new RegExp(`^${n}\\. `) });
  await expect(question(1).getByRole('radio').first()).toBeFocused();

  // Meanwhile the same draft is saved from somewhere else (another tab, the patient's tablet).
  await worker.request('PUT', `/api/assessments/${draft.id}/draft`, {
    version: draft.version,
    response: questionnaireResponse('phq-2', { '44250-9': PHQ_POINTS[3]! }),
  });

  // This form's next save loses (409): it reloads the latest answers and says so.
  await question(2).getByRole('radio', { name: 'Several days' }).check();
  await expect(
    page.getByRole('status').filter({ hasText: 'Someone else saved this assessment' }),
  ).toBeVisible();
  await expect(question(1).getByRole('radio', { name: 'Nearly every day' })).toBeChecked();
  await expect(question(2).getByRole('radio', { name: 'Several days' })).not.toBeChecked();

  // Discarded: back to the list, where it is no longer a draft to resume.
  await page.getByRole('button', { name: 'Discard draft' }).click();
  const dialog = page.getByRole('dialog', { name: 'Discard this draft?' });
  await dialog.getByRole('button', { name: 'Discard draft' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}/assessments$`));
  await expect(page.getByRole('region', { name: 'Drafts to resume' })).toHaveCount(0);
  // Discarded drafts are not listed at all.
  await expect(page.getByText('No assessment has been given to this patient yet.')).toBeVisible();
});
