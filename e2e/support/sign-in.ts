import { expect, type Page } from '@playwright/test';
import type { TestUser } from './users.ts';

/** Fills the sign-in form; the caller decides what should come next. */
export async function submitPassword(page: Page, user: TestUser): Promise<void> {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(user.email);
  await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Answers the MFA step with a TOTP or recovery code. */
export async function submitOneTimeCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('One-time code').fill(code);
  await page.getByRole('button', { name: 'Verify and sign in' }).click();
}

/** Signs in a user without MFA and waits for the shell. */
export async function signIn(page: Page, user: TestUser): Promise<void> {
  await submitPassword(page, user);
  await expectShell(page);
}

/** The signed-in shell: the services navigation and the main landmark. */
export async function expectShell(page: Page): Promise<void> {
  await expect(page.getByRole('navigation', { name: 'Services' })).toBeVisible();
  await expect(page.getByRole('main')).toBeVisible();
}

/** Signs out from the user menu and lands on sign-in. */
export async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Sign out', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
}

/** Signs in a user with MFA, answering the second step with a TOTP or recovery code, and waits for the shell. */
export async function signInWithCode(page: Page, user: TestUser, code: string): Promise<void> {
  await submitPassword(page, user);
  await submitOneTimeCode(page, code);
  await expectShell(page);
}
