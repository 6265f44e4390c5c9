import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { REQUIRED_SHARES, SHARE_ITEMS, type ShareItem } from '../../../domain/referrals.ts';
import type { Consent, ConsentRequest } from '../../../domain/schemas/referrals.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, invalid, notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { directoryOrganizations } from '../resources/resources.tables.ts';
import { ACTIVE_REFERRAL_SQL, consentInForceSql, organizationTodayOf } from './referrals.sql.ts';
import { referralConsents, referralLinks, referrals } from './referrals.tables.ts';

/*
 * The patient's consent to share with one community organisation (a FHIR Consent). Nothing is sent without
 * one in force; withdrawing it stops the organisation's links and what its views show.
 */

export type ConsentRow = typeof referralConsents.$inferSelect;
type ConsentView = z.infer<typeof Consent>;

const requiredLabels = () => REQUIRED_SHARES.map((s) => SHARE_ITEMS[s]).join(', ');

/** The name of a directory organisation of the tenant, or null when the directory holds none such. */
async function directoryOrganizationName(db: DbOrTx, organizationId: string, id: string) {
  const [row] = await db
    .select({ name: directoryOrganizations.name })
    .from(directoryOrganizations)
    .where(and(eq(directoryOrganizations.id, id), eq(directoryOrganizations.organizationId, organizationId)));
  return row?.name ?? null;
}

/**
 * Records what the patient agreed to share with an organisation of the directory, until when. It must cover
 * the shares a referral cannot work without and must not already have expired: 422 naming the field.
 */
export async function recordConsent(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  input: z.infer<typeof ConsentRequest>,
): Promise<ConsentRow> {
  const orgName = await directoryOrganizationName(db, actor.organizationId, input.directoryOrganizationId);
  const problems = [];
  if (!orgName) problems.push({ field: 'directoryOrganizationId', message: 'is not in your directory' });
  const missing = REQUIRED_SHARES.filter((s) => !input.shares.includes(s));
  if (missing.length) {
    problems.push({
      field: 'shares',
      message: `must include ${requiredLabels()}: a referral cannot work without them`,
    });
  }
  if (input.expiresOn < (await organizationTodayOf(db, actor.organizationId)))
    problems.push({ field: 'expiresOn', message: 'must be today or later' });
  if (problems.length) throw invalid(problems);
  return db.transaction(async (tx) => {
    const [consent] = await tx
      .insert(referralConsents)
      .values({
        organizationId: actor.organizationId,
        patientId: access.patient.id,
        directoryOrganizationId: input.directoryOrganizationId,
        shares: [...new Set(input.shares)],
        method: input.method,
        givenBy: input.givenBy,
        givenAt: new Date(),
        expiresOn: input.expiresOn,
        recordedBy: actor.userId,
      })
      .returning();
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: access.patient.id,
      kind: 'referral',
      summary: `Consent to share with ${orgName} recorded (${input.method}, until ${input.expiresOn})`,
      actorId: actor.userId,
      recordKind: 'referral-consent',
      recordId: consent!.id,
    });
    await appendAudit(
      tx,
      access.entry('referral-consent.create', {
        recordKind: 'referral-consent',
        recordId: consent!.id,
        detail: { directoryOrganizationId: input.directoryOrganizationId, shares: consent!.shares },
      }),
    );
    return consent!;
  });
}

/** A consent of the tenant, or 404. */
export async function loadConsent(
  db: DbOrTx,
  organizationId: string,
  consentId: string,
): Promise<ConsentRow> {
  const [row] = await db
    .select()
    .from(referralConsents)
    .where(and(eq(referralConsents.id, consentId), eq(referralConsents.organizationId, organizationId)));
  if (!row) throw notFound('consent');
  return row;
}

/**
 * Withdraws a consent. Nothing is cancelled by itself (the worker decides what becomes of the referrals), but
 * every live link of the patient's active referrals to that organisation stops working, and what the
 * organisation's views share goes with it unless another consent is in force.
 */
