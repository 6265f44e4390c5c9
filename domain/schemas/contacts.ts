import { z } from 'zod';
import { DISCLOSURE_STATUSES, RELATIONSHIP_CODES, SHARING_SCOPE_CODES } from '../contacts.ts';
import { Email, IsoDate, IsoDateTime, Uuid } from './common.ts';
import { Address, PatientFields, Phone } from './patients.ts';

export const Relationship = z.enum(RELATIONSHIP_CODES, { error: 'must be one of the relationships' });
export const SharingScope = z.enum(SHARING_SCOPE_CODES, { error: 'must be one of the sharing scopes' });

const today = () => new Date().toISOString().slice(0, 10);

/** The patient's permission to share information with this person. */
export const Sharing = z
  .object({
    authorized: z.boolean(),
    authorizedOn: IsoDate.optional(),
    scope: SharingScope.optional(),
    expiresOn: IsoDate.optional(),
    note: z.string().trim().max(1000, 'must be at most 1000 characters').optional(),
  })
  .superRefine((s, ctx) => {
    if (!s.authorized) return;
    if (!s.authorizedOn) ctx.addIssue({ code: 'custom', path: ['authorizedOn'], message: 'is required' });
    else if (s.authorizedOn > today())
      ctx.addIssue({ code: 'custom', path: ['authorizedOn'], message: 'must not be in the future' });
    if (!s.scope || s.scope === 'none')
      ctx.addIssue({ code: 'custom', path: ['scope'], message: 'must say what may be shared' });
    if (s.expiresOn && s.authorizedOn && s.expiresOn < s.authorizedOn)
      ctx.addIssue({
        code: 'custom',
        path: ['expiresOn'],
        message: 'must be on or after the authorisation date',
      });
  });

const ContactFields = z.object({
  name: z.string().trim().min(1, 'is required').max(200, 'must be at most 200 characters'),
  relationship: Relationship,
  phones: z.array(Phone).max(10, 'must list at most 10 phones'),
  email: Email.optional(),
  address: Address.optional(),
  preferredLanguage: PatientFields.shape.preferredLanguage.optional(),
  isEmergencyContact: z.boolean(),
  isPrimaryCaregiver: z.boolean(),
  isLegalGuardian: z.boolean(),
  /** Health care agent, power of attorney or other personal representative. */
  isPersonalRepresentative: z.boolean(),
  sharing: Sharing,
  notes: z.string().trim().max(2000, 'must be at most 2000 characters').optional(),
});

export const ContactCreateRequest = ContactFields.extend({
  phones: ContactFields.shape.phones.default([]),
  isEmergencyContact: ContactFields.shape.isEmergencyContact.default(false),
  isPrimaryCaregiver: ContactFields.shape.isPrimaryCaregiver.default(false),
  isLegalGuardian: ContactFields.shape.isLegalGuardian.default(false),
  isPersonalRepresentative: ContactFields.shape.isPersonalRepresentative.default(false),
  sharing: ContactFields.shape.sharing.default({ authorized: false }),
});
export type ContactCreateRequest = z.infer<typeof ContactCreateRequest>;

/** A missing field is unchanged; `null` clears an optional one. `sharing` is replaced whole. */
export const ContactUpdateRequest = ContactFields.partial().extend({
  version: z.number().int().min(1),
  email: Email.nullable().optional(),
  address: Address.nullable().optional(),
  preferredLanguage: PatientFields.shape.preferredLanguage.nullable().optional(),
  notes: z.string().trim().max(2000).nullable().optional(),
});
export type ContactUpdateRequest = z.infer<typeof ContactUpdateRequest>;

export const ContactRetireQuery = z.object({ version: z.coerce.number().int().min(1) });

export const Disclosure = z.object({
  status: z.enum(DISCLOSURE_STATUSES),
  scope: SharingScope.nullable(),
  until: IsoDate.nullable(),
});

export const Contact = z.object({
  id: Uuid,
  patientId: Uuid,
  name: z.string(),
  relationship: Relationship,
  phones: z.array(Phone),
  email: z.string().nullable(),
  address: Address.nullable(),
  preferredLanguage: z.string().nullable(),
  isEmergencyContact: z.boolean(),
  isPrimaryCaregiver: z.boolean(),
  isLegalGuardian: z.boolean(),
  isPersonalRepresentative: z.boolean(),
  sharing: z.object({
    authorized: z.boolean(),
    authorizedOn: IsoDate.nullable(),
    scope: SharingScope.nullable(),
    expiresOn: IsoDate.nullable(),
    note: z.string().nullable(),
  }),
  /** Who may be told what, as of today in the organisation's time zone. */
  disclosure: Disclosure,
  notes: z.string().nullable(),
  version: z.number().int(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});
export type Contact = z.infer<typeof Contact>;

export const ContactList = z.object({
  items: z.array(Contact),
  /** Whether the signed-in user may add, edit and retire contacts of this patient. */
  abilities: z.object({ update: z.boolean() }),
});
