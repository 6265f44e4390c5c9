import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, test } from '@playwright/test';
import { apiSignIn, enrolMfaByApi, seedPatient } from '../support/api.ts';
import { expectShell, submitOneTimeCode, submitPassword } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

/** Runs axe for WCAG 2.1 A and AA and fails on serious or critical violations, listing them. */
async function expectNoSeriousViolations(page: Page, screen: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of serious) {
    console.error(
      `[${screen}] ${v.impact} ${v.id}: ${v.help}\n  ${v.nodes.map((n) => n.target.join(' ')).join('\n  ')}`,
    );
  }
  expect(
    serious.map((v) => `${v.id} (${v.nodes.length})`),
    `axe violations on ${screen}`,
  ).toEqual([]);
}

test.describe.configure({ mode: 'serial' });

test('the sign-in page, MFA step, patients, a chart, users and the audit log meet WCAG 2.1 AA', async ({
  page,
}) => {
  const users = testUsers();
  // Set-up through the API: the admin has MFA, and a social worker has a patient.
  const { recoveryCodes } = await enrolMfaByApi(users.auditAdmin);
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Amara', familyName: 'Okafor' });

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

  await page.goto(`/patients/${patient.id}`);
  await expect(page.getByRole('heading', { level: 1, name: /Amara\s+Okafor/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'patient page');
  // Kept for a person to look at (e2e/artifacts is not committed).
  await page.screenshot({ path: 'e2e/artifacts/patient-page.png', fullPage: true });

  await page.goto('/admin/users');
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await expect(page.getByRole('cell', { name: users.socialWorker.email })).toBeVisible();
  await expectNoSeriousViolations(page, 'admin users');

  await page.goto('/admin/audit');
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /events?$/ })).toBeVisible();
  await expectNoSeriousViolations(page, 'audit log');
});
