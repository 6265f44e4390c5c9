import { expect, test } from '@playwright/test';
import { apiSignIn, enrolMfaByApi, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { expectShell, submitOneTimeCode, submitPassword } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test.describe.configure({ mode: 'serial' });

test('the sign-in page, MFA step, patients, the worklist, a chart, users, the audit log, API tokens and the account page meet WCAG 2.1 AA', async ({
  page,
}) => {
  const users = testUsers();
  // Set-up through the API: the admin has MFA, and a social worker has a patient.
  const { recoveryCodes } = await enrolMfaByApi(users.auditAdmin);
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Amara', familyName: 'Okafor' });
  await worker.post('/api/cases', {
    patientId: patient.id,
    reasonCode: 'psychosocial-assessment',
    urgency: 'urgent',
    assignToMe: true,
  });

  await page.goto('/sign-in');
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
  await expectNoSeriousViolations(page, 'sign-in');

  await submitPassword(page, users.auditAdmin);
  await expect(page.getByLabel('One-time code')).toBeVisible();
  await expectNoSeriousViolations(page, 'MFA step');

  await submitOneTimeCode(page, recoveryCodes[0]!);
  await expectShell(page);
  await page.goto('/patients');
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /patients?$/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'patients list');

  // On a tablet in portrait the navigation folds behind a burger button.
  await page.setViewportSize({ width: 700, height: 1000 });
  await expect(page.getByRole('navigation', { name: 'Services' })).not.toBeInViewport();
  await page.getByRole('button', { name: 'Open navigation' }).click();
  await expect(
    page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Patients' }),
  ).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/patients-tablet.png' });
  await page.setViewportSize({ width: 1280, height: 720 });

  // The worklist of every open case, with the worker's case on it.
  await page.goto('/worklist?scope=all');
  await expect(page.getByRole('heading', { level: 1, name: 'Worklist' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Okafor, Amara' }).first()).toBeVisible();
  await expectNoSeriousViolations(page, 'worklist');
  await page.screenshot({ path: 'e2e/artifacts/worklist.png', fullPage: true });

  // The chart: its header and timeline, then its Details tab.
  await page.goto(`/patients/${patient.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /Amara\s+Okafor/ })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /entr(y|ies)$/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'patient page');
  // Kept for a person to look at (e2e/artifacts is not committed).
  await page.screenshot({ path: 'e2e/artifacts/patient-page.png', fullPage: true });
  await page.goto(`/patients/${patient.id}/details`);
  await expect(page.getByRole('table', { name: 'Demographics' })).toBeVisible();
  await expectNoSeriousViolations(page, 'patient details');

  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('cell', { name: users.socialWorker.email })).toBeVisible();
  await expectNoSeriousViolations(page, 'admin users');

  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /events?$/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'audit log');

  // API tokens, with a token just issued: the one-time secret and a row in the table.
  await page.goto('/admin/tokens');
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Account' }).fill('Sam Rivera');
  await page.getByRole('option', { name: `Sam Rivera (${users.socialWorker.email})` }).click();
  await page.getByLabel('Token name').fill('Accessibility check');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'it will not be shown again' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Revoke token Accessibility check' })).toBeVisible();
  await expectNoSeriousViolations(page, 'admin API tokens');

  // The account page of an admin: two-step sign-in on, password change, sessions.
  await page.goto('/account');
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expect(page.getByText('This session')).toBeVisible();
  await expectNoSeriousViolations(page, 'account');
});
