import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import type { SdohDomain } from '../../../domain/needs.ts';
import type { ContactPreferences, Referral, ReferralOutcome } from '../../../domain/schemas/referrals.ts';
import {
  allowedReferralActions,
  REFERRAL_STATUS_LABELS,
  type ReferralActor,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { needs } from '../needs/needs.tables.ts';
import { locationAddressSql } from '../resources/resources.service.ts';
import { directoryOrganizations, directoryServices } from '../resources/resources.tables.ts';
import { stalledSql } from './referrals.sql.ts';
import { referralEvents, referralLinks, referrals } from './referrals.tables.ts';

export type ReferralRow = typeof referrals.$inferSelect;
type ReferralView = z.infer<typeof Referral>;

/** The department's staff act on referrals as the requester. */
export const requesterOf = (actor: Actor): ReferralActor => ({ kind: 'requester', role: actor.role });

/** A referral of the organisation, or 404. */
export async function loadReferral(
  db: DbOrTx,
  organizationId: string,
  referralId: string,
): Promise<ReferralRow> {
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, referralId), eq(referrals.organizationId, organizationId)));
  if (!row) throw notFound('referral');
  return row;
}

/** Who an event names: the person, the organisation through its link, or Kith itself. */
function eventActor(kind: string, name: string | null, orgName: string): string {
  if (kind === 'partner-link') return `${orgName} (through its link)`;
  if (kind === 'system') return 'Kith';
  return name ?? 'Unknown';
}

/**
 * Referrals as the department sees them, with their events, their live link and what the actor may do next:
 * three reads whatever the count.
 */
export async function presentReferrals(
  db: DbOrTx,
  actor: Actor,
  rows: readonly ReferralRow[],
): Promise<ReferralView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [details, events, links] = await Promise.all([
    db
      .select({
        id: referrals.id,
        serviceName: directoryServices.name,
        orgName: directoryOrganizations.name,
        domain: needs.domain,
        address: locationAddressSql(referrals.locationId),
        requesterName: users.displayName,
        stalled: stalledSql,
      })
      .from(referrals)
      .innerJoin(directoryServices, eq(directoryServices.id, referrals.serviceId))
      .innerJoin(directoryOrganizations, eq(directoryOrganizations.id, referrals.directoryOrganizationId))
      .leftJoin(needs, eq(needs.id, referrals.needId))
      .innerJoin(users, eq(users.id, referrals.requestedBy))
      .where(inArray(referrals.id, ids)),
    db
      .select({ event: referralEvents, name: users.displayName })
      .from(referralEvents)
      .leftJoin(users, eq(users.id, referralEvents.actorId))
      .where(inArray(referralEvents.referralId, ids))
      .orderBy(asc(referralEvents.at), asc(referralEvents.id)),
    db
      .select()
      .from(referralLinks)
      .where(and(inArray(referralLinks.referralId, ids), isNull(referralLinks.revokedAt)))
      .orderBy(desc(referralLinks.createdAt)),
  ]);
  const byId = new Map(details.map((d) => [d.id, d]));
  const workflowActor = requesterOf(actor);
  return rows.map((r) => {
    const d = byId.get(r.id)!;
    const status = r.status as ReferralStatus;
    const link = links.find((l) => l.referralId === r.id);
    return {
      id: r.id,
      patientId: r.patientId,
      needId: r.needId,
      needDomain: (d.domain as SdohDomain | null) ?? null,
      choiceListId: r.choiceListId,
      bedOfferedOn: r.bedOfferedOn,
      service: { id: r.serviceId, name: d.serviceName },
      organization: { id: r.directoryOrganizationId, name: d.orgName },
      location: r.locationId ? { id: r.locationId, address: d.address } : null,
      status,
      statusLabel: REFERRAL_STATUS_LABELS[status],
      statusReason: r.statusReason,
      priority: r.priority as ReferralView['priority'],
      note: r.note,
      contactPreferences: r.contactPreferences as z.infer<typeof ContactPreferences>,
      outcome: (r.outcome as z.infer<typeof ReferralOutcome> | null) ?? null,
      consentId: r.consentId,
      requestedBy: { id: r.requestedBy, displayName: d.requesterName },
      requestedAt: r.requestedAt?.toISOString() ?? null,
      statusChangedAt: r.statusChangedAt.toISOString(),
      stalled: Boolean(d.stalled),
      actions: allowedReferralActions(status, workflowActor),
      link: link
        ? {
            sentTo: link.sentTo,
            expiresAt: link.expiresAt.toISOString(),
            lastUsedAt: link.lastUsedAt?.toISOString() ?? null,
          }
        : null,
      events: events
        .filter((e) => e.event.referralId === r.id)
        .map(({ event: e, name }) => ({
          id: e.id,
          fromStatus: (e.fromStatus as ReferralStatus | null) ?? null,
          toStatus: e.toStatus as ReferralStatus,
          reason: e.reason,
          note: e.note,
          actor: eventActor(e.actorKind, name, d.orgName),
          at: e.at.toISOString(),
        })),
      version: r.version,
    };
  });
}

export async function presentReferral(db: DbOrTx, actor: Actor, row: ReferralRow): Promise<ReferralView> {
  const [shown] = await presentReferrals(db, actor, [row]);
  return shown!;
}

/** A patient's referrals, newest first. */
export async function listPatientReferrals(
  db: DbOrTx,
  actor: Actor,
  patientId: string,
): Promise<ReferralView[]> {
  const rows = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.patientId, patientId), eq(referrals.organizationId, actor.organizationId)))
    .orderBy(desc(referrals.createdAt), desc(referrals.id));
  return presentReferrals(db, actor, rows);
}
