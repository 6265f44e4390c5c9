import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a social worker records the family, with what each may be told, and a hospital stay', async ({
  page,
}) => {
  const users = testUsers();
  const sam = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(sam, { givenName: 'Halima', familyName: 'Warsame' });
  await signIn(page, users.socialWorker);

  // Family: an empty form is refused field by field; a complete one shows who may be told what.
  await page.goto(`/patients/${patient.id}/family`);
  await page.getByRole('button', { name: 'Add a contact' }).click();
  await page.getByRole('switch', { name: 'The patient authorised sharing information' }).check();
  await page.getByRole('button', { name: 'Add contact' }).click();
  await expect(page.getByRole('textbox', { name: 'Name' })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Authorised on')).toHaveAttribute('aria-invalid', 'true');

  await page.getByRole('textbox', { name: 'Name' }).fill('Hodan Warsame');
  await page.getByRole('combobox', { name: 'Relationship to the patient' }).click();
  await page.getByRole('option', { name: 'Child', exact: true }).click();
  await page.getByLabel('Phone 1 number').fill('+1 617 555 0144');
  await page.getByLabel('Emergency contact').check();
  await page.getByLabel('Authorised on').fill('2026-01-05');
  await page.getByRole('combobox', { name: 'What may be shared' }).click();
  await page.getByRole('option', { name: 'Care and discharge planning only' }).click();
  await page.getByLabel('Until (leave empty for no end)').fill('2099-12-31');
  await page.getByRole('button', { name: 'Add contact' }).click();

  const card = page.getByRole('article', { name: 'Hodan Warsame' });
  await expect(
    card.getByText('May be told: care and discharge planning only, until Dec 31, 2099'),
  ).toBeVisible();
  await expect(card.getByText('Emergency contact')).toBeVisible();
  await expect(card.getByRole('link', { name: '+1 617 555 0144 (mobile)' })).toBeVisible();
  await expectNoSeriousViolations(page, 'family tab');

  // Visits: an admission, then the discharge, each in the list.
  await page.goto(`/patients/${patient.id}/visits`);
  await page.getByRole('button', { name: 'Record an admission or visit' }).click();
  await page.getByLabel('Unit').fill('5 West');
  await page.getByLabel('Room').fill('512');
  await page.getByRole('button', { name: 'Record the visit' }).click();
  const table = page.getByRole('table', { name: 'Hospital and clinic visits, newest first' });
  await expect(table.getByText('5 West, room 512')).toBeVisible();
  await expectNoSeriousViolations(page, 'visits tab');
  await table.getByRole('button', { name: /^Discharge from the visit/ }).click();
  await page.getByRole('combobox', { name: 'Disposition' }).click();
  await page.getByRole('option', { name: 'Skilled nursing facility' }).click();
  await page.getByRole('button', { name: 'Record the discharge' }).click();
  await expect(table.getByText('Skilled nursing facility')).toBeVisible();
});

test('registering someone who looks already registered warns first, and registers once confirmed', async ({
  page,
}) => {
  const users = testUsers();
  const sam = await apiSignIn(users.socialWorker);
  await seedPatient(sam, { givenName: 'Teodor', familyName: 'Marinescu' });
  await signIn(page, users.socialWorker);

  await page.goto('/patients/new');
  await page.getByLabel('MRN').fill(uniqueMrn('DUP'));
  await page.getByLabel('Given name').fill('Teodor');
  await page.getByLabel('Family name').fill('Marinesku');
  await page.getByLabel('Date of birth').fill('1948-03-14');
  await page.getByRole('combobox', { name: 'Sex' }).click();
  await page.getByRole('option', { name: 'Male', exact: true }).click();
  await page.getByRole('button', { name: 'Create patient' }).click();

  const warning = page.getByRole('alert').filter({ hasText: 'This patient may already be registered' });
  await expect(warning).toBeVisible();
  await expect(warning.getByRole('link', { name: 'Marinescu, Teodor' })).toBeVisible();
  await expect(warning.getByText('Same date of birth and a similar name')).toBeVisible();
  await expectNoSeriousViolations(page, 'duplicate warning');
  await warning.getByRole('button', { name: 'Not the same person: register anyway' }).click();
  await expect(page.getByRole('heading', { level: 1, name: /Teodor\s+Marinesku/ })).toBeVisible();
});
