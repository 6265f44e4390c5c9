import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations as expectAccessible } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a clinician requests a consult, a supervisor assigns it, and the worker finds it on the worklist and adds a task', async ({
  browser,
}) => {
  const users = testUsers();
  // The clinician's patient, registered through the API: the clinician joins the care team.
  const clinicianApi = await apiSignIn(users.clinician);
  const patient = await seedPatient(clinicianApi, { givenName: 'Teodora', familyName: 'Villanueva' });

  // First, the clinician asks for a social worker.
  const clinician = await (await browser.newContext()).newPage();
  await signIn(clinician, users.clinician);
  await clinician.goto(`/consults/new?patientId=${patient.id}`);
  await expect(clinician.getByRole('heading', { level: 1 })).toBeVisible();
  await expectAccessible(clinician, 'consult request');
  await clinician.getByLabel('Reason').selectOption({ label: 'Discharge planning' });
  await clinician.getByRole('radio', { name: 'Urgent' }).check();
  await clinician.getByLabel('Details').fill('Lives alone, new oxygen, daughter out of state.');
  await clinician.getByRole('button', { name: 'Request consult' }).click();
  await expect(clinician).toHaveURL(new RegExp(`/patients/${patient.id}/cases`));
  await expect(clinician.getByText('Discharge planning').first()).toBeVisible();

  // The supervisor sees it in the triage queue and assigns it to a worker, judging by caseloads.
  const supervisor = await (await browser.newContext()).newPage();
  await signIn(supervisor, users.supervisor);
  await supervisor.getByRole('link', { name: 'Triage' }).click();
  const row = supervisor.getByRole('row', { name: /Villanueva/ });
  await expect(row).toBeVisible();
  await expectAccessible(supervisor, 'triage');
  await row.getByRole('button', { name: 'Assign' }).click();
  const dialog = supervisor.getByRole('dialog');
  const workerOption = dialog.locator('option', { hasText: 'Wen Casework' });
  await dialog.getByLabel('Social worker').selectOption((await workerOption.getAttribute('value')) ?? '');
  await dialog.getByRole('button', { name: 'Assign' }).click();
  await expect(dialog).toBeHidden();
  await expect(supervisor.getByRole('row', { name: /Villanueva/ })).toHaveCount(0);

  // The worker's worklist shows the new case; the keyboard opens the chart.
  const worker = await (await browser.newContext()).newPage();
  await signIn(worker, users.caseWorker);
  await worker.goto('/worklist');
  await expect(worker.getByRole('link', { name: /Villanueva/ })).toBeVisible();
  await expectAccessible(worker, 'worklist');
  await worker.keyboard.press('j');
  await worker.keyboard.press('Enter');
  await expect(worker).toHaveURL(new RegExp(`/patients/${patient.id}`));
  await expect(worker.getByRole('heading', { level: 1, name: /Teodora\s+Villanueva/ })).toBeVisible();
  await expectAccessible(worker, 'chart');

  // And adds a task on the chart.
  await worker
    .getByRole('navigation', { name: 'Chart sections' })
    .getByRole('link', { name: 'Tasks' })
    .click();
  await worker.getByRole('button', { name: 'Add task' }).click();
  await worker.getByLabel('Title').fill('Call daughter about home oxygen set-up');
  await worker.getByRole('button', { name: 'Add task' }).click();
  await expect(worker.getByText('Call daughter about home oxygen set-up')).toBeVisible();
});

test('a worker raises a crisis-risk flag on the chart and the header shows it first', async ({ page }) => {
  const users = testUsers();
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Oksana', familyName: 'Hrytsenko' });
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/flags`);
  await expect(page.getByRole('heading', { level: 2, name: 'Flags' })).toBeVisible();
  await expectAccessible(page, 'flags');
  await page.getByLabel('Flag', { exact: true }).selectOption({ label: 'Crisis risk' });
  await page.getByLabel('Note').fill('Said she has thought about ending her life; safety plan today.');
  await page.getByRole('button', { name: 'Raise flag' }).click();
  await expect(page.getByRole('list', { name: 'Flags' }).getByText('Crisis risk')).toBeVisible();
});
