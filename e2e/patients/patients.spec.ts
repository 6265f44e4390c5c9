import { expect, test } from '@playwright/test';
import { uniqueMrn } from '../support/api.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a social worker registers a patient and finds them in the list', async ({ page }) => {
  await signIn(page, testUsers().socialWorker);
  await page.goto('/patients');
  const mrn = uniqueMrn('SW');

  await page.getByRole('link', { name: 'New patient' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'New patient' })).toBeVisible();

  // An empty form is refused field by field, before anything is sent.
  await page.getByRole('button', { name: 'Create patient' }).click();
  await expect(page.getByLabel('MRN')).toHaveAttribute('aria-invalid', 'true');

  await page.getByLabel('MRN').fill(mrn);
  await page.getByLabel('Given name').fill('Rosa');
  await page.getByLabel('Family name').fill('Delgado');
  await page.getByLabel('Date of birth').fill('1951-07-02');
  await page.getByRole('combobox', { name: 'Sex' }).click();
  await page.getByRole('option', { name: 'Female' }).click();
  await page.getByRole('combobox', { name: 'Preferred language' }).fill('Span');
  await page.getByRole('option', { name: 'Spanish' }).click();
  await page.getByLabel('Needs an interpreter').check();
  await page.getByLabel('Phone 1 number').fill('+1 555 123 4567');
  await page.getByRole('button', { name: 'Create patient' }).click();

  // The chart opens with the worker on the care team.
  await expect(page.getByRole('heading', { level: 1, name: /Rosa\s+Delgado/ })).toBeVisible();
  await expect(page.getByText(`MRN ${mrn}`)).toBeVisible();
  await expect(page.getByText('Spanish (needs an interpreter)')).toBeVisible();

  // And the list finds the patient by MRN through the server's search.
  await page.getByRole('link', { name: 'Patients' }).click();
  await page.getByLabel('Search patients').fill(mrn);
  await expect(page.getByRole('link', { name: 'Delgado, Rosa' })).toBeVisible();
});

test('the main navigation is reachable with the keyboard alone', async ({ page }) => {
  await signIn(page, testUsers().socialWorker);
  await page.goto('/patients');
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();

  // The first Tab stop is the skip link, which moves focus to the content.
  await page.keyboard.press('Tab');
  const skipLink = page.getByRole('link', { name: 'Skip to content' });
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toBeInViewport();

  // Tabbing on reaches the Patients link of the services navigation.
  const patientsLink = page
    .getByRole('navigation', { name: 'Services' })
    .getByRole('link', { name: 'Patients' });
  for (let i = 0; i < 10 && !(await patientsLink.evaluate((el) => el === document.activeElement)); i++) {
    await page.keyboard.press('Tab');
  }
  await expect(patientsLink).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/patients$/);

  // Skip to content puts focus on the main landmark.
  await page.goto('/patients');
  await expect(page.getByRole('heading', { level: 1, name: 'Patients' })).toBeVisible();
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('main')).toBeFocused();
});
