import { eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import { POST_ACUTE_KINDS, type PostAcuteKind } from '../../../domain/placement.ts';
import { REQUIRED_SHARES, type ShareItem } from '../../../domain/referrals.ts';
import type {
  ContactPreferences,
  PartnerReferralView,
  ReferralOutcome,
} from '../../../domain/schemas/referrals.ts';
import {
  allowedReferralActions,
  REFERRAL_STATUS_LABELS,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { needs } from '../needs/needs.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import { directoryOrganizations, directoryServices } from '../resources/resources.tables.ts';
import type { ReferralRow } from './referrals.present.ts';
import { organizationToday } from './referrals.sql.ts';
import { referrals } from './referrals.tables.ts';

type View = z.infer<typeof PartnerReferralView>;
type Contact = z.infer<typeof ContactPreferences>;
interface PostalAddress {
  line1?: string;
  line2?: string;
  city?: string;
  state?: string;
  postalCode?: string;
}

const REQUIRED_ARRAY = sql.raw(`array[${REQUIRED_SHARES.map((s) => `'${s}'`).join(', ')}]::text[]`);

/**
 * What the patient shares with the referral's organisation right now: the newest consent in force for it.
 * Withdrawn or expired, the organisation sees nothing but the status.
 */
const sharesInForce = sql<string[] | null>`(select c.shares from referral_consents c
  where c.patient_id = ${referrals.patientId} and c.directory_organization_id = ${referrals.directoryOrganizationId}
    and c.revoked_at is null and c.expires_on >= ${organizationToday(referrals.organizationId)}
    and c.shares @> ${REQUIRED_ARRAY}
  order by c.given_at desc limit 1)`;

const oneLine = (a: PostalAddress | null) =>
  a
    ? [a.line1, a.line2, a.city, [a.state, a.postalCode].filter(Boolean).join(' ')]
        .filter(Boolean)
        .join(', ') || null
    : null;

/** The steps the organisation takes by hand: `receive` happens by itself when it first opens the referral. */
export const partnerActions = (status: ReferralStatus) =>
  allowedReferralActions(status, { kind: 'performer' }).filter((a) => a !== 'receive');

/**
 * Referrals as a community organisation sees them (link page and partner inbox): the department, the
 * service, the status, and only the items the patient's consent in force shares. Two reads whatever the count.
 */
export async function presentPartnerViews(db: DbOrTx, rows: readonly ReferralRow[]): Promise<View[]> {
  if (!rows.length) return [];
  const details = await db
    .select({
      id: referrals.id,
      department: organizations.name,
      service: directoryServices.name,
      organization: directoryOrganizations.name,
      shares: sharesInForce,
      givenName: patients.givenName,
      familyName: patients.familyName,
      preferredName: patients.preferredName,
      birthDate: patients.birthDate,
      language: patients.preferredLanguage,
      address: patients.address,
      phones: patients.phones,
      domain: needs.domain,
      placementKind: directoryServices.postAcuteKind,
    })
    .from(referrals)
    .innerJoin(organizations, eq(organizations.id, referrals.organizationId))
    .innerJoin(directoryServices, eq(directoryServices.id, referrals.serviceId))
    .innerJoin(directoryOrganizations, eq(directoryOrganizations.id, referrals.directoryOrganizationId))
    .innerJoin(patients, eq(patients.id, referrals.patientId))
    .leftJoin(needs, eq(needs.id, referrals.needId))
    .where(
      inArray(
        referrals.id,
        rows.map((r) => r.id),
      ),
    );
  const byId = new Map(details.map((d) => [d.id, d]));
  return rows.map((r) => {
    const d = byId.get(r.id)!;
    const status = r.status as ReferralStatus;
    const shares = new Set((d.shares ?? []) as ShareItem[]);
    const contact = r.contactPreferences as Contact;
    const firstPhone = (d.phones as { number?: string }[] | null)?.[0]?.number ?? null;
    const shared: View['shared'] = {};
    if (shares.has('name')) shared.name = `${d.preferredName || d.givenName} ${d.familyName}`;
    if (shares.has('contact')) {
      shared.phone = contact.phone || firstPhone;
      shared.email = contact.email || null;
      shared.contactPreferences = contact;
    }
    if (shares.has('birth-date')) shared.birthDate = d.birthDate;
    if (shares.has('address')) shared.address = oneLine(d.address as PostalAddress | null);
    if (shares.has('language')) shared.language = contact.language || d.language;
    if (shares.has('need')) {
      shared.need = r.choiceListId
        ? `Post-acute placement: ${POST_ACUTE_KINDS[d.placementKind as PostAcuteKind] ?? 'post-acute care'}`
        : (SDOH_DOMAIN_LABELS[d.domain as SdohDomain] ?? d.domain ?? '');
    }
    if (shares.has('note')) shared.note = r.note;
    return {
      id: r.id,
      department: d.department,
      organization: d.organization,
      service: d.service,
      status,
      statusLabel: REFERRAL_STATUS_LABELS[status],
      sentAt: r.requestedAt?.toISOString() ?? null,
      priority: r.priority as View['priority'],
      shared,
      actions: partnerActions(status),
      outcome: (r.outcome as z.infer<typeof ReferralOutcome> | null) ?? null,
      // Only a placement carries these: accepting it asks for the day the bed is offered.
      ...(r.choiceListId ? { placement: true, bedOfferedOn: r.bedOfferedOn } : {}),
      version: r.version,
    };
  });
}

export async function presentPartnerView(db: DbOrTx, row: ReferralRow): Promise<View> {
  const [view] = await presentPartnerViews(db, [row]);
  return view!;
}
