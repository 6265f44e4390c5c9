import { TZDate } from '@date-fns/tz';
import { format } from 'date-fns';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { disclosureOf, RELATIONSHIPS, type Relationship } from '../../../domain/contacts.ts';
import type {
  Contact,
  ContactCreateRequest,
  ContactUpdateRequest,
} from '../../../domain/schemas/contacts.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { notFound, staleVersion } from '../../platform/errors.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { patientContacts } from './patients.tables.ts';

type ContactRow = typeof patientContacts.$inferSelect;
type ContactColumns = Partial<typeof patientContacts.$inferInsert>;

/** Today's date (YYYY-MM-DD) where the organisation is, so that an authorisation ends on its own day there. */
export async function organizationToday(db: DbOrTx, organizationId: string): Promise<string> {
  const [org] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return format(new TZDate(Date.now(), org?.timeZone ?? 'UTC'), 'yyyy-MM-dd');
}

/** The contact as the API shows it, with who may be told what as of `today`. */
export function presentContact(row: ContactRow, today: string): Contact {
  return {
    id: row.id,
    patientId: row.patientId,
    name: row.name,
    relationship: row.relationship as Relationship,
    phones: (row.phones as Contact['phones']) ?? [],
    email: row.email,
    address: (row.address as Contact['address']) ?? null,
    preferredLanguage: row.preferredLanguage,
    isEmergencyContact: row.isEmergencyContact,
    isPrimaryCaregiver: row.isPrimaryCaregiver,
    isLegalGuardian: row.isLegalGuardian,
    isPersonalRepresentative: row.isPersonalRepresentative,
    sharing: {
      authorized: row.sharingAuthorized,
      authorizedOn: row.sharingAuthorizedOn,
      scope: row.sharingScope as Contact['sharing']['scope'],
      expiresOn: row.sharingExpiresOn,
      note: row.sharingNote,
    },
    disclosure: disclosureOf(row, today),
    notes: row.notes,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Request fields to table columns; absent fields stay absent, so that an edit changes only what it names. */
function columnsOf(
  input: Partial<ContactCreateRequest> | Omit<ContactUpdateRequest, 'version'>,
): ContactColumns {
  const { sharing, ...plain } = input;
  const columns: ContactColumns = {};
  for (const [key, value] of Object.entries(plain)) {
    if (value !== undefined) (columns as Record<string, unknown>)[key] = value;
  }
  if (sharing) {
    Object.assign(columns, {
      sharingAuthorized: sharing.authorized,
      sharingAuthorizedOn: sharing.authorizedOn ?? null,
      sharingScope: sharing.scope ?? null,
      sharingExpiresOn: sharing.expiresOn ?? null,
      sharingNote: sharing.note ?? null,
    });
  }
  return columns;
}

const relationshipLabel = (code: string) => RELATIONSHIPS[code as Relationship]?.toLowerCase() ?? code;

/** The patient's active contacts: representatives first, then emergency contacts, then by name. */
export async function listContacts(db: DbOrTx, patientId: string): Promise<ContactRow[]> {
  return db
    .select()
    .from(patientContacts)
    .where(and(eq(patientContacts.patientId, patientId), isNull(patientContacts.retiredAt)))
    .orderBy(
      sql`(${patientContacts.isLegalGuardian} or ${patientContacts.isPersonalRepresentative}) desc`,
      sql`${patientContacts.isEmergencyContact} desc`,
      asc(patientContacts.name),
    );
}

export async function createContact(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  input: ContactCreateRequest,
): Promise<ContactRow> {
  return db.transaction(async (tx) => {
    const [contact] = await tx
      .insert(patientContacts)
      .values({
        ...(columnsOf(input) as typeof patientContacts.$inferInsert),
        organizationId: access.patient.organizationId,
        patientId: access.patient.id,
        createdBy: actor.userId,
      })
      .returning();
    await recordOnTimeline(tx, {
      organizationId: contact!.organizationId,
      patientId: contact!.patientId,
      kind: 'contact',
      summary: `Added ${contact!.name} (${relationshipLabel(contact!.relationship)}) to family and contacts`,
      actorId: actor.userId,
      recordId: contact!.id,
    });
    await appendAudit(tx, access.entry('contact.create', { recordKind: 'contact', recordId: contact!.id }));
    return contact!;
  });
}

async function loadContact(tx: DbOrTx, access: PatientAccess, contactId: string): Promise<ContactRow> {
  const [contact] = await tx
    .select()
    .from(patientContacts)
    .where(
      and(
        eq(patientContacts.id, contactId),
        eq(patientContacts.patientId, access.patient.id),
        isNull(patientContacts.retiredAt),
      ),
    )
    .for('update');
  if (!contact) throw notFound('contact');
  return contact;
}

export async function updateContact(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  contactId: string,
  input: ContactUpdateRequest,
): Promise<ContactRow> {
  const { version, ...fields } = input;
  return db.transaction(async (tx) => {
    const current = await loadContact(tx, access, contactId);
    if (current.version !== version) throw staleVersion(current.version);
    const [contact] = await tx
      .update(patientContacts)
      .set({ ...columnsOf(fields), version: current.version + 1, updatedAt: new Date() })
      .where(eq(patientContacts.id, contactId))
      .returning();
    const changed = Object.keys(fields).filter((k) => fields[k as keyof typeof fields] !== undefined);
    await recordOnTimeline(tx, {
      organizationId: current.organizationId,
      patientId: current.patientId,
      kind: 'contact',
      summary: fields.sharing
        ? `Updated ${contact!.name}: what may be shared with them`
        : `Updated ${contact!.name} in family and contacts`,
      actorId: actor.userId,
      recordId: contactId,
    });
    await appendAudit(
      tx,
      access.entry('contact.update', {
        recordKind: 'contact',
        recordId: contactId,
        detail: { fields: changed },
      }),
    );
    return contact!;
  });
}

/** Contacts are never deleted: a retired one leaves the list and stays on record. */
export async function retireContact(
  db: Db,
  access: PatientAccess,
  actor: Actor,
  contactId: string,
  version?: number,
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await loadContact(tx, access, contactId);
    if (version !== undefined && current.version !== version) throw staleVersion(current.version);
    await tx
      .update(patientContacts)
      .set({
        retiredAt: new Date(),
        retiredBy: actor.userId,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(patientContacts.id, contactId));
    await recordOnTimeline(tx, {
      organizationId: current.organizationId,
      patientId: current.patientId,
      kind: 'contact',
      summary: `Removed ${current.name} from family and contacts`,
      actorId: actor.userId,
      recordId: contactId,
    });
    await appendAudit(tx, access.entry('contact.retire', { recordKind: 'contact', recordId: contactId }));
  });
}
