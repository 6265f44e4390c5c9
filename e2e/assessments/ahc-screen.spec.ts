import { expect, type Locator, type Page, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

/** Picks the one answer of a question, found by the question's words. */
async function choose(page: Page, question: RegExp, answer: string): Promise<void> {
  await page
    .getByRole('radiogroup', { name: question })
    .getByRole('radio', { name: answer, exact: true })
    .check();
}

/** Ticks an answer of a choose-all-that-apply question. */
async function tick(page: Page, question: RegExp, answer: string): Promise<void> {
  await page
    .getByRole('group', { name: question })
    .getByRole('checkbox', { name: answer, exact: true })
    .check();
}

/** Nothing on the patient's page may speak of a result. */
async function expectNoResult(page: Page): Promise<void> {
  await expect(
    page.getByText(/\b(score|puntuación|band|banda|alarm|alarma|positive|positivo|riesgo)\b/i),
  ).toHaveCount(0);
}

const needRow = (page: Page, label: string): Locator =>
  page.getByRole('listitem').filter({ has: page.getByText(label, { exact: true }) });

test('a worker gives the AHC screen with positive food and housing answers, sees the score and two new needs, and the patient answers the next one in Spanish with no score shown', async ({
  page,
  browser,
}) => {
  const users = testUsers();
  // The patient speaks Spanish (seedPatient's default), registered through the API by the worker.
  const worker = await apiSignIn(users.socialWorker);
  const patient = await seedPatient(worker, { givenName: 'Lucía', familyName: 'Paredes' });

  // First, Sam opens the chart's Assessments tab: nothing given yet.
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${patient.id}`);
  await page
    .getByRole('navigation', { name: 'Chart sections' })
    .getByRole('link', { name: 'Assessments' })
    .click();
  await expect(page.getByRole('heading', { level: 2, name: 'Assessments' })).toBeVisible();
  await expect(page.getByText('No assessment has been given to this patient yet.')).toBeVisible();
  await expectNoSeriousViolations(page, 'assessments tab');

  // He gives the AHC screen at the bedside, on one page.
  await page.getByRole('button', { name: 'Give an instrument' }).click();
  await page.getByRole('menuitem', { name: /Accountable Health Communities/ }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}/assessments/[0-9a-f-]{36}$`));
  await expect(page.getByRole('form', { name: /Accountable Health Communities/ })).toBeVisible();
  await expect(page.getByText('0 of 10 answered')).toBeVisible();
  await expectNoSeriousViolations(page, 'instrument form');

  // Housing: worried about losing her place; food: often worried it would run out. Everything else negative.
  await choose(
    page,
    /living situation today/,
    'I have a place to live today, but I am worried about losing it in the future',
  );
  // "None of the above" with a problem ticked: the live check names the question at once.
  await tick(page, /Think about the place you live/, 'Mold');
  await tick(page, /Think about the place you live/, 'None of the above');
  await expect(
    page.getByRole('group', { name: /Think about the place you live/ }),
  ).toHaveAccessibleDescription(/cannot be chosen with other answers/);
  await page
    .getByRole('group', { name: /Think about the place you live/ })
    .getByRole('checkbox', { name: 'Mold' })
    .uncheck();
  await choose(page, /worried that your food would run out/, 'Often true');
  await choose(page, /food you bought just didn't last/, 'Never true');
  await choose(page, /lack of reliable transportation/, 'No');
  await choose(page, /threatened to shut off services/, 'No');
  for (const question of [
    /physically hurt you/,
    /insult or talk down/,
    /threaten you with harm/,
    /scream or curse/,
  ]) {
    await choose(page, question, 'Never');
  }
  await expect(page.getByText('10 of 10 answered')).toBeVisible();
  await expect(page.getByRole('progressbar', { name: '10 of 10 answered' })).toBeVisible();

  // The live score follows the answers, and the draft is saved as he goes.
  const live = page.getByRole('region', { name: 'Live score' });
  await expect(live.getByText('Positive', { exact: true })).toBeVisible();
  await expect(live.getByText('Food insecurity')).toBeVisible();
  await expect(live.getByText('Housing instability')).toBeVisible();
  await expect(page.getByText(/^Saved \d\d:\d\d$/)).toBeVisible();
  await page.screenshot({ path: 'e2e/artifacts/assessment-form.png', fullPage: true });

  // Complete: the result shows at once, with the two needs the screen found.
  await page.getByRole('button', { name: 'Complete' }).click();
  await expect(
    page.getByRole('heading', { level: 2, name: /^Result: Accountable Health Communities/ }),
  ).toBeFocused();
  const score = page.getByRole('region', { name: 'Score' });
  await expect(score.getByText('Positive', { exact: true })).toBeVisible();
  await expect(score.getByText('Food insecurity')).toBeVisible();
  await expect(score.getByText('Housing instability')).toBeVisible();
  const needs = page.getByRole('region', { name: 'Needs found' });
  await expect(needs.getByRole('listitem')).toHaveCount(2);
  await expect(needRow(page, 'Food insecurity').getByText('New need')).toBeVisible();
  await expect(needRow(page, 'Housing instability').getByText('New need')).toBeVisible();
  await expectNoSeriousViolations(page, 'result view');
  await page.screenshot({ path: 'e2e/artifacts/assessment-result.png', fullPage: true });

  // The chart's Needs tab has both, and the list of assessments shows the completed screen.
  await page.getByRole('navigation', { name: 'Chart sections' }).getByRole('link', { name: 'Needs' }).click();
  await expect(page.getByRole('rowheader', { name: 'Food insecurity' })).toBeVisible();
  await expect(page.getByRole('rowheader', { name: 'Housing instability' })).toBeVisible();
  await page
    .getByRole('navigation', { name: 'Chart sections' })
    .getByRole('link', { name: 'Assessments' })
    .click();
  const row = page.getByRole('row').filter({ hasText: 'Housing instability' });
  await expect(row.getByText('Completed')).toBeVisible();
  await expect(row.getByRole('cell', { name: 'Positive', exact: true })).toBeVisible();

  // A month on, Sam hands the next AHC screen to Lucía, in Spanish, for a tablet.
  await page.getByRole('button', { name: 'Give an instrument' }).click();
  await page.getByRole('menuitem', { name: /Accountable Health Communities/ }).click();
  await expect(page.getByText('0 of 10 answered')).toBeVisible();
  const draftUrl = page.url();
  await page.getByRole('button', { name: 'Hand to patient' }).click();
  const dialog = page.getByRole('dialog', { name: 'Hand to patient' });
  await expect(dialog.getByRole('radio', { name: 'Spanish' })).toBeChecked();
  await dialog.getByRole('button', { name: 'Create the patient link' }).click();
  await expect(dialog.getByRole('img', { name: 'QR code of the patient link' })).toBeVisible();
  const link = await dialog.getByRole('textbox', { name: 'Patient link' }).inputValue();
  expect(link).toMatch(/\/fill\/[\w-]{20,}$/);
  await expectNoSeriousViolations(page, 'hand-over dialog');
  await page.screenshot({ path: 'e2e/artifacts/assessment-handoff.png' });
  await dialog.getByRole('button', { name: 'Done' }).click();

  // On the tablet (a browser with nobody signed in): Spanish questions only, no score anywhere.
  const tablet = await (await browser.newContext({ viewport: { width: 820, height: 1180 } })).newPage();
  await tablet.goto(link);
  await expect(tablet.locator('html')).toHaveAttribute('lang', 'es');
  await expect(tablet.getByRole('heading', { level: 1, name: 'Preguntas para usted' })).toBeVisible();
  await expect(
    tablet.getByRole('radiogroup', { name: /¿Cuál es su situación de vivienda hoy\?/ }),
  ).toBeVisible();
  await expect(tablet.getByText('0 de 10 respondidas')).toBeVisible();
  await expect(tablet.getByText('What is your living situation today?')).toHaveCount(0);
  await expectNoResult(tablet);
  await expectNoSeriousViolations(tablet, 'fill page');
  await tablet.screenshot({ path: 'e2e/artifacts/fill-page.png' });

  await choose(tablet, /situación de vivienda hoy/, 'Tengo un lugar estable donde vivir');
  await tick(tablet, /Piense en el lugar donde vive/, 'Ninguna de las anteriores');
  await choose(tablet, /le preocupó que la comida/, 'A veces es cierto');
  await choose(tablet, /no le alcanzó/, 'Nunca es cierto');
  await choose(tablet, /transporte confiable/, 'No');
  await choose(tablet, /amenazado con cortar/, 'No');
  for (const question of [/lastima físicamente/, /insulta/, /amenaza con hacerle daño/, /le grita/]) {
    await choose(tablet, question, 'Nunca');
  }
  await expect(tablet.getByText('10 de 10 respondidas')).toBeVisible();
  await expectNoResult(tablet);
  await tablet.getByRole('button', { name: 'Enviar mis respuestas' }).click();

  // Submitted: the page locks, and stays locked when reloaded.
  await expect(tablet.getByRole('heading', { level: 1, name: 'Gracias' })).toBeVisible();
  await expect(tablet.getByText('Gracias. Por favor, devuelva el dispositivo.')).toBeVisible();
  await expect(tablet.getByRole('radio')).toHaveCount(0);
  await expectNoResult(tablet);
  await tablet.reload();
  await expect(tablet.getByRole('heading', { level: 1, name: 'Gracias' })).toBeVisible();
  await expect(tablet.getByRole('radio')).toHaveCount(0);
  await expectNoSeriousViolations(tablet, 'fill page, locked');
  await tablet.context().close();

  // Back with Sam: the screen is completed by the patient, in Spanish; food insecurity is found again.
  await page.goto(draftUrl);
  await expect(
    page.getByRole('heading', { level: 2, name: /^Result: Accountable Health Communities/ }),
  ).toBeVisible();
  await expect(page.getByText(/answered by the patient on a tablet, in Spanish/)).toBeVisible();
  await expect(needRow(page, 'Food insecurity').getByText('Found again')).toBeVisible();
});
