import { expect, type Locator, type Page, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { completePhq9, startAssessment } from '../support/assessments.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

/** Presses Tab until the element has the focus (at most `limit` times), as a keyboard user would. */
async function tabTo(page: Page, target: Locator, limit = 15): Promise<void> {
  for (let i = 0; i < limit; i += 1) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

test('a worker gives the PHQ-9 from the keyboard alone; item 9 above 0 raises the alarm and offers the C-SSRS screener', async ({
  page,
}) => {
  const users = testUsers();
  // A PHQ-9 two weeks ago scored 0, through the API; today's is started there too.
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Iker', familyName: 'Saavedra' });
  await completePhq9(worker, patient.id, 0);
  const draft = await startAssessment(worker, patient.id, 'phq-9');

  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}/assessments/${draft.id}`);
  await expect(page.getByRole('heading', { level: 2, name: /Patient Health Questionnaire-9/ })).toBeVisible();

  // The form opens on question 1. A number key picks the answer worth that many points; Enter goes on.
  const question = (n: number) => page.getByRole('radiogroup', { name: new RegExp(`^${n}\\. `) });
  await expect(question(1).getByRole('radio', { name: 'Not at all' })).toBeFocused();
  for (let n = 1; n <= 8; n += 1) {
    await page.keyboard.press('1');
    await expect(question(n).getByRole('radio', { name: 'Several days' })).toBeChecked();
    await page.keyboard.press('Enter');
    await expect(
      question(n + 1)
        .getByRole('radio')
        .first(),
    ).toBeFocused();
  }
  // Question 9, thoughts of being better off dead: "More than half the days", with the arrow keys.
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  await expect(question(9).getByRole('radio', { name: 'More than half the days' })).toBeChecked();
  await expect(page.getByText('9 of 9 answered')).toBeVisible();

  // The live score: 10, moderate, and the alarm while the screen is still open.
  const live = page.getByRole('region', { name: 'Live score' });
  await expect(live.getByText('10', { exact: true })).toBeVisible();
  await expect(live.getByText('Moderate', { exact: true })).toBeVisible();
  await expect(live.getByRole('alert')).toContainText('Alarm: suicide risk');
  await expectNoSeriousViolations(page, 'instrument form with an alarm');

  // Enter on the last question moves to Complete; Enter there completes.
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Complete' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { level: 2, name: /^Result: Patient Health Questionnaire-9/ }),
  ).toBeFocused();
  await expect(page.getByRole('alert').filter({ hasText: 'Alarm: suicide risk' })).toBeVisible();
  const score = page.getByRole('region', { name: 'Score' });
  await expect(score.getByText('10', { exact: true })).toBeVisible();
  await expect(score.getByText('Moderate', { exact: true })).toBeVisible();

  await expectNoSeriousViolations(page, 'result view with an alarm');

  // The offer of the C-SSRS screener, taken from the keyboard.
  const offer = page.getByRole('button', { name: 'Give the C-SSRS screener next' });
  await tabTo(page, offer);
  await page.keyboard.press('Enter');
  await expect(
    page.getByRole('heading', { level: 2, name: /Columbia-Suicide Severity Rating Scale/ }),
  ).toBeVisible();
  await expect(page.getByRole('radiogroup', { name: /^1\. / }).getByRole('radio').first()).toBeFocused();

  // The tab draws the PHQ-9 over time with its bands, and lists the same scores as a table.
  await page.goto(`/patients/${patient.id}/assessments`);
  await expect(page.getByRole('heading', { level: 3, name: 'PHQ-9 over time' })).toBeVisible();
  await expect(page.getByRole('img', { name: /PHQ-9 scores over time/ })).toBeVisible();
  await expect(page.getByText('Moderate depression').first()).toBeVisible();
  const table = page.getByRole('table', { name: 'PHQ-9 scores, oldest first' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await expect(table.getByRole('cell', { name: '10', exact: true })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Drafts to resume' }).getByRole('link')).toHaveText(
    /Resume Columbia-Suicide Severity Rating Scale/,
  );
  await expectNoSeriousViolations(page, 'assessments tab with a trend');
  await page.screenshot({ path: 'e2e/artifacts/assessments-trend.png', fullPage: true });
});
