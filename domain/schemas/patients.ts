import { z } from 'zod';
import { IsoDate, IsoDateTime, NamePart, PageQuery, Uuid } from './common.ts';

export const Mrn = z
  .string()
  .trim()
  .min(1, 'is required')
  .max(32, 'must be at most 32 characters')
  .regex(/^[A-Za-z0-9-]+$/, 'may hold only letters, digits and hyphens');

export const Phone = z.object({
  use: z.enum(['home', 'mobile', 'work', 'other']),
  number: z
    .string()
    .trim()
    .regex(/^\+?[0-9 ().-]{7,20}$/, 'must be a phone number'),
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
});

/** Defaults apply when a patient is registered, never on an edit (where a missing field means "unchanged"). */
export const PatientCreateRequest = PatientFields.extend({
  preferredLanguage: PatientFields.shape.preferredLanguage.default('en'),
  interpreterNeeded: PatientFields.shape.interpreterNeeded.default(false),
  phones: PatientFields.shape.phones.default([]),
});
export const PatientUpdateRequest = PatientFields.partial();

export const CareTeamMember = z.object({
  id: Uuid,
  userId: Uuid,
  displayName: z.string(),
  role: z.string(),
  teamRole: z.string(),
  addedAt: IsoDateTime,
});

export const Patient = PatientFields.extend({
  id: Uuid,
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

export const PatientListQuery = PageQuery.extend({ q: z.string().trim().max(100).optional() });

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
