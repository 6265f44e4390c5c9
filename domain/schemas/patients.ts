import { z } from 'zod';
import { FLAG_KIND_CODES } from '../flags.ts';
import { IsoDate, IsoDateTime, NamePart, PageQuery, Uuid } from './common.ts';

export const Mrn = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9-]+$/, 'may hold only letters, digits and hyphens');

export const PhoneNumber = z
  .string()
  .trim()
  .regex(/^\+?[0-9 ().-]{7,20}$/, 'must be a phone number');

export const Phone = z.object({
  use: z.enum(['home', 'mobile', 'work', 'other']),
  number: PhoneNumber,
  note: z.string().trim().max(200).optional(),
});

export const Address = z.object({
  line1: z.string().trim().min(1, 'is required').max(200),
  line2: z.string().trim().max(200).optional(),
  city: z.string().trim().min(1, 'is required').max(100),
  state: z.string().trim().min(2, 'is required').max(50),
  postalCode: z
    .string()
    .trim()
    .regex(/^\d{5}(-\d{4})?$/, 'must be a ZIP code'),
  country: z.string().trim().length(2).default('US'),
});

/** FHIR administrative gender. */
export const Sex = z.enum(['female', 'male', 'other', 'unknown']);

/** Kinds of payer, as US hospitals register coverage. */
export const PAYER_TYPES = {
  medicare: 'Medicare',
  medicaid: 'Medicaid',
  commercial: 'Commercial',
  'medicare-advantage': 'Medicare Advantage',
  'va-tricare': 'VA / TRICARE',
  'self-pay': 'Self-pay / uninsured',
  other: 'Other',
} as const;
export type PayerType = keyof typeof PAYER_TYPES;
export const PayerType = z.enum(Object.keys(PAYER_TYPES) as [PayerType, ...PayerType[]], {
  error: 'must be one of the payer types',
});

/** One coverage as stored and shown; `Coverage` adds the rules a new or edited one must meet. */
export const CoverageFields = z.object({
  payerType: PayerType,
  payerName: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  plan: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  memberId: z.string().trim().max(64, 'must be at most 64 characters').optional(),
  groupNumber: z.string().trim().max(64, 'must be at most 64 characters').optional(),
  /** The coverage billed first. */
  primary: z.boolean().optional(),
});
export const Coverage = CoverageFields.superRefine((c, ctx) => {
  if (c.payerType === 'self-pay') return;
  if (!c.payerName) ctx.addIssue({ code: 'custom', path: ['payerName'], message: 'is required' });
  if (!c.memberId) ctx.addIssue({ code: 'custom', path: ['memberId'], message: 'is required' });
});
export const Insurance = z
  .array(Coverage)
  .max(10, 'must list at most 10 coverages')
  .refine((list) => list.filter((c) => c.primary).length <= 1, 'only one coverage can be primary');

export const PrimaryCareProvider = z.object({
  name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  practice: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  phone: PhoneNumber.optional(),
});

/** People living in the household, the patient included: with the income, it places them on the poverty guideline. */
export const HouseholdSize = z
  .number({ error: 'must be a number' })
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(20, 'must be at most 20');
/** The household's yearly income before tax, in whole US dollars. */
export const HouseholdIncome = z
  .number({ error: 'must be a number' })
  .int('must be whole dollars')
  .min(0, 'must not be negative')
  .max(10_000_000, 'must be at most 10,000,000');

const PastDate = IsoDate.refine(
  (d) => d <= new Date().toISOString().slice(0, 10),
  'must not be in the future',
);

export const PatientFields = z.object({
  mrn: Mrn,
  familyName: NamePart,
  givenName: NamePart,
  middleName: z.string().trim().max(100).optional(),
  preferredName: z.string().trim().max(100).optional(),
  birthDate: PastDate,
  sex: Sex,
  genderIdentity: z.string().trim().max(100).optional(),
  pronouns: z.string().trim().max(50).optional(),
  /** BCP 47 language tag, e.g. en, es, zh-Hant. */
  preferredLanguage: z
    .string()
    .trim()
    .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/, 'must be a language tag such as en or es'),
  interpreterNeeded: z.boolean(),
  address: Address.optional(),
  phones: z.array(Phone).max(10),
  insurance: Insurance,
  primaryCareProvider: PrimaryCareProvider.optional(),
  /** Household size and yearly income go together (both or neither); `null` means not recorded. */
  householdSize: HouseholdSize.nullable().optional(),
  householdIncome: HouseholdIncome.nullable().optional(),
});