export async function revokeConsent(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  consentId: string,
  reason: string,
): Promise<ConsentRow> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(referralConsents)
      .where(
        and(eq(referralConsents.id, consentId), eq(referralConsents.organizationId, actor.organizationId)),
      )
      .for('update');
    if (!current) throw notFound('consent');
    if (current.revokedAt) throw conflict('consent-revoked', 'This consent was already withdrawn');
    const now = new Date();
    const [revoked] = await tx
      .update(referralConsents)
      .set({ revokedAt: now, revokedBy: actor.userId, revokedReason: reason })
      .where(eq(referralConsents.id, current.id))
      .returning();
    const links = await tx
      .update(referralLinks)
      .set({ revokedAt: now })
      .where(
        and(
          isNull(referralLinks.revokedAt),
          inArray(
            referralLinks.referralId,
            tx
              .select({ id: referrals.id })
              .from(referrals)
              .where(
                and(
                  eq(referrals.patientId, current.patientId),
                  eq(referrals.directoryOrganizationId, current.directoryOrganizationId),
                  sql`${referrals.status} in ${ACTIVE_REFERRAL_SQL}`,
                ),
              ),
          ),
        ),
      )
      .returning({ id: referralLinks.id });
    const orgName = await directoryOrganizationName(
      tx,
      actor.organizationId,
      current.directoryOrganizationId,
    );
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: current.patientId,
      kind: 'referral',
      summary: `Consent to share with ${orgName} withdrawn`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'referral-consent',
      recordId: current.id,
    });
    await appendAudit(
      tx,
      access.entry('referral-consent.revoke', {
        recordKind: 'referral-consent',
        recordId: current.id,
        reason,
        detail: { linksRevoked: links.map((l) => l.id) },
      }),
    );
    return revoked!;
  });
}

/**
 * The newest consent in force from a patient for each of some organisations (withdrawn, expired or too narrow
 * ones do not count).
 */
export async function consentsInForce(
  db: DbOrTx,
  patientId: string,
  directoryOrganizationIds: readonly string[],
): Promise<Map<string, ConsentRow>> {
  if (!directoryOrganizationIds.length) return new Map();
  const rows = await db
    .select()
    .from(referralConsents)
    .where(
      and(
        eq(referralConsents.patientId, patientId),
        inArray(referralConsents.directoryOrganizationId, [...directoryOrganizationIds]),
        consentInForceSql,
      ),
    )
    .orderBy(desc(referralConsents.givenAt), desc(referralConsents.id));
  const byOrg = new Map<string, ConsentRow>();
  for (const row of rows)
    if (!byOrg.has(row.directoryOrganizationId)) byOrg.set(row.directoryOrganizationId, row);
  return byOrg;
}

/** The patient's consents, newest first, with whether each is in force today. */
export async function listConsents(db: DbOrTx, patientId: string, only?: string): Promise<ConsentView[]> {
  const rows = await db
    .select({
      consent: referralConsents,
      orgName: directoryOrganizations.name,
      recorderName: users.displayName,
      inForce: consentInForceSql,
    })
    .from(referralConsents)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, referralConsents.directoryOrganizationId),
    )
    .innerJoin(users, eq(users.id, referralConsents.recordedBy))
    .where(and(eq(referralConsents.patientId, patientId), only ? eq(referralConsents.id, only) : undefined))
    .orderBy(desc(referralConsents.givenAt), desc(referralConsents.id));
  return rows.map(({ consent: c, orgName, recorderName, inForce }) => ({
    id: c.id,
    patientId: c.patientId,
    directoryOrganization: { id: c.directoryOrganizationId, name: orgName },
    shares: c.shares as ShareItem[],
    method: c.method as ConsentView['method'],
    givenBy: c.givenBy,
    givenAt: c.givenAt.toISOString(),
    expiresOn: c.expiresOn,
    recordedBy: { id: c.recordedBy, displayName: recorderName },
    revokedAt: c.revokedAt?.toISOString() ?? null,
    inForce: Boolean(inForce),
  }));
}

/** One consent as the API shows it. */
export async function presentConsent(db: DbOrTx, consent: ConsentRow): Promise<ConsentView> {
  const [shown] = await listConsents(db, consent.patientId, consent.id);
  return shown!;
}
