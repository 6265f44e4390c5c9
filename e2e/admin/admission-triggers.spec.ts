import { expect, test } from '@playwright/test';
import { enrolMfaByApi } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn, signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a supervisor reads the admission triggers, which only admins may change', async ({ page }) => {
  const users = testUsers();
  await signIn(page, users.supervisor);
  await page.goto('/admin/admission-triggers');
  await expect(page.getByRole('heading', { level: 1, name: 'Admission triggers' })).toBeVisible();
  await expect(page.getByRole('form', { name: 'Admission triggers' })).toBeVisible();
  // Read only: no way to add, remove or save rules.
  await expect(page.getByRole('button', { name: 'Add a rule' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save rules' })).toHaveCount(0);
  await expectNoSeriousViolations(page, 'admission triggers (read only)');
  // The API refuses a supervisor's change.
  const refused = await page.request.put('/api/admin/admission-triggers', { data: { rules: [] } });
  expect([403, 401]).toContain(refused.status());
});

test('an admin adds admission trigger rules, is shown a field error, and saves them', async ({ page }) => {
  const admin = testUsers().triggersAdmin;
  const { recoveryCodes } = await enrolMfaByApi(admin);
  await signInWithCode(page, admin, recoveryCodes[0]!);
  await page.goto('/admin/admission-triggers');
  await expect(page.getByRole('heading', { level: 1, name: 'Admission triggers' })).toBeVisible();

  // A first rule: aged 75 or more → a screening task (the defaults of a new rule).
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const first = page.getByRole('region', { name: /Rule 1/ });
  await first.getByRole('textbox', { name: 'Name' }).fill('Aged 75 or more');
  await first.getByRole('textbox', { name: 'Code' }).fill('age-75');

  // A second: readmitted within 30 days → an urgent case; a bad code is refused before saving.
  await page.getByRole('button', { name: 'Add a rule' }).click();
  const second = page.getByRole('region', { name: /Rule 2/ });
  await second.getByRole('textbox', { name: 'Name' }).fill('Readmitted within 30 days');
  await second.getByRole('textbox', { name: 'Code' }).fill('Readmit 30');
  await second.getByLabel('When', { exact: true }).click();
  await page.getByRole('option', { name: 'Readmitted within days' }).click();
  await second.getByLabel('Then', { exact: true }).click();
  await page.getByRole('option', { name: 'Open a case for triage' }).click();
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(second.getByRole('textbox', { name: 'Code' })).toHaveAttribute('aria-invalid', 'true');
  await expectNoSeriousViolations(page, 'admission triggers (editing)');

  await second.getByRole('textbox', { name: 'Code' }).fill('readmit-30');
  await page.getByRole('button', { name: 'Save rules' }).click();
  await expect(page.getByRole('status')).toHaveText('Admission triggers saved.');

  // What was saved is what the API now answers.
  const saved = await (await page.request.get('/api/admin/admission-triggers')).json();
  expect(saved.rules.map((r: { id: string; action: { kind: string } }) => [r.id, r.action.kind])).toEqual([
    ['age-75', 'task'],
    ['readmit-30', 'case'],
  ]);
});
