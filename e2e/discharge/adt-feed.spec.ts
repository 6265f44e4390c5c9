import { Hl7Message } from '@medplum/core';
import { Hl7Client } from '@medplum/hl7';
import { expect, test } from '@playwright/test';
import { type ApiSession, apiSignIn, enrolMfaByApi, uniqueMrn } from '../support/api.ts';
import { expectNoSeriousViolations } from '../support/axe.ts';
import { signIn } from '../support/sign-in.ts';
import { testUsers } from '../support/users.ts';

const HOUR = 3_600_000;

/** An HL7 timestamp (YYYYMMDDHHMMSS+0000) of an instant, in UTC with its offset. */
const hl7Time = (at: Date) => `${at.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;

/** An ADT message as the hospital's interface engine sends it, segments joined by CR. */
function adt(
  event: 'A01' | 'A03',
  o: { controlId: string; mrn: string; visit: string; unit: string; at: Date },
) {
  // PV1 by field number: 2 class, 3 unit^room^bed, 4 admission type, 7 attending, 10 service, 14 admit
  // source, 19 visit number, 36 discharge disposition (06 home health), 44 admitted, 45 discharged.
  const pv1: string[] = ['PV1', '1', 'I', `${o.unit}^412^A`, 'E'];
  pv1[7] = '1234^Okafor^Ngozi';
  pv1[10] = 'MED';
  pv1[14] = '7';
  pv1[19] = o.visit;
  if (event === 'A03') {
    pv1[36] = '06';
    pv1[44] = hl7Time(new Date(o.at.getTime() - 3 * 24 * HOUR));
    pv1[45] = hl7Time(o.at);
  } else {
    pv1[44] = hl7Time(o.at);
  }
  return [
    `MSH|^~\\&|EPIC|RIVERSIDE|KITH|SOCIALWORK|${hl7Time(o.at)}||ADT^${event}^ADT_${event}|${o.controlId}|P|2.5.1`,
    `EVN|${event}|${hl7Time(o.at)}`,
    `PID|1||${o.mrn}^^^RIVERSIDE^MR||Achterberg^Wilhelmina^J||19470214|F|||12 Elm St^^Cambridge^MA^02139`,
    Array.from(pv1, (field) => field ?? '').join('|'),
  ].join('\r');
}

/** A home health agency near the patient, in the directory with its star ratings. */
async function seedHomeHealthAgency(admin: ApiSession, name: string) {
  const { id: orgId } = await admin.post<{ id: string }>('/api/resources/organizations', {
    name,
    referralEmail: 'intake@example.org',
  });
  const location = await admin.post<{ id: string }>(`/api/resources/organizations/${orgId}/locations`, {
    name,
    address: { address1: '1 Kendall Sq', city: 'Cambridge', stateProvince: 'MA', postalCode: '02139' },
  });
  const service = await admin.post<{ id: string }>('/api/resources/services', {
    directoryOrganizationId: orgId,
    name,
    description: 'Skilled nursing and therapy visits at home.',
    status: 'active',
    domains: [],
    languages: ['en'],
    locationIds: [location.id],
  });
  await admin.request('PUT', `/api/directory/services/${service.id}/post-acute`, {
    kind: 'home-health',
    capabilities: [],
    ratings: [
      { measure: 'overall', value: '4', source: 'CMS Care Compare (demo figures)', asOf: '2026-01-05' },
    ],
  });
}

/** Sends one message over MLLP with an independent client and gives back MSA-1 of the ACK. */
async function send(text: string): Promise<string> {
  const port = Number(process.env.KITH_E2E_HL7_PORT);
  expect(port, 'the e2e runner starts the MLLP listener on KITH_E2E_HL7_PORT').toBeGreaterThan(0);
  const client = new Hl7Client({ host: '127.0.0.1', port });
  try {
    const ack = await client.sendAndWait(Hl7Message.parse(text), { timeoutMs: 20_000 });
    return ack.getSegment('MSA')?.getField(1)?.toString() ?? '';
  } finally {
    await client.close();
  }
}

test('an admission over MLLP puts the patient on the unit list; the worker plans; the discharge closes the plan and sets the follow-up call', async ({
  page,
}) => {
  const users = testUsers();
  const tag = Date.now().toString(36).toUpperCase();
  const { recoveryCodes } = await enrolMfaByApi(users.adtStoryAdmin);
  const agency = `Kendall Home Health ${tag}`;
  await seedHomeHealthAgency(await apiSignIn(users.adtStoryAdmin, recoveryCodes[0]), agency);

  // A patient the department already knows (Sam registered her, so she is on Sam's care team).
  const sam = await apiSignIn(users.socialWorker);
  const patient = await sam.post<{ id: string; mrn: string }>('/api/patients', {
    mrn: uniqueMrn(),
    givenName: 'Wilhelmina',
    familyName: 'Achterberg',
    birthDate: '1947-02-14',
    sex: 'female',
    preferredLanguage: 'en',
    address: { line1: '12 Elm St', city: 'Cambridge', state: 'MA', postalCode: '02139' },
    insurance: [{ payerType: 'medicare', payerName: 'Medicare', memberId: '1EG4TE5MK74' }],
  });
  const unit = `ADT${tag.slice(-5)}`;
  const visit = `V${tag}`;
  const admittedAt = new Date(Date.now() - 3 * 24 * HOUR);

  // The hospital's feed admits her: acknowledged AA once stored and applied.
  expect(
    await send(adt('A01', { controlId: `A01-${tag}`, mrn: patient.mrn, visit, unit, at: admittedAt })),
  ).toBe('AA');

  // She is on the unit list, day 4 of her stay, with an open plan.
  await signIn(page, users.socialWorker);
  await page.goto(`/discharge/units?unit=${encodeURIComponent(unit)}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Unit list' })).toBeVisible();
  const list = page.getByRole('table', { name: `Patients in hospital on ${unit}, by room and bed` });
  const row = list.getByRole('row', { name: /Achterberg, Wilhelmina/ });
  await expect(row).toBeVisible();
  await expectNoSeriousViolations(page, 'unit list after an ADT admission');

  // Sam builds the plan: home with home health, home oxygen, and a barrier holding her.
  await row.getByRole('link', { name: 'Achterberg, Wilhelmina' }).click();
  await expect(page).toHaveURL(new RegExp(`/patients/${patient.id}/discharge$`));
  await expect(page.getByText('Open plan')).toBeVisible();
  await page.getByRole('combobox', { name: 'Target disposition' }).click();
  await page.getByRole('option', { name: 'Home with home health' }).click();
  await page.getByRole('checkbox', { name: 'Home oxygen' }).check();
  await page.getByRole('button', { name: 'Save the plan' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.getByRole('combobox', { name: 'Barrier', exact: true }).click();
  await page.getByRole('option', { name: 'Awaiting equipment delivery' }).click();
  await page.getByRole('button', { name: 'Add barrier' }).click();
  await expect(
    page.getByRole('table', { name: /Barriers with their avoidable days/ }).getByText('Still holding'),
  ).toBeVisible();

  // The choice list of home health agencies near her home; she chooses the one nearby.
  const panel = page.getByRole('region', { name: 'Post-acute placement' });
  await panel.getByRole('combobox', { name: 'Kind of provider' }).click();
  await page.getByRole('option', { name: 'Home health agency' }).click();
  await panel.getByRole('button', { name: 'Draw choice list' }).click();
  const offered = panel.getByRole('table', { name: 'Providers offered, nearest first' });
  await expect(offered.getByRole('row', { name: new RegExp(agency) })).toBeVisible();
  const choice = panel.getByRole('form', { name: 'The patient’s choice' });
  await choice.getByLabel('Chosen providers, in order of preference').click({ force: true });
  await page.getByRole('option', { name: agency }).click();
  await page.keyboard.press('Escape');
  // "Chosen by" starts at the patient, who chose.
  await expect(choice.getByRole('combobox', { name: 'Chosen by' })).toHaveValue('The patient');
  await choice.getByRole('button', { name: 'Record the choice' }).click();
  await expect(choice.getByText(/^Recorded /)).toBeVisible();
  await expect(offered.getByRole('row', { name: new RegExp(agency) })).toContainText('Choice 1');

  // The feed discharges her home with home health (PV1-36 06): the plan closes with the actual disposition,
  // the barrier ends, and the follow-up call is set for 48 to 72 hours after discharge.
  const dischargedAt = new Date(Date.now() - 5 * 60_000);
  expect(
    await send(adt('A03', { controlId: `A03-${tag}`, mrn: patient.mrn, visit, unit, at: dischargedAt })),
  ).toBe('AA');
  // The same message again (the engine did not see our ACK): acknowledged, not applied twice.
  expect(
    await send(adt('A03', { controlId: `A03-${tag}`, mrn: patient.mrn, visit, unit, at: dischargedAt })),
  ).toBe('AA');

  await page.reload();
  await expect(page.getByText('Closed at discharge')).toBeVisible();
  await expect(page.getByText(/Discharged to: Home with home health/)).toBeVisible();
  const followUp = page.getByRole('region', { name: 'Follow-up call' });
  await expect(followUp).toContainText('within 72 hours of discharge');
  await expect(followUp).toContainText(users.socialWorker.name);
  await expectNoSeriousViolations(page, 'closed discharge plan');

  // She has left the unit list.
  await page.goto(`/discharge/units?unit=${encodeURIComponent(unit)}`);
  await expect(list.getByRole('row', { name: /Achterberg, Wilhelmina/ })).toHaveCount(0);
});
