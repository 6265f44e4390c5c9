import { expect, test } from '@playwright/test';
import { expectShell, signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

// The server ends a session after 15 idle minutes of real time (SESSION_IDLE_MINUTES), and the API tests
// cover that side. Here only the browser's clock is fast-forwarded, so this story tests the client: the
// warning two minutes before the limit, "Stay signed in", and the app closing itself when time runs out.
// The server session stays alive throughout, which is why "Stay signed in" can still reach it.

test('two minutes before the idle limit the app asks "Are you still there?", and signs out when ignored', async ({
  page,
}) => {
  // The fake clock must be in place before the app's first page loads.
  await page.clock.install();
  await signIn(page, testUsers().socialWorker);
  // The worklist is a social worker's home page.
  await expect(page.getByRole('heading', { level: 1, name: 'My worklist' })).toBeVisible();
  await expect(page.getByRole('status').filter({ hasText: /cases?$/ })).toBeVisible();
  const warning = page.getByRole('dialog', { name: 'Are you still there?' });

  // After 12½ quiet minutes nothing is shown yet; at 13 minutes the warning opens, counting down.
  await page.clock.fastForward('12:30');
  await expect(warning).toBeHidden();
  await page.clock.fastForward('00:31');
  await expect(warning).toBeVisible();
  await expect(warning).toContainText(/You will be signed out in \d+ seconds/);
  await expect(warning.getByRole('button', { name: 'Stay signed in' })).toBeFocused();

  // "Stay signed in" keeps the session: the dialog closes and the app still talks to the server.
  await warning.getByRole('button', { name: 'Stay signed in' }).click();
  await expect(warning).toBeHidden();
  await page.getByRole('button', { name: /User menu/ }).click();
  await page.getByRole('menuitem', { name: 'Account' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Account' })).toBeVisible();
  await expect(page.getByText('This session')).toBeVisible();
  await expectShell(page);

  // The idle time starts again from there: 12 more minutes and no warning yet.
  await page.clock.fastForward('12:00');
  await expect(warning).toBeHidden();

  // Left alone, the warning comes back, and when the time runs out the app lands on sign-in, saying why.
  await page.clock.fastForward('01:05');
  await expect(warning).toBeVisible();
  await page.clock.fastForward('02:00');
  await expect(page.getByRole('heading', { name: 'Sign in to Kith' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText(
    'You were signed out after 15 minutes without activity. Sign in to continue.',
  );
  await expect(page.getByRole('navigation', { name: 'Services' })).toHaveCount(0);
});
