import { expect, test } from '@playwright/test';
import { apiSignIn, seedPatient } from '../support/api.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

test('a supervisor reviews an emergency access with a note, and it leaves the pending list', async ({
  page,
}) => {
  const users = testUsers();
  const reason = `Family called the ward at night; the on-call worker needed the contacts (${Date.now().toString(36)}).`;
  const note = 'Checked with the on-call worker: appropriate, the patient had no care team on shift.';

  // Set-up through the API: one worker registers a patient, another opens the chart under emergency access.
  const owner = await apiSignIn(users.socialWorker);
  await seedPatient(owner, { givenName: 'Ingrid', familyName: 'Haugen' });
  const patient = await seedPatient(owner, { givenName: 'Mateo', familyName: 'Quispe' });
  const outsider = await apiSignIn(users.otherWorker);
  await outsider.post(`/api/patients/${patient.id}/emergency-access`, { reason });

  // The supervisor's Admin menu holds only emergency access review, and Admin opens straight on it.
  await signIn(page, users.supervisor);
  await page.getByRole('navigation', { name: 'Services' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Emergency access review' })).toBeVisible();
  const adminMenu = page.getByRole('navigation', { name: 'Administration' });
  await expect(adminMenu.getByRole('link')).toHaveText(['Emergency access review']);
  await expect(adminMenu.getByRole('link', { name: 'Users' })).toHaveCount(0);
  await expect(adminMenu.getByRole('link', { name: 'Audit log' })).toHaveCount(0);

  // The pending list shows who opened which chart, and why.
  const grant = page
    .getByRole('table', { name: 'Emergency accesses' })
    .getByRole('row')
    .filter({ hasText: reason });
  await expect(grant).toHaveCount(1);
  await expect(grant.getByRole('cell').first()).toHaveText(users.otherWorker.email);
  await expect(grant.getByRole('link', { name: 'Quispe, Mateo' })).toBeVisible();

  // An empty note is refused; a real one records the review.
  await grant.getByRole('button', { name: 'Mark reviewed' }).click();
  const noteField = grant.getByLabel(`Review note for ${users.otherWorker.email}`);
  await expect(noteField).toHaveAttribute('aria-invalid', 'true');
  await noteField.fill(note);
  await grant.getByRole('button', { name: 'Mark reviewed' }).click();

  // It leaves the list of accesses waiting for review…
  await expect(grant).toHaveCount(0);

  // …and the full list keeps it, with the supervisor's note.
  await page.getByText('All', { exact: true }).click();
  await expect(page.getByRole('radio', { name: 'All' })).toBeChecked();
  const reviewed = page.getByRole('row').filter({ hasText: reason });
  await expect(reviewed).toContainText(`: ${note}`);
  await expect(reviewed.getByRole('button', { name: 'Mark reviewed' })).toHaveCount(0);

  // The admin-only pages stay closed to the supervisor even by address (the API refuses them too).
  for (const [path, title] of [
    ['/admin/users', 'Users'],
    ['/admin/audit', 'Audit log'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByText('Only administrators can open this page.')).toBeVisible();
    await expect(page.getByRole('heading', { level: 1, name: title })).toHaveCount(0);
  }
});
