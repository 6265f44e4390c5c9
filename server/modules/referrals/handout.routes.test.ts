import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  type Client,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { patients } from '../patients/patients.tables.ts';
import { insertReferral, insertService, pdfText } from './handout.fixtures.ts';
import { toWinAnsi } from './handout.pdf.ts';

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let pantry: Awaited<ReturnType<typeof insertService>>;
let fuel: Awaited<ReturnType<typeof insertService>>;
beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t, { name: 'Riverside Medical Social Work' });
  pantry = await insertService(t, org.id, {
    name: 'Greater Boston Food Pantry',
    organizationName: 'Greater Boston Food Bank',
    address: { line1: '70 South Bay Ave', city: 'Boston', state: 'MA', postalCode: '02118' },
    phone: '617-555-0142',
    schedules: [
      { byday: 'MO,TU,WE,TH,FR', opensAt: '09:00', closesAt: '17:00' },
      { byday: 'SA', opensAt: '10:00', closesAt: '13:00' },
    ],
    documents: ['Photo ID', 'Proof of address'],
  });
  fuel = await insertService(t, org.id, {
    name: 'Fuel Assistance Program',
    organizationName: 'ABCD',
    address: { line1: '178 Tremont St', city: 'Boston', state: 'MA', postalCode: '02111' },
    phone: '617-555-0199',
    schedules: [{ byday: 'MO,WE', opensAt: '08:30', closesAt: '16:00' }],
    url: 'https://www.bostonabcd.org/service/fuel-assistance/',
  });
});
afterAll(() => t.close());

/** A social worker signed in, and a patient on their care team. */
async function workerAndPatient(over: { preferredLanguage?: string } = {}) {
  const user = await buildUser(t, { organization: org });
  const patient = await buildPatient(t, { organization: org, careTeam: [user] });
  if (over.preferredLanguage) {
    await t.database.db
      .update(patients)
      .set({ preferredLanguage: over.preferredLanguage })
      .where(eq(patients.id, patient.id));
  }
  return { user, patient, worker: await signIn(t, user) };
}

const handoutUrl = (patientId: string, query: string) =>
  `/api/patients/${patientId}/resource-handout?${query}`;
const getJson = async (client: Client, patientId: string, query: string) => {
  const res = await client.get(handoutUrl(patientId, `${query}&format=json`));
  expect(res.statusCode).toBe(200);
  return res.json();
};

