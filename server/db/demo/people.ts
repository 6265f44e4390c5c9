import { RELATIONSHIPS, type SharingScope } from '../../../domain/contacts.ts';
import { patientContacts, patients } from '../../modules/patients/patients.tables.ts';
import { DAY, type DemoContext, localDate, onTimeline, type Person, past } from './context.ts';
import { CITIES, LANGUAGE_MIX, NAMES, PAYERS, PCP_PRACTICES, RELATIVES, SHARING_MIX } from './vocab.ts';

/** What the rest of the generator needs to know about a generated patient. */
export interface DemoPatient {
  id: string;
  mrn: string;
  givenName: string;
  familyName: string;
  age: number;
  sex: 'female' | 'male';
  language: string;
  interpreterNeeded: boolean;
  housed: boolean;
  registeredAt: number;
}

const phone = (ctx: DemoContext) =>
  `(${ctx.r.pick(['617', '857', '781', '508', '339'])}) ${ctx.r.int(200, 989)}-${String(ctx.r.int(0, 9999)).padStart(4, '0')}`;

/** A surname as registration desks see them: Faker's double-barrelled inventions keep their first part. */
export const lastName = (ctx: DemoContext) => ctx.r.faker.person.lastName().split('-')[0]!;

function personName(ctx: DemoContext, language: string, sex: 'female' | 'male') {
  const names = NAMES[language];
  if (names) {
    return { givenName: ctx.r.pick(names[sex]), familyName: ctx.r.pick(names.family) };
  }
  return { givenName: ctx.r.faker.person.firstName(sex), familyName: lastName(ctx) };
}

function address(ctx: DemoContext) {
  const [city, zip] = ctx.r.pick(CITIES);
  return {
    line1: ctx.r.faker.location.streetAddress(),
    ...(ctx.r.chance(0.25) ? { line2: `Apt ${ctx.r.int(1, 40)}` } : {}),
    city,
    state: 'MA',
    postalCode: `${zip}${String(ctx.r.int(0, 99)).padStart(2, '0')}`,
    country: 'US',
  };
}

/** Coverages in billing order, as the patients module stores them (domain/schemas/patients.ts). */
function insurance(ctx: DemoContext, age: number) {
  const coverage = (payerType: keyof typeof PAYERS, primary: boolean) => {
    const [payerName, plan] = ctx.r.pick<readonly [string, string]>(PAYERS[payerType]);
    const memberId = ctx.r.faker.string.alphanumeric({ length: 11, casing: 'upper' });
    return { payerType, payerName, plan, memberId, primary };
  };
  if (age >= 65) {
    const first = coverage(ctx.r.chance(0.3) ? 'medicare-advantage' : 'medicare', true);
    if (ctx.r.chance(0.2)) return [first, coverage('medicaid', false)];
    if (first.payerType === 'medicare' && ctx.r.chance(0.3)) return [first, coverage('commercial', false)];
    return [first];
  }
  const kind = ctx.r.weighted([
    [50, 'commercial'],
    [38, 'medicaid'],
    [4, 'medicare'],
    [8, 'self-pay'],
  ] as const);
  return kind === 'self-pay' ? [{ payerType: kind, primary: true }] : [coverage(kind, true)];
}

/** An adult's age, older on the wards than in the clinics. */
const adultAge = (ctx: DemoContext, inpatient: boolean) => {
  const [min, max] = ctx.r.weighted(
    inpatient
      ? ([
          [14, [18, 39]],
          [34, [40, 64]],
          [38, [65, 84]],
          [14, [85, 101]],
        ] as const)
      : ([
          [30, [18, 39]],
          [40, [40, 64]],
          [24, [65, 84]],
          [6, [85, 99]],
        ] as const),
  );
  return ctx.r.int(min, max);
};

/** Registers a patient: identity, language, address, insurance and primary care, with its timeline entry. */
export function generatePatient(
  ctx: DemoContext,
  index: number,
  opts: { inpatient: boolean; registeredAt: number; codeStatusAt: number | null },
): DemoPatient {
  const { r } = ctx;
  const language = r.weighted(LANGUAGE_MIX);
  const sex = r.chance(0.52) ? 'female' : 'male';
  const { givenName, familyName } = personName(ctx, language, sex);
  const age = adultAge(ctx, opts.inpatient);
  const birth = ctx.now - age * 365.25 * DAY - r.int(1, 364) * DAY;
  const housed = !r.chance(0.04);
  const interpreterNeeded = language !== 'en' && r.chance(0.8);
  const id = r.id(opts.registeredAt);
  const mrn = `RGH${100_001 + index}`;
  const codeStatus =
    opts.codeStatusAt === null
      ? null
      : age >= 75
        ? r.weighted([
            [45, 'Full code'],
            [35, 'DNR/DNI'],
            [10, 'DNR, intubation acceptable'],
            [10, 'Comfort measures only'],
          ] as const)
        : r.chance(0.9)
          ? 'Full code'
          : 'DNR/DNI';
  ctx.w.add(patients, {
    id,
    organizationId: ctx.organizationId,
    mrn,
    familyName,
    givenName,
    middleName: r.chance(0.2) ? r.faker.person.middleName(sex) : null,
    preferredName: r.chance(0.05) ? r.faker.person.firstName(sex) : null,
    birthDate: localDate(ctx, birth),
    sex,
    pronouns: r.chance(0.3) ? (sex === 'female' ? 'she/her' : 'he/him') : null,
    preferredLanguage: language,
    interpreterNeeded,
    address: housed ? address(ctx) : null,
    phones: r.chance(0.93)
      ? [
          { use: 'mobile', number: phone(ctx) },
          ...(r.chance(0.2) ? [{ use: 'home', number: phone(ctx) }] : []),
        ]
      : [],
    insurance: insurance(ctx, age),
    primaryCareProvider: r.chance(0.85)
      ? {
          name: `Dr. ${r.faker.person.firstName()} ${lastName(ctx)}`,
          practice: r.pick(PCP_PRACTICES),
          phone: phone(ctx),
        }
      : null,
    codeStatus,
    codeStatusRecordedAt: opts.codeStatusAt === null ? null : new Date(opts.codeStatusAt),
    version: 1,
    createdAt: new Date(opts.registeredAt),
    updatedAt: new Date(opts.codeStatusAt ?? opts.registeredAt),
  });
  onTimeline(ctx, id, 'patient', opts.registeredAt, 'Registered', { kind: 'patient', id });
  return {
    id,
    mrn,
    givenName,
    familyName,
    age,
    sex,
    language,
    interpreterNeeded,
    housed,
    registeredAt: opts.registeredAt,
  };
}