type HouseholdInput = { householdSize?: number | null; householdIncome?: number | null };
// Checked once both fields are otherwise valid, so that each field shows one message at a time.
const householdFieldsValid = (payload: { issues: { path?: PropertyKey[] }[] }) =>
  !payload.issues.some((i) => i.path?.[0] === 'householdSize' || i.path?.[0] === 'householdIncome');
const isSet = (v: number | null | undefined) => typeof v === 'number';
/** A refinement over both household fields, reported on one of them. */
const householdRule = (
  check: (p: HouseholdInput) => boolean,
  field: 'householdSize' | 'householdIncome',
  message: string,
): [
  (p: HouseholdInput) => boolean,
  { path: string[]; message: string; when: typeof householdFieldsValid },
] => [check, { path: [field], message, when: householdFieldsValid }];
const householdSizeNeedsIncome = householdRule(
  (p) => !isSet(p.householdSize) || isSet(p.householdIncome),
  'householdIncome',
  'is required with the household size',
);
const householdIncomeNeedsSize = householdRule(
  (p) => !isSet(p.householdIncome) || isSet(p.householdSize),
  'householdSize',
  'is required with the household income',
);

/** Defaults apply when a patient is registered, never on an edit (where a missing field means "unchanged"). */
export const PatientCreateRequest = PatientFields.extend({
  preferredLanguage: PatientFields.shape.preferredLanguage.default('en'),
  interpreterNeeded: PatientFields.shape.interpreterNeeded.default(false),
  phones: PatientFields.shape.phones.default([]),
  insurance: PatientFields.shape.insurance.default([]),
  primaryCareProvider: PrimaryCareProvider.nullable().optional(),
  /** Set after the user looked at the possible duplicates and decided this is someone else. */
  confirmedNotDuplicate: z.boolean().optional(),
})
  .refine(...householdSizeNeedsIncome)
  .refine(...householdIncomeNeedsSize);
/** On an edit a missing field is unchanged; `null` clears the primary care provider or the code status. */
export const PatientUpdateRequest = PatientFields.partial()
  .extend({
    primaryCareProvider: PrimaryCareProvider.nullable().optional(),
    codeStatus: z.string().trim().min(1, 'is required').max(100).nullable().optional(),
    /** The version the edit was made on; a stale one is refused with 409 and nothing is changed. */
    version: z.number().int().min(1, 'must be the version you read'),
  })
  .refine(...householdSizeNeedsIncome)
  .refine(...householdIncomeNeedsSize)
  // Clearing takes both as well: `null` for each.
  .refine(
    ...householdRule(
      (p) => !(p.householdSize === null && p.householdIncome === undefined),
      'householdIncome',
      'must be cleared with the household size',
    ),
  )
  .refine(
    ...householdRule(
      (p) => !(p.householdIncome === null && p.householdSize === undefined),
      'householdSize',
      'must be cleared with the household income',
    ),
  );

export const CareTeamMember = z.object({
  id: Uuid,
  userId: Uuid,
  displayName: z.string(),
  role: z.string(),
  teamRole: z.string(),
  addedAt: IsoDateTime,
});

/** A contact who may decide for the patient: shown wherever the patient's record is. */
export const LegalRepresentative = z.object({
  id: Uuid,
  name: z.string(),
  relationship: z.string(),
  isLegalGuardian: z.boolean(),
  isPersonalRepresentative: z.boolean(),
  phones: z.array(Phone),
});

export const Patient = PatientFields.extend({
  id: Uuid,
  insurance: z.array(CoverageFields),
  primaryCareProvider: PrimaryCareProvider.nullable(),
  codeStatus: z.string().nullable(),
  codeStatusRecordedAt: IsoDateTime.nullable(),
  householdSize: z.number().int().nullable(),
  householdIncome: z.number().int().nullable(),
  /** When the household size and income were last recorded. */
  householdRecordedAt: IsoDateTime.nullable(),
  legalRepresentatives: z.array(LegalRepresentative),
  version: z.number().int(),
  address: Address.nullable(),
  middleName: z.string().nullable(),
  preferredName: z.string().nullable(),
  genderIdentity: z.string().nullable(),
  pronouns: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  careTeam: z.array(CareTeamMember),
  /** What the signed-in user may do with this record; the UI shows actions from it. */
  abilities: z.object({ read: z.boolean(), update: z.boolean(), manageCareTeam: z.boolean() }),
  /** Set when the record is open under emergency access. */
  emergencyAccessUntil: IsoDateTime.nullable(),
});
export type Patient = z.infer<typeof Patient>;

export const PatientListItem = z.object({
  id: Uuid,
  mrn: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  birthDate: IsoDate,
  sex: Sex,
  preferredLanguage: z.string(),
  interpreterNeeded: z.boolean(),
});

