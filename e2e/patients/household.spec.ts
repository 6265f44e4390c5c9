import { expect, test } from '@playwright/test';
import { apiSignIn, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a social worker records the household size and income, which show with when they were recorded', async ({
  page,
}) => {
  const users = testUsers();
  const sam = await apiSignIn(users.socialWorker);
  const patient = await sam.post<{ id: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Lucia',
    familyName: 'Ferreira',
    birthDate: '1983-07-21',
    sex: 'female',
  });

  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/details`);
  const household = page.getByRole('region', { name: 'Household' });
  await expect(household).toContainText('Used to check eligibility for financial assistance.');
  await expect(household).toContainText('Household size and income not recorded.');

  await page.getByRole('button', { name: 'Edit details' }).click();
  const size = page.getByRole('textbox', { name: 'People in the household' });
  const income = page.getByRole('textbox', { name: 'Yearly household income (US dollars)' });
  // One without the other is refused on the field, before anything is sent.
  await size.fill('3');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(income).toHaveAccessibleDescription(/is required with the household size/);
  await expectNoSeriousViolations(page, 'patient edit with household');

  await income.fill('28500');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(household.getByRole('row', { name: /People in the household/ })).toContainText('3');
  await expect(household.getByRole('row', { name: /Yearly income/ })).toContainText('$28,500');
  await expect(household.getByRole('row', { name: /Recorded/ })).not.toContainText('—');
});
