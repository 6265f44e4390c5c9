import { expect, test } from '@playwright/test';
import { PSYCHOSOCIAL_SECTIONS } from '../../domain/assessments.ts';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a worker writes the psychosocial assessment, prints it, and amends it; a declined screen keeps its reason', async ({
  page,
  browser,
}) => {
  const users = testUsers();
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Ewa', familyName: 'Kowalczyk' });
  // Her attending physician is on the care team: a clinician, who may read the assessment but not its
  // substance-use section.
  const clinician = await apiSignIn(users.clinician);
  const { user: attending } = await clinician.get<{ user: { id: string } }>('/api/auth/me');
  await worker.post(`/api/patients/${patient.id}/care-team`, { userId: attending.id, teamRole: 'Attending' });

  // Sam starts the psychosocial assessment from the chart's menu; the form opens on its first section.
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments`);
  await page.getByRole('button', { name: 'Give an instrument' }).click();
  await page.getByRole('menuitem', { name: 'Psychosocial assessment' }).click();
  await expect(page.getByRole('heading', { level: 2, name: 'Psychosocial assessment' })).toBeVisible();
  await expect(page.getByLabel('Living situation')).toBeFocused();
  await expect(page.getByText('0 of 12 sections written')).toBeVisible();

  await page
    .getByLabel('Living situation')
    .fill('Lives alone in a second-floor walk-up; landlord has served notice.');
  await page
    .getByLabel(/Substance use/)
    .fill('Drinks two to three glasses of wine most evenings; open to talking.');
  await expect(
    page.getByText('Shown only to social work staff; every reading of it is recorded.'),
  ).toBeVisible();
  await page.getByLabel('Strengths').fill('Close to her sister; managed her own medications for years.');
  await page
    .getByLabel('Summary and impression')
    .fill('Housing at risk; needs a housing referral before discharge.');
  await expect(page.getByText('4 of 12 sections written')).toBeVisible();
  await expect(page.getByText(/^Saved \d\d:\d\d$/)).toBeVisible();
  await expectNoSeriousViolations(page, 'psychosocial form');

  // Completed: read-only, each section under its heading.
  await page.getByRole('button', { name: 'Complete' }).click();
  await expect(page.getByRole('button', { name: 'Print' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Living situation' })).toContainText(
    'landlord has served notice',
  );
  await expect(page.getByRole('region', { name: 'Legal issues' })).toContainText('Not written.');
  await expectNoSeriousViolations(page, 'psychosocial view');
  await page.screenshot({ path: 'e2e/artifacts/psychosocial-view.png', fullPage: true });

  // In print: no app shell or buttons; the patient, the author and date, and every section with its heading.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Services' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  const printed = page.getByTestId('print-document');
  await expect(printed).toBeVisible();
  await expect(printed.getByRole('heading', { level: 1, name: 'Psychosocial assessment' })).toBeVisible();
  await expect(printed).toContainText('Ewa');
  await expect(printed).toContainText('Kowalczyk');
  await expect(printed).toContainText('Born Mar 14, 1948');
  await expect(printed).toContainText(`MRN ${patient.mrn}`);
  await expect(printed).toContainText(/Completed .* by Sam Rivera/);
  for (const section of PSYCHOSOCIAL_SECTIONS) {
    await expect(
      printed.getByRole('heading', { level: 2, name: new RegExp(`^${section.label}`) }),
    ).toBeVisible();
  }
  await expect(printed).toContainText('Housing at risk; needs a housing referral before discharge.');
  await page.screenshot({ path: 'e2e/artifacts/psychosocial-print.png', fullPage: true });
  await page.pdf({ path: 'e2e/artifacts/psychosocial-assessment.pdf' });
  await page.emulateMedia({ media: 'screen' });
  await expect(printed).toBeHidden();

  // Corrected by an amendment, with the reason; the original stays, marked superseded.
  await page.getByRole('button', { name: 'Amend' }).click();
  await expect(page.getByLabel('Reason for the amendment')).toBeFocused();
  await expect(page.getByLabel('Living situation')).toHaveValue(/landlord has served notice/);
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await expect(page.getByText('Say why the assessment is corrected')).toBeVisible();
  await page.getByLabel('Reason for the amendment').fill('Sister lives nearby, not out of state.');
  await page.getByLabel('Strengths').fill('Sister lives ten minutes away and visits daily.');
  await page.getByRole('button', { name: 'Save amendment' }).click();
  await expect(
    page.getByRole('main').getByText(/Reason: Sister lives nearby, not out of state\./),
  ).toBeVisible();
  await expect(page.getByRole('region', { name: 'Strengths' })).toContainText('visits daily');
  const amendmentUrl = page.url();
  await page.getByRole('link', { name: 'Open the original' }).click();
  await expect(page.getByText('Superseded by an amendment')).toBeVisible();
  await expect(page.getByRole('region', { name: 'Strengths' })).toContainText('managed her own medications');
  await expect(page.getByRole('button', { name: 'Amend' })).toHaveCount(0);

  // The attending reads it, except the sensitive section, which shows only that it exists.
  const doctor = await (await browser.newContext()).newPage();
  await signIn(doctor, users.clinician);
  await doctor.goto(amendmentUrl);
  await expect(doctor.getByRole('heading', { level: 2, name: 'Psychosocial assessment' })).toBeVisible();
  await expect(doctor.getByRole('region', { name: 'Living situation' })).toContainText(
    'landlord has served notice',
  );
  await expect(doctor.getByText('Restricted section: only social work staff may read it.')).toBeVisible();
  await expect(doctor.getByText(/glasses of wine/)).toHaveCount(0);
  await expect(doctor.getByRole('button', { name: 'Amend' })).toHaveCount(0);
  await expectNoSeriousViolations(doctor, 'psychosocial view, restricted');
  await doctor.context().close();

  // A screen the patient would not do is recorded as declined, with the reason.
  await page.goto(`/patients/${patient.id}/assessments`);
  await page.getByRole('button', { name: 'Give an instrument' }).click();
  await page.getByRole('menuitem', { name: /^HITS/ }).click();
  await page.getByRole('button', { name: 'Record decline' }).click();
  const dialog = page.getByRole('dialog', { name: 'Record that the screen was not done' });
  await dialog.getByRole('radio', { name: 'The patient declined the screen' }).check();
  await dialog.getByRole('button', { name: 'Record decline' }).click();
  await expect(page.getByText('Not done: The patient declined the screen')).toBeVisible();
});