export const PatientListQuery = PageQuery.extend({
  /** An exact MRN, or a name typed in any order and tolerating typos. */
  q: z.string().trim().max(100).optional(),
  birthDate: IsoDate.optional(),
});

/** The fields of a patient about to be registered (extra fields are ignored, so a form can send its draft). */
export const DuplicateCheckRequest = z.object({
  mrn: Mrn.optional(),
  familyName: NamePart,
  givenName: NamePart,
  birthDate: IsoDate.optional(),
  phones: z.array(Phone).max(10).optional(),
});
export const DUPLICATE_REASONS = {
  'same-mrn': 'Same MRN',
  'same-birth-date-similar-name': 'Same date of birth and a similar name',
  'same-phone-similar-name': 'Same phone number and a similar name',
} as const;
export type DuplicateReason = keyof typeof DUPLICATE_REASONS;
/** A possible match: only what identifies the record, whoever asks (the chart itself stays behind access). */
/** A record that may be the same person. Name, birth date (and an MRN the user did not type) are null when
 * the user may not open that record: they learn that it exists and why it matched, not who it is. */
export const DuplicateCandidate = z.object({
  id: Uuid,
  mrn: z.string().nullable(),
  familyName: z.string().nullable(),
  givenName: z.string().nullable(),
  birthDate: IsoDate.nullable(),
  mayOpen: z.boolean(),
  reasons: z.array(z.enum(Object.keys(DUPLICATE_REASONS) as [DuplicateReason, ...DuplicateReason[]])),
});
export const DuplicateCheckResponse = z.object({ candidates: z.array(DuplicateCandidate) });

export const CareTeamAddRequest = z.object({
  userId: Uuid,
  teamRole: z.string().trim().min(1, 'is required').max(100),
});

export const EmergencyAccessRequest = z.object({
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(1000),
});
export const EmergencyAccessResponse = z.object({ id: Uuid, expiresAt: IsoDateTime });

/** A patient looked up by MRN when the user may not open the chart: enough to ask for emergency access. */
export const PatientAccessDenied = z.object({ patientId: Uuid });

export const FlagKind = z.enum(FLAG_KIND_CODES, { error: 'must be one of the flag kinds' });

export const FlagRaiseRequest = z.object({
  kind: FlagKind,
  note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
});
export const FlagClearRequest = z.object({
  note: z.string().trim().min(1, 'must say why the flag is cleared').max(1000),
});
export const FlagListQuery = z.object({
  /** Also cleared flags, newest first after the active ones. */
  all: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const Flag = z.object({
  id: Uuid,
  patientId: Uuid,
  kind: FlagKind,
  label: z.string(),
  severity: z.enum(['high', 'moderate', 'info']),
  note: z.string().nullable(),
  sourceKind: z.string().nullable(),
  sourceId: Uuid.nullable(),
  raisedAt: IsoDateTime,
  raisedByName: z.string().nullable(),
  clearedAt: IsoDateTime.nullable(),
  clearedByName: z.string().nullable(),
  clearedNote: z.string().nullable(),
});
export type Flag = z.infer<typeof Flag>;

/** Admin: join a duplicate record (`mergedId`) into the record that stays (`survivorId`). */
export const PatientMergeRequest = z
  .object({
    survivorId: Uuid,
    mergedId: Uuid,
    reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(1000),
  })
  .refine((m) => m.survivorId !== m.mergedId, { path: ['mergedId'], message: 'must be another record' });
export const PatientMergeUndoRequest = z.object({
  reason: z.string().trim().min(10, 'must say why, in at least 10 characters').max(1000),
});

const MergeSide = z.object({
  id: Uuid,
  mrn: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  birthDate: IsoDate,
});

export const PatientMerge = z.object({
  id: Uuid,
  survivor: MergeSide,
  merged: MergeSide,
  /** How many records moved, per table. */
  moved: z.record(z.string(), z.number().int()),
  reason: z.string(),
  mergedByName: z.string(),
  mergedAt: IsoDateTime,
  undoableUntil: IsoDateTime,
  undoneAt: IsoDateTime.nullable(),
  undoneByName: z.string().nullable(),
  undoReason: z.string().nullable(),
  /** True while an admin may still undo it. */
  undoable: z.boolean(),
});
export type PatientMerge = z.infer<typeof PatientMerge>;

export const PatientMergePreviewQuery = z.object({ survivorMrn: Mrn, mergedMrn: Mrn });
/** Both records side by side before a merge, with what would move. */
export const PatientMergePreview = z.object({
  survivor: Patient.omit({ abilities: true, emergencyAccessUntil: true }),
  merged: Patient.omit({ abilities: true, emergencyAccessUntil: true }),
  /** Linked records of the record to be merged, per table. */
  linked: z.record(z.string(), z.number().int()),
});
