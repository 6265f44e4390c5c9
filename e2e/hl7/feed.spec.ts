import { expect, test } from '@playwright/test';
import { enrolMfaByApi } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signInWithCode } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('an admin sees the ADT feed, filters it, opens a refused message and adds a feed', async ({ page }) => {
  const admin = testUsers().hl7Admin;
  const { recoveryCodes } = await enrolMfaByApi(admin);
  await signInWithCode(page, admin, recoveryCodes[0]!);

  // Two messages posted over HTTP as the admin: one of a type Kith does not take, one that does not parse.
  const me = await (await page.request.get('/api/auth/me')).json();
  const control = `E2E-${Date.now().toString(36).toUpperCase()}`;
  for (const body of [
    `MSH|^~\\&|EPIC|E2EFAC|KITH|KITH|20260301083000||ORU^R01|${control}|P|2.5.1\rPID|1||X`,
    `MSH|^~\\&|EPIC|E2EFAC|KITH|KITH|20260301083000||ADT^A01|${control}-BAD|P|2.5.1\rbroken segment`,
  ]) {
    const res = await page.request.post('/api/hl7/v2', {
      headers: { 'content-type': 'text/plain', 'x-csrf-token': me.csrfToken },
      data: body,
    });
    expect(res.status()).toBe(200);
    expect(await res.text()).toContain('MSA|AR|');
  }

  await page.goto('/admin/hl7');
  await expect(page.getByRole('heading', { level: 1, name: 'ADT feed' })).toBeVisible();
  await expect(
    page.getByRole('navigation', { name: 'Administration' }).getByRole('link', { name: 'ADT feed' }),
  ).toBeVisible();
  const table = page.getByRole('table').filter({ has: page.getByText('newest first') });
  await expect(table.getByRole('row').filter({ hasText: control })).toHaveCount(2);
  await expectNoSeriousViolations(page, 'ADT feed');

  // Filter by outcome with the keyboard-usable form.
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'Rejected' }).click();
  await page.getByRole('textbox', { name: 'Control id or sender' }).fill(`${control}-BAD`);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(table.getByRole('row').filter({ hasText: control })).toHaveCount(1);

  // Open it: its errors and text, segment by segment.
  await table
    .getByRole('row')
    .filter({ hasText: `${control}-BAD` })
    .getByRole('link')
    .click();
  await expect(page.getByRole('heading', { level: 1, name: `Message ${control}-BAD` })).toBeVisible();
  await expect(page.getByText('code 100, Unparseable message')).toBeVisible();
  await expect(page.getByLabel('Raw HL7 message')).toContainText('broken segment');
  await expect(page.getByRole('button', { name: 'Apply again' })).toBeVisible();
  await expectNoSeriousViolations(page, 'HL7 message');

  // Back on the list, a feed is added.
  await page.getByRole('link', { name: 'Back to the ADT feed' }).click();
  const facility = `E2E-${Date.now().toString(36)}`;
  const form = page.getByRole('form', { name: 'New feed' });
  await form.getByRole('textbox', { name: 'sending facility (MSH-4)' }).fill(facility);
  await form.getByRole('textbox', { name: 'assigning authority of the MRN (PID-3.4)' }).fill('E2E');
  await form.getByRole('button', { name: 'Add feed' }).click();
  await expect(page.getByRole('row').filter({ hasText: facility })).toContainText('E2E');
});