const CHILDREN = new Set(['daughter', 'son', 'grandchild']);

/**
 * One to three people around the patient: the first is the emergency contact; older patients often name a
 * health care agent; a few have a guardian (family, or appointed by the court). Each says what the patient
 * allowed staff to share.
 */
export function generateContacts(
  ctx: DemoContext,
  patient: DemoPatient,
  opts: { at: number; by: Person | null; needsGuardian: boolean },
): void {
  const { r } = ctx;
  const count = r.weighted([
    [45, 1],
    [38, 2],
    [17, 3],
  ] as const);
  let agentNamed = false;
  let caregiverNamed = false;
  for (let i = 0; i < count; i++) {
    let relative = r.weighted(RELATIVES);
    if (patient.age < 40 && CHILDREN.has(relative.word))
      relative = { word: 'mother', code: 'parent', sex: 'female' };
    const guardian = opts.needsGuardian && i === 0;
    const appointed = guardian && r.chance(0.5);
    if (guardian && !appointed) relative = { word: 'daughter', code: 'child', sex: 'female' };
    if (appointed) relative = { word: 'court-appointed guardian', code: 'guardian' };
    const sex = relative.sex ?? (r.chance(0.5) ? 'female' : 'male');
    const outsider = relative.code === 'friend' || relative.code === 'neighbour' || appointed;
    const names = NAMES[patient.language];
    const given = !outsider && names ? r.pick(names[sex]) : r.faker.person.firstName(sex);
    const sharesSurname =
      !outsider && (relative.code !== 'spouse' && relative.code !== 'partner' ? true : r.chance(0.6));
    const surname = sharesSurname
      ? patient.familyName
      : !outsider && names
        ? r.pick(names.family)
        : lastName(ctx);
    const name = appointed ? `${given} ${surname}, Esq.` : `${given} ${surname}`;
    const agent: boolean =
      !guardian &&
      !agentNamed &&
      (patient.age >= 65 ? r.chance(0.45) : r.chance(0.12)) &&
      relative.code !== 'neighbour';
    agentNamed ||= agent;
    const caregiver: boolean =
      !caregiverNamed && patient.age >= 70 && r.chance(0.5) && relative.code !== 'neighbour';
    caregiverNamed ||= caregiver;
    const sharing = guardian || agent || r.chance(0.65);
    const createdAt = past(ctx, opts.at + i * r.int(1, 90) * 60_000);
    // Authorised when the contact was added, or renewed lately.
    const authorizedOn = r.chance(0.5)
      ? createdAt
      : past(ctx, Math.max(createdAt, ctx.now - r.int(1, 300) * DAY));
    const expires = sharing && !guardian && !agent && r.chance(0.3);
    // Some authorisations ran out already: the family screen must say so.
    const expiresAt = authorizedOn + r.int(30, 540) * DAY;
    const id = r.id(createdAt);
    const scope: SharingScope = guardian || agent ? 'all-health-information' : r.weighted(SHARING_MIX);
    ctx.w.add(patientContacts, {
      id,
      organizationId: ctx.organizationId,
      patientId: patient.id,
      name,
      relationship: relative.code,
      phones: [{ use: 'mobile', number: phone(ctx) }],
      email: r.chance(0.3) ? r.faker.internet.email({ provider: 'example.com' }).toLowerCase() : null,
      address: null,
      preferredLanguage: patient.language === 'en' || r.chance(0.4) ? 'en' : patient.language,
      isEmergencyContact: i === 0,
      isPrimaryCaregiver: caregiver,
      isLegalGuardian: guardian,
      isPersonalRepresentative: guardian || agent,
      sharingAuthorized: sharing,
      sharingAuthorizedOn: sharing ? localDate(ctx, authorizedOn) : null,
      sharingScope: sharing ? scope : null,
      sharingExpiresOn: sharing && expires ? localDate(ctx, expiresAt) : null,
      sharingNote: guardian
        ? 'Guardianship decree on file with HIM.'
        : agent
          ? 'Health care proxy form scanned to the chart.'
          : null,
      notes: i === 0 && r.chance(0.2) ? 'Prefers calls after 5 pm.' : null,
      version: 1,
      createdBy: opts.by?.id ?? null,
      createdAt: new Date(createdAt),
      updatedAt: new Date(createdAt),
    });
    onTimeline(
      ctx,
      patient.id,
      'contact',
      createdAt,
      `Added ${name} (${RELATIONSHIPS[relative.code].toLowerCase()}) to family and contacts`,
      { kind: 'contact', id, actorId: opts.by?.id ?? null },
    );
  }
}
