import { expect, test } from '@playwright/test';
import { enrolMfaByApi, fetchWithToken } from '../support/api.ts';
import { signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('an admin issues an API token to a service account, sees it once, and revokes it', async ({ page }) => {
  const admin = testUsers().tokenAdmin;
  const service = {
    name: `Bed board feed ${Date.now().toString(36)}`,
    email: `bed-board-${Date.now().toString(36)}@e2e.kith.test`,
  };
  const tokenName = 'Bed board integration';

  // Set-up through the API: the admin has MFA, and signs in with a recovery code.
  const { recoveryCodes } = await enrolMfaByApi(admin);
  await signInWithCode(page, admin, recoveryCodes[0]!);

  // First, the admin adds a service account under Admin → Users: it has no password, only tokens.
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Users' })).toBeVisible();
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog', { name: 'New user' });
  // The segmented control's radios are visually hidden: click the visible label, then check the radio.
  await dialog.getByText('Service account', { exact: true }).click();
  await expect(dialog.getByRole('radio', { name: 'Service account' })).toBeChecked();
  await expect(dialog.getByRole('textbox', { name: 'First password' })).toHaveCount(0);
  await dialog.getByLabel('Email').fill(service.email);
  await dialog.getByLabel('Display name').fill(service.name);
  await dialog.getByRole('button', { name: 'Create service account' }).click();
  await expect(dialog).toBeHidden();
  const serviceRow = page.getByRole('row').filter({ hasText: service.email });
  await expect(serviceRow).toContainText('Service');

  // Under Admin → API tokens, they issue a token for that account.
  await page
    .getByRole('navigation', { name: 'Administration' })
    .getByRole('link', { name: 'API tokens' })
    .click();
  await expect(page.getByRole('heading', { level: 1, name: 'API tokens' })).toBeVisible();
  await page.getByRole('combobox', { name: 'Account' }).fill(service.name);
  await page.getByRole('option', { name: `${service.name} (${service.email})` }).click();
  await page.getByLabel('Token name').fill(tokenName);
  await page.getByRole('button', { name: 'Create token' }).click();

  // The token is shown once, with a warning to copy it now.
  const created = page.getByRole('alert').filter({ hasText: `Token “${tokenName}” created` });
  await expect(created).toContainText('it will not be shown again');
  const token = (await created.getByLabel('New API token').textContent())?.trim() ?? '';
  expect(token.length).toBeGreaterThan(20);
  const tokenRow = page.getByRole('row').filter({ hasText: tokenName });
  await expect(tokenRow).toContainText(service.email);
  const prefix = (await tokenRow.getByRole('cell').nth(2).textContent())?.trim() ?? '';
  expect(prefix.length).toBeGreaterThan(0);
  expect(token.startsWith(prefix)).toBe(true);

  // An integration calls the API with it, and is that service account.
  const asService = await fetchWithToken('/api/auth/me', token);
  expect(asService.status).toBe(200);
  const me = (await asService.json()) as { user: { email: string; displayName: string } };
  expect(me.user.email).toBe(service.email);
  expect(me.user.displayName).toBe(service.name);

  // Once dismissed, or after a reload, only the prefix is left on the page.
  await created.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByText(token)).toHaveCount(0);
  await page.reload();
  await expect(tokenRow).toBeVisible();
  await expect(page.getByText(token)).toHaveCount(0);

  // The admin revokes it; the same call is refused from then on.
  await page.getByRole('button', { name: `Revoke token ${tokenName}` }).click();
  await expect(tokenRow).toContainText('Revoked');
  const afterRevoke = await fetchWithToken('/api/auth/me', token);
  expect(afterRevoke.status).toBe(401);
});