describe('GET /api/patients/:patientId/resource-handout (PDF)', () => {
  it('answers an inline PDF listing each service with its address, phone, hours and what to bring', async () => {
    const { patient, worker, user } = await workerAndPatient();
    const res = await worker.get(handoutUrl(patient.id, `serviceIds=${pantry.serviceId},${fuel.serviceId}`));
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(
      /^inline; filename="your-resources-\d{4}-\d{2}-\d{2}-en\.pdf"$/,
    );
    expect(res.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdfText(res.rawPayload);
    // Words of a wrapped line land on two lines of text: compare without the spaces.
    const flat = text.replace(/\s+/g, '');
    for (const expected of [
      'Your resources',
      'Greater Boston Food Pantry',
      'Greater Boston Food Bank',
      '70 South Bay Ave, Boston, MA 02118',
      '617-555-0142',
      'Monday to Friday: 9:00 AM – 5:00 PM',
      'Saturday: 10:00 AM – 1:00 PM',
      'Photo ID',
      'Proof of address',
      'Fuel Assistance Program',
      'Monday and Wednesday: 8:30 AM – 4:00 PM',
      'https://www.bostonabcd.org/service/fuel-assistance/',
      user.displayName,
      user.email,
      'Riverside Medical Social Work',
    ]) {
      expect(flat).toContain(expected.replace(/\s+/g, ''));
    }
    expect(flat.indexOf('GreaterBostonFoodPantry')).toBeLessThan(flat.indexOf('FuelAssistanceProgram'));
  });

  it('writes it in Spanish with lang=es, accents and all', async () => {
    const { patient, worker } = await workerAndPatient();
    const res = await worker.get(handoutUrl(patient.id, `serviceIds=${pantry.serviceId}&lang=es`));
    expect(res.headers['content-disposition']).toMatch(/-es\.pdf"$/);
    const text = pdfText(res.rawPayload);
    for (const label of [
      'Sus recursos',
      'Dirección:',
      'Teléfono:',
      'Horario:',
      'Qué traer:',
      '¿Tiene preguntas?',
    ]) {
      expect(text).toContain(label);
    }
    expect(text).toContain('Lunes a viernes: 9:00 a.m. – 5:00 p.m.');
    expect(text).not.toContain('Your resources');
  });
});

describe('GET /api/patients/:patientId/resource-handout?format=json', () => {
  it('gives the print page the handout as data, in the order asked', async () => {
    const { patient, worker, user } = await workerAndPatient();
    const handout = await getJson(
      worker,
      patient.id,
      `serviceIds=${fuel.serviceId}&serviceIds=${pantry.serviceId}`,
    );
    expect(handout).toMatchObject({
      language: 'en',
      fallbackFrom: null,
      title: 'Your resources',
      preparedFor: 'John Smith',
      department: 'Riverside Medical Social Work',
      socialWorker: { name: user.displayName, email: user.email },
    });
    expect(handout.services.map((s: { name: string }) => s.name)).toEqual([
      'Fuel Assistance Program',
      'Greater Boston Food Pantry',
    ]);
    expect(handout.services[1]).toMatchObject({
      organization: 'Greater Boston Food Bank',
      status: 'active',
      places: [
        {
          address: '70 South Bay Ave, Boston, MA 02118',
          phones: ['617-555-0142'],
          hours: ['Monday to Friday: 9:00 AM – 5:00 PM', 'Saturday: 10:00 AM – 1:00 PM'],
        },
      ],
      morePlaces: 0,
      requiredDocuments: ['Photo ID', 'Proof of address'],
    });
  });

  it("writes Spanish when the patient's preferred language is Spanish, and English with a note otherwise", async () => {
    const spanish = await workerAndPatient({ preferredLanguage: 'es-MX' });
    const es = await getJson(spanish.worker, spanish.patient.id, `serviceIds=${pantry.serviceId}`);
    expect(es).toMatchObject({ language: 'es', title: 'Sus recursos', fallbackFrom: null });
    expect(es.services[0].places[0].hours[0]).toBe('Lunes a viernes: 9:00 a.m. – 5:00 p.m.');
    expect(es.preparedOnText).toMatch(/ de /);

    const vietnamese = await workerAndPatient({ preferredLanguage: 'vi' });
    const vi = await getJson(vietnamese.worker, vietnamese.patient.id, `serviceIds=${pantry.serviceId}`);
    expect(vi).toMatchObject({
      language: 'en',
      fallbackFrom: 'vi',
      title: 'Your resources (in English: not yet available in Vietnamese)',
    });
    // Asking for English is not a fallback.
    const en = await getJson(spanish.worker, spanish.patient.id, `serviceIds=${pantry.serviceId}&lang=en`);
    expect(en).toMatchObject({ language: 'en', title: 'Your resources' });
  });

  it("lists the services of the patient's referrals, at the referred location, once each", async () => {
    const { patient, worker, user } = await workerAndPatient();
    const referral = await insertReferral(t, patient, user, pantry);
    const handout = await getJson(
      worker,
      patient.id,
      `referralIds=${referral.id}&serviceIds=${pantry.serviceId},${fuel.serviceId}`,
    );
    expect(handout.services.map((s: { id: string }) => s.id)).toEqual([pantry.serviceId, fuel.serviceId]);
  });
});

describe('refusals', () => {
  it('answers 422 naming each service that is not in the directory, and each bad id', async () => {
    const { patient, worker } = await workerAndPatient();
    const elsewhere = await buildOrganization(t);
    const foreign = await insertService(t, elsewhere.id, { name: 'Another hospital pantry' });
    const res = await worker.get(
      handoutUrl(patient.id, `serviceIds=${pantry.serviceId},${foreign.serviceId}&format=json`),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'query.serviceIds.1', message: 'is not in your directory' }]);
    const bad = await worker.get(handoutUrl(patient.id, 'serviceIds=pantry'));
    expect(bad.json().errors).toEqual([{ field: 'query.serviceIds.0', message: 'must be a valid id' }]);
    const none = await worker.get(handoutUrl(patient.id, 'format=pdf'));
    expect(none.json().errors).toEqual([
      { field: 'query.serviceIds', message: 'choose at least one service or referral' },
    ]);
  });

  it("answers 422 for another patient's referral", async () => {
    const { patient, worker, user } = await workerAndPatient();
    const other = await buildPatient(t, { organization: org, careTeam: [user] });
    const referral = await insertReferral(t, other, user, fuel);
    const res = await worker.get(handoutUrl(patient.id, `referralIds=${referral.id}`));
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'query.referralIds.0', message: 'is not a referral of this patient' },
    ]);
  });

  it('answers 403 (audited) to a worker outside the care team, 404 for another organisation, 403 to a clinician', async () => {
    const { patient } = await workerAndPatient();
    const outsider = await buildUser(t, { organization: org });
    const res = await (await signIn(t, outsider)).get(
      handoutUrl(patient.id, `serviceIds=${pantry.serviceId}`),
    );
    expect(res.statusCode).toBe(403);
    const [denied] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.actorUserId, outsider.id)));
    expect(denied).toMatchObject({ action: 'resource.handout', outcome: 'denied' });

    const stranger = await signIn(t, await buildUser(t));
    expect((await stranger.get(handoutUrl(patient.id, `serviceIds=${pantry.serviceId}`))).statusCode).toBe(
      404,
    );
    const clinician = await buildUser(t, { organization: org, role: 'clinician' });
    const asClinician = await signIn(t, clinician);
    expect((await asClinician.get(handoutUrl(patient.id, `serviceIds=${pantry.serviceId}`))).statusCode).toBe(
      403,
    );
  });

  it('audits each handout given, with the services and never the patient name', async () => {
    const { patient, worker, user } = await workerAndPatient();
    await worker.get(handoutUrl(patient.id, `serviceIds=${pantry.serviceId}`));
    const [given] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'resource.handout')));
    expect(given).toMatchObject({
      actorUserId: user.id,
      outcome: 'success',
      detail: { serviceIds: [pantry.serviceId], referralIds: [], format: 'pdf' },
    });
    expect(JSON.stringify(given)).not.toContain('Smith');
  });
});

describe('toWinAnsi', () => {
  it('keeps Spanish letters and punctuation, drops accents the fonts lack, and marks what they cannot draw', () => {
    expect(toWinAnsi('¿Qué traer? ¡Señal! á é í ó ú ü ñ – “ok”')).toBe(
      '¿Qué traer? ¡Señal! á é í ó ú ü ñ – “ok”',
    );
    expect(toWinAnsi('Phở Hạnh')).toBe('Pho Hanh');
    expect(toWinAnsi('食物 9:00\u202fAM')).toBe('?? 9:00 AM');
  });
});
