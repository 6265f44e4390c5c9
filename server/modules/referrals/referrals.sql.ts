import { inArray, sql } from 'drizzle-orm';
import { REQUIRED_SHARES } from '../../../domain/referrals.ts';
import { ACTIVE_REFERRAL_STATUSES, type ReferralStatus } from '../../../domain/workflows/referral.ts';
import type { DbOrTx } from '../../db/client.ts';
import { directoryOrganizations, directoryServices } from '../resources/resources.tables.ts';
import { referralConsents, referrals } from './referrals.tables.ts';

/*
 * SQL the referrals module and its read models share: what counts as active, stalled and in force.
 */

/** The predicate of referrals_active_idx, as literals so that PostgreSQL can match the partial index. */
export const ACTIVE_REFERRAL_SQL = sql.raw(`(${ACTIVE_REFERRAL_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/** The organisation's calendar day, in its own time zone. */
export const organizationToday = (organizationId: unknown) =>
  sql`((now() at time zone (select o.time_zone from organizations o where o.id = ${organizationId}))::date)`;

/** The organisation's calendar day as YYYY-MM-DD. */
export async function organizationTodayOf(db: DbOrTx, organizationId: string): Promise<string> {
  const result = await db.execute(sql`select ${organizationToday(organizationId)}::text as today`);
  return (result as unknown as { rows: { today: string }[] }).rows[0]!.today;
}

/** The instant before which an active referral that has not moved counts as stalled, for the organisation. */
export const stallBefore = (organizationId: unknown) =>
  sql`(now() - make_interval(days => (select o.referral_stall_days from organizations o where o.id = ${organizationId})))`;

/** True for a referral row that is active and has not moved for the organisation's stall days. */
export const stalledSql = sql<boolean>`(${referrals.status} in ${ACTIVE_REFERRAL_SQL} and ${referrals.statusChangedAt} < ${stallBefore(referrals.organizationId)})`;

/** A consent not withdrawn, not expired (the organisation's day) and covering the shares nothing works without. */
export const consentInForceSql = sql<boolean>`(${referralConsents.revokedAt} is null
  and ${referralConsents.expiresOn} >= ${organizationToday(referralConsents.organizationId)}
  and ${referralConsents.shares} @> ${sql.raw(`array[${REQUIRED_SHARES.map((s) => `'${s}'`).join(', ')}]::text[]`)})`;

export interface NeedReferralSummary {
  id: string;
  needId: string;
  service: { id: string; name: string };
  organization: { id: string; name: string };
  status: ReferralStatus;
  stalled: boolean;
  statusChangedAt: Date;
}

/**
 * The referrals of some needs, newest first, for the needs page: one statement whatever the count. Referrals
 * entered in error are left out (they never happened).
 */
export async function referralSummariesOf(
  db: DbOrTx,
  needIds: readonly string[],
): Promise<NeedReferralSummary[]> {
  if (!needIds.length) return [];
  const rows = await db
    .select({
      id: referrals.id,
      needId: referrals.needId,
      serviceId: directoryServices.id,
      serviceName: directoryServices.name,
      orgId: directoryOrganizations.id,
      orgName: directoryOrganizations.name,
      status: referrals.status,
      stalled: stalledSql,
      statusChangedAt: referrals.statusChangedAt,
    })
    .from(referrals)
    .innerJoin(directoryServices, sql`${directoryServices.id} = ${referrals.serviceId}`)
    .innerJoin(
      directoryOrganizations,
      sql`${directoryOrganizations.id} = ${referrals.directoryOrganizationId}`,
    )
    .where(sql`${inArray(referrals.needId, [...needIds])} and ${referrals.status} <> 'entered-in-error'`)
    .orderBy(sql`${referrals.createdAt} desc`, sql`${referrals.id} desc`);
  return rows.map((r) => ({
    id: r.id,
    needId: r.needId!, // the query asked by need
    service: { id: r.serviceId, name: r.serviceName },
    organization: { id: r.orgId, name: r.orgName },
    status: r.status as ReferralStatus,
    stalled: Boolean(r.stalled),
    statusChangedAt: r.statusChangedAt,
  }));
}
