import { expect, test } from '@playwright/test';
import { generate } from 'otplib';
import { expectShell, signIn, signOut, submitOneTimeCode, submitPassword } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a social worker turns on two-step sign-in, signs in with a recovery code, then changes their password', async ({
  page,
}) => {
  // A user of this story alone: it changes their second factor and password.
  const worker = testUsers().accountWorker;

  // First, the worker opens their Account page from the user menu; two-step sign-in is off.
  await signIn(page, worker);
  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  const twoStep = page.getByRole('region', { name: 'Two-step sign-in' });
  await expect(twoStep).toContainText('Off');

  // They turn it on: the secret key goes into their authenticator (otplib here), which gives the code.
  await twoStep.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
  const secret = await twoStep.getByLabel('Secret key').inputValue();
  expect(secret).toMatch(/^[A-Z2-7]+=*$/);
  await twoStep.getByLabel('6-digit code from the app').fill(await generate({ secret }));
  await twoStep.getByRole('button', { name: 'Turn on two-step sign-in' }).click();

  // The recovery codes are shown once; they keep two of them.
  const codeItems = twoStep.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
  await expect(codeItems.first()).toBeVisible();
  const recoveryCodes = (await codeItems.allTextContents()).map((c) => c.trim());
  expect(recoveryCodes.length).toBeGreaterThanOrEqual(8);
  await twoStep.getByRole('button', { name: /I have saved my recovery codes/ }).click();
  await expect(twoStep).toContainText('On');
  await expect(twoStep.getByRole('button', { name: 'Turn off two-step sign-in' })).toBeVisible();

  // Signing in again asks for a code after the password; a recovery code answers it.
  await signOut(page);
  await submitPassword(page, worker);
  await expect(page.getByLabel('One-time code')).toBeFocused();
  await submitOneTimeCode(page, recoveryCodes[0]!);
  await expectShell(page);

  // On the Account page, a common password is refused, with the reason on the New password field.
  await page.goto('/account');
  const passwordForm = page.getByRole('region', { name: 'Change password' });
  const newPassword = passwordForm.getByRole('textbox', { name: 'New password' });
  await passwordForm.getByRole('textbox', { name: 'Current password' }).fill(worker.password);
  await newPassword.fill('password1234');
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await expect(newPassword).toHaveAttribute('aria-invalid', 'true');
  await expect(newPassword).toHaveAccessibleDescription(/too common/);

  // A long passphrase is accepted.
  const changed = { ...worker, password: `Kettle on the ward at ${Date.now().toString(36)} o'clock` };
  await newPassword.fill(changed.password);
  await passwordForm.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('Your password has been changed.')).toBeVisible();
  await expect(newPassword).toHaveValue('');
  await expect(newPassword).not.toHaveAttribute('aria-invalid', 'true');

  // The new password opens the account, with the second recovery code. (The old one is not tried here:
  // every sign-in counts against the server's limit of 20 a minute, shared by the whole suite.)
  await signOut(page);
  await submitPassword(page, changed);
  await submitOneTimeCode(page, recoveryCodes[1]!);
  await expectShell(page);
});
