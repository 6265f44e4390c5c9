import { expect, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

// A word no other story puts in the directory.
const tag = `Leaf${Date.now()
  .toString(36)
  .replace(/[0-9]/g, (d) => 'abcdefghij'[Number(d)]!)}`;

/** A directory organisation in Boston with one service, through the admin API. */
async function seedService(admin: ApiSession, name: string, fields: Record<string, unknown>) {
  const { id: orgId } = await admin.post<{ id: string }>('/api/resources/organizations', {
    name: `${name} Inc.`,
    referralEmail: null,
  });
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${orgId}/locations`, {
    name: `${name} main site`,
    address: { address1: '70 South Bay Ave', city: 'Boston', stateProvince: 'MA', postalCode: '02118' },
  });
  const service = await admin.post<{ id: string }>('/api/resources/services', {
    directoryOrganizationId: orgId,
    name,
    status: 'active',
    domains: ['food-insecurity'],
    locationIds: [location.id],
    ...fields,
  });
  return service.id;
}

test('a worker prints the patient a handout of two services, in English and in Spanish, and downloads the PDF', async ({
  page,
}) => {
  const users = testUsers();
  // Set-up through the API: two services in the directory, and Marisol on Sam's care team.
  const { recoveryCodes } = await enrolMfaByApi(users.handoutAdmin);
  const admin = await apiSignIn(users.handoutAdmin, recoveryCodes[0]);
  const pantry = await seedService(admin, `${tag} Food Pantry`, {
    phone: '617-555-0142',
    schedules: [
      { freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR', opensAt: '09:00', closesAt: '17:00' },
      { freq: 'WEEKLY', byday: 'SA', opensAt: '10:00', closesAt: '13:00' },
    ],
    requiredDocuments: ['Photo ID', 'Proof of address'],
  });
  const fuel = await seedService(admin, `${tag} Fuel Assistance`, {
    phone: '617-555-0199',
    url: 'https://www.example.org/services/fuel-assistance/apply-online-or-by-phone',
    schedules: [{ freq: 'WEEKLY', byday: 'MO,WE', opensAt: '08:30', closesAt: '16:00' }],
  });
  const sam = await apiSignIn(users.socialWorker);
  const marisol = await sam.post<{ id: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Marisol',
    familyName: 'Reyes',
    birthDate: '1979-03-14',
    sex: 'female',
    preferredLanguage: 'en',
  });

  // Sam opens the handout page for both services.
  await signIn(page, users.socialWorker);
  await page.goto(`/patients/${marisol.id}/resource-handout?serviceIds=${pantry},${fuel}`);
  const handout = page.getByRole('article', { name: 'Your resources' });
  await expect(handout).toBeVisible();
  await expect(handout).toHaveAttribute('lang', 'en');
  await expect(handout.getByRole('heading', { level: 2 })).toHaveText([
    `${tag} Food Pantry`,
    `${tag} Fuel Assistance`,
  ]);
  await expect(handout).toContainText('Marisol Reyes');
  await expect(handout).toContainText('Monday to Friday: 9:00 AM – 5:00 PM');
  await expect(handout).toContainText('617-555-0142');
  await expect(handout.getByRole('list').filter({ hasText: 'Photo ID' })).toContainText('Proof of address');
  // The web address is printed whole.
  await expect(
    handout.getByRole('link', {
      name: 'https://www.example.org/services/fuel-assistance/apply-online-or-by-phone',
    }),
  ).toBeVisible();
  await expectNoSeriousViolations(page, 'resource handout');

  // On paper: no navigation, no buttons, the handout alone.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('navigation', { name: 'Services' })).toBeHidden();
  await expect(page.getByRole('button', { name: 'Print' })).toBeHidden();
  await expect(handout).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  // In Spanish: Marisol reads Spanish better.
  await page.getByRole('radio', { name: 'Español' }).click();
  await expect(page.getByRole('radio', { name: 'Español' })).toBeChecked();
  const spanish = page.getByRole('article', { name: 'Sus recursos' });
  await expect(spanish).toBeVisible();
  await expect(spanish).toHaveAttribute('lang', 'es');
  for (const label of ['Dirección', 'Teléfono', 'Horario', 'Qué traer']) {
    await expect(spanish).toContainText(label);
  }
  await expect(spanish).toContainText('Lunes a viernes');
  await expect(page).toHaveURL(/lang=es/);
  await expectNoSeriousViolations(page, 'resource handout in Spanish');

  // The PDF, in Spanish too, is a real PDF.
  const href = await page.getByRole('link', { name: 'Download PDF' }).getAttribute('href');
  expect(href).toContain('format=pdf');
  expect(href).toContain('lang=es');
  const pdf = await page.request.get(href!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});
