import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { freshTotp } from '../support/api.ts';
import { expectShell, signOut, submitOneTimeCode, submitPassword } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('an admin without MFA must enrol before anything else, then signs in with a code', async ({ page }) => {
  const admin = testUsers().newAdmin;

  // First, the new admin signs in with a password only and is held on the enrolment screen.
  await submitPassword(page, admin);
  await expect(page.getByRole('heading', { name: 'Set up two-step sign-in' })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Services' })).toHaveCount(0);
  await expect(page.getByRole('img', { name: /QR code/ })).toBeVisible();

  // They read the secret key into their authenticator (otplib here) and confirm with its code.
  const secret = await page.getByLabel('Secret key').inputValue();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  const enrolStep = Math.floor(Date.now() / 30_000);
  await page.getByLabel('6-digit code from the app').fill(await generate({ secret }));
  await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();

  // The recovery codes are shown once; then the app opens.
  const recoveryCodes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(recoveryCodes.first()).toBeVisible();
  expect(await recoveryCodes.count()).toBeGreaterThanOrEqual(8);
  await page.getByRole('button', { name: /I have saved my recovery codes/ }).click();
  await expectShell(page);
  await signOut(page);

  // Signing in again asks for the code after the password; a code cannot be used twice, so take a fresh one.
  await submitPassword(page, admin);
  await expect(page.getByLabel('One-time code')).toBeFocused();
  const { code } = await freshTotp(secret, enrolStep);
  await submitOneTimeCode(page, code);
  await expectShell(page);
  await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();

  // Signing out lands on the sign-in page, and the app is closed again.
  await signOut(page);
  await page.goto('/patients');
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
});

test('a wrong password is announced without saying which part was wrong', async ({ page }) => {
  const worker = testUsers().otherWorker;
  await submitPassword(page, { ...worker, password: 'not the right password at all' });
  await expect(page.getByRole('alert')).toContainText(/not right|invalid|incorrect/i);
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
});
