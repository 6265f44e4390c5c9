import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { z } from 'zod';
import {
  ANOTHER_PROVIDER_CHOSEN,
  buildChoiceList,
  CHOICE_RADIUS_MILES,
  checkChoices,
  KIND_DISPOSITION,
  type PlacementCandidate,
  POST_ACUTE_KINDS,
  type PostAcuteKind,
  placementStatus,
} from '../../../domain/placement.ts';
import { CANCEL_REASONS, REJECT_REASONS } from '../../../domain/referrals.ts';
import type { EligibilityRules } from '../../../domain/resources.ts';
import { localDate } from '../../../domain/resources-hours.ts';
import type {
  ChoiceEntry,
  ChoiceList,
  ChoiceListCreateRequest,
  ChoicesRequest,
  PlacementReferralRequest,
} from '../../../domain/schemas/placement.ts';
import { REFERRAL_STATUS_LABELS, type ReferralStatus } from '../../../domain/workflows/referral.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { zoneOf } from '../../platform/organizations.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { consentsInForce, recordConsent } from '../referrals/consents.service.ts';
import type { ReferralRow } from '../referrals/referrals.present.ts';
import { type Created, referServices, staffMover } from '../referrals/referrals.service.ts';
import { referrals } from '../referrals/referrals.tables.ts';
import { applyTransition } from '../referrals/referrals.transitions.ts';
import { zipCentroid } from '../resources/geo.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { patientFacts } from '../resources/search.service.ts';
import { dischargeChoiceLists, dischargePlans, postAcuteRatings } from './discharge.tables.ts';

/*
 * Post-acute placement: the choice list drawn from the directory's post-acute providers (domain/placement.ts),
 * the patient's recorded choices, placement referrals through the referral machinery (one per provider, with
 * the choice list instead of a need), and the confirmation of the one accepted provider the patient goes to.
 */

export type PlanRow = typeof dischargePlans.$inferSelect;
export type ChoiceListRow = typeof dischargeChoiceLists.$inferSelect;
type CreateInput = z.infer<typeof ChoiceListCreateRequest>;

/** A discharge plan of the organisation, or 404. */
export async function loadPlan(db: DbOrTx, organizationId: string, planId: string): Promise<PlanRow> {
  const [plan] = await db
    .select()
    .from(dischargePlans)
    .where(and(eq(dischargePlans.id, planId), eq(dischargePlans.organizationId, organizationId)));
  if (!plan) throw notFound('discharge plan');
  return plan;
}

/** A choice list of the organisation, or 404. */
export async function loadChoiceList(
  db: DbOrTx,
  organizationId: string,
  choiceListId: string,
): Promise<ChoiceListRow> {
  const [row] = await db
    .select()
    .from(dischargeChoiceLists)
    .where(
      and(eq(dischargeChoiceLists.id, choiceListId), eq(dischargeChoiceLists.organizationId, organizationId)),
    );
  if (!row) throw notFound('choice list');
  return row;
}

const oneLineAddress = (a: { address1: string; city: string; stateProvince: string; postalCode: string }) =>
  `${a.address1}, ${a.city}, ${a.stateProvince} ${a.postalCode}`;

/** The directory's services of one post-acute kind, with their places, phones and ratings. */
export async function candidatesOf(
  db: DbOrTx,
  organizationId: string,
  kind: PostAcuteKind,
): Promise<PlacementCandidate[]> {
  const services = await db
    .select({
      id: directoryServices.id,
      name: directoryServices.name,
      status: directoryServices.status,
      capabilities: directoryServices.postAcuteCapabilities,
      eligibility: directoryServices.eligibility,
      financialInterest: directoryServices.postAcuteFinancialInterest,
      organizationName: directoryOrganizations.name,
      directoryOrganizationId: directoryOrganizations.id,
    })
    .from(directoryServices)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, directoryServices.directoryOrganizationId),
    )
    .where(
      and(eq(directoryServices.organizationId, organizationId), eq(directoryServices.postAcuteKind, kind)),
    );
  if (!services.length) return [];
  const ids = services.map((s) => s.id);
  const [places, phones, ratings] = await Promise.all([
    db
      .select({
        serviceId: directoryServiceAtLocations.serviceId,
        locationId: directoryLocations.id,
        latitude: directoryLocations.latitude,
        longitude: directoryLocations.longitude,
        address1: directoryAddresses.address1,
        city: directoryAddresses.city,
        stateProvince: directoryAddresses.stateProvince,
        postalCode: directoryAddresses.postalCode,
      })
      .from(directoryServiceAtLocations)
      .innerJoin(directoryLocations, eq(directoryLocations.id, directoryServiceAtLocations.locationId))
      .leftJoin(
        directoryAddresses,
        and(
          eq(directoryAddresses.locationId, directoryLocations.id),
          eq(directoryAddresses.addressType, 'physical'),
        ),
      )
      .where(inArray(directoryServiceAtLocations.serviceId, ids))
      .orderBy(asc(directoryLocations.id)),
    db
      .select({
        serviceId: directoryPhones.serviceId,
        locationId: directoryPhones.locationId,
        directoryOrganizationId: directoryPhones.directoryOrganizationId,
        number: directoryPhones.number,
      })
      .from(directoryPhones)
      .where(
        sql`${directoryPhones.serviceId} in ${ids} or ${directoryPhones.directoryOrganizationId} in ${services.map((s) => s.directoryOrganizationId)} or ${directoryPhones.locationId} in (select location_id from directory_service_at_locations where service_id in ${ids})`,
      ),
    db.select().from(postAcuteRatings).where(inArray(postAcuteRatings.serviceId, ids)),
  ]);
  return services.map((s) => {
    const servicePhone =
      phones.find((p) => p.serviceId === s.id)?.number ??
      phones.find((p) => p.directoryOrganizationId === s.directoryOrganizationId)?.number ??
      null;
    const own = places.filter((p) => p.serviceId === s.id);
    return {
      serviceId: s.id,
      name: s.name,
      organizationName: s.organizationName,
      directoryOrganizationId: s.directoryOrganizationId,
      status: s.status,
      capabilities: s.capabilities,
      eligibility: (s.eligibility ?? {}) as EligibilityRules,
      financialInterest: s.financialInterest,
      phone: servicePhone,
      places: own.map((p) => {
        const fromZip = p.postalCode ? zipCentroid(p.postalCode) : null;
        return {
          point:
            p.latitude !== null && p.longitude !== null
              ? { latitude: p.latitude, longitude: p.longitude }
              : fromZip,
          address: p.address1
            ? oneLineAddress({
                ...p,
                address1: p.address1,
                city: p.city!,
                stateProvince: p.stateProvince!,
                postalCode: p.postalCode!,
              })
            : null,
          phone: phones.find((ph) => ph.locationId === p.locationId)?.number ?? servicePhone,
        };
      }),
      ratings: ratings
        .filter((r) => r.serviceId === s.id)
        .map((r) => ({ measure: r.measure, value: r.value, scale: r.scale, source: r.source, asOf: r.asOf })),
    };
  });
}

/**
 * Draws a choice list for an open plan: the providers of the kind from the directory, filtered by distance
 * (from the ZIP given, else the patient's home ZIP), coverage (the insurance given, else the patient's), and
 * the capabilities needed; stored as offered (a snapshot) with the criteria and how many were left off.
 */
export async function createChoiceList(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  input: CreateInput,
  now: Date = new Date(),
): Promise<ChoiceListRow> {
  if (plan.status !== 'open') {
    throw conflict('plan-not-open', 'This discharge plan is closed: a choice list needs an open plan');
  }
  const timeZone = await zoneOf(db, actor.organizationId);
  const today = localDate(now, timeZone);
  const facts = patientFacts(access.patient, today);
  if (input.insurance) facts.payerTypes = input.insurance.length ? [...input.insurance] : null;
  const centroid = input.zip
    ? zipCentroid(input.zip)
    : facts.postalCode
      ? zipCentroid(facts.postalCode)
      : null;
  if (input.zip && !centroid) throw invalid([{ field: 'zip', message: 'is not a ZIP code we can place' }]);
  if (input.radiusMiles && !centroid) {
    throw invalid([
      { field: 'radiusMiles', message: 'the patient has no home ZIP code to measure from: give a ZIP' },
    ]);
  }
  const radiusMiles = centroid ? (input.radiusMiles ?? CHOICE_RADIUS_MILES.default) : null;
  const candidates = await candidatesOf(db, actor.organizationId, input.kind);
  const { entries, excluded } = buildChoiceList(candidates, {
    origin: centroid,
    radiusMiles,
    needs: input.needs,
    facts,
    year: Number(today.slice(0, 4)),
  });
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(dischargeChoiceLists)
      .values({
        organizationId: actor.organizationId,
        planId: plan.id,
        patientId: plan.patientId,
        kind: input.kind,
        criteria: {
          kind: input.kind,
          zip: centroid?.zip ?? null,
          origin: centroid?.label ?? null,
          radiusMiles,
          insurance: facts.payerTypes ? [...facts.payerTypes] : null,
          needs: input.needs,
          excluded,
        },
        providers: entries,
        createdBy: actor.userId,
      })
      .returning();
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: `Choice list of ${POST_ACUTE_KINDS[input.kind].toLowerCase()} providers drawn (${entries.length} offered)`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'discharge-choice-list',
      recordId: row!.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-choice-list.create', {
        recordKind: 'discharge-choice-list',
        recordId: row!.id,
        detail: { planId: plan.id, kind: input.kind, offered: entries.length },
      }),
    );
    return row!;
  });
}

/** Locks a choice list for the rest of the transaction and checks the version the caller saw. */
async function lockList(tx: DbOrTx, list: ChoiceListRow, version?: number): Promise<ChoiceListRow> {
  const [locked] = await tx
    .select()
    .from(dischargeChoiceLists)
    .where(eq(dischargeChoiceLists.id, list.id))
    .for('update');
  if (version !== undefined && locked!.version !== version) throw staleVersion(locked!.version);
  return locked!;
}

const notConfirmable = () =>
  conflict('placement-confirmed', 'A provider was already confirmed for this choice list');

/** Records that the list was handed to the patient (printed or read out). */
export async function markGiven(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  list: ChoiceListRow,
  version: number,
): Promise<ChoiceListRow> {
  return db.transaction(async (tx) => {
    await lockList(tx, list, version);
    const now = new Date();
    const [row] = await tx
      .update(dischargeChoiceLists)
      .set({
        givenAt: now,
        givenBy: actor.userId,
        version: sql`${dischargeChoiceLists.version} + 1`,
        updatedAt: now,
      })
      .where(eq(dischargeChoiceLists.id, list.id))
      .returning();
    await recordOnTimeline(tx, {
      organizationId: list.organizationId,
      patientId: list.patientId,
      kind: 'discharge',
      summary: `Choice list of ${POST_ACUTE_KINDS[list.kind as PostAcuteKind].toLowerCase()} providers given to the patient`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'discharge-choice-list',
      recordId: list.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-choice-list.given', { recordKind: 'discharge-choice-list', recordId: list.id }),
    );
    return row!;
  });
}

/** Records the patient's or family's choices in order of preference, or that they declined to choose. */
export async function recordChoices(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  list: ChoiceListRow,
  input: z.infer<typeof ChoicesRequest>,
): Promise<ChoiceListRow> {
  const problems = checkChoices(input, list.providers as ChoiceEntry[]);
  if (problems.length) throw invalid(problems);
  return db.transaction(async (tx) => {
    await lockList(tx, list, input.version);
    const now = new Date();
    const [row] = await tx
      .update(dischargeChoiceLists)
      .set({
        choices: input.declinedToChoose ? [] : input.choices,
        chosenBy: input.declinedToChoose ? null : (input.chosenBy ?? null),
        chosenByName: input.declinedToChoose ? null : input.chosenByName || null,
        declinedToChoose: input.declinedToChoose,
        note: input.note || null,
        choicesRecordedAt: now,
        // Recording the choices means the list reached the patient.
        givenAt: list.givenAt ?? now,
        givenBy: list.givenBy ?? actor.userId,
        version: sql`${dischargeChoiceLists.version} + 1`,
        updatedAt: now,
      })
      .where(eq(dischargeChoiceLists.id, list.id))
      .returning();
    const names = new Map((list.providers as ChoiceEntry[]).map((e) => [e.serviceId, e.name]));
    await recordOnTimeline(tx, {
      organizationId: list.organizationId,
      patientId: list.patientId,
      kind: 'discharge',
      summary: input.declinedToChoose
        ? 'Post-acute choice: the patient declined to choose'
        : `Post-acute choice recorded: ${input.choices.map((id, i) => `${i + 1}. ${names.get(id)}`).join(', ')}`,
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'discharge-choice-list',
      recordId: list.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-choice-list.choices', {
        recordKind: 'discharge-choice-list',
        recordId: list.id,
        detail: {
          choices: input.choices,
          declinedToChoose: input.declinedToChoose,
          chosenBy: input.chosenBy,
        },
      }),
    );
    return row!;
  });
}

/**
 * Sends placement referrals to several providers of the list at once, through the referral machinery: consent
 * first (recorded for each provider's organisation without one in force, when the request carries it), then one
 * referral per provider with the choice list and no need, sent by link email and partner inbox.
 */
export async function sendPlacementReferrals(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  list: ChoiceListRow,
  input: z.infer<typeof PlacementReferralRequest>,
): Promise<Created> {
  if (list.confirmedReferralId) throw notConfirmable();
  const offered = new Map((list.providers as ChoiceEntry[]).map((e) => [e.serviceId, e]));
  const problems = input.serviceIds.flatMap((id, i) =>
    offered.has(id) ? [] : [{ field: `serviceIds.${i}`, message: 'is not on this choice list' }],
  );
  if (problems.length) throw invalid(problems);
  if (input.consent) {
    const orgIds = [...new Set(input.serviceIds.map((id) => offered.get(id)!.directoryOrganizationId))];
    const inForce = await consentsInForce(db, list.patientId, orgIds);
    for (const orgId of orgIds.filter((o) => !inForce.has(o))) {
      await recordConsent(db, actor, access, { ...input.consent, directoryOrganizationId: orgId });
    }
  }
  return referServices(
    db,
    config,
    actor,
    access,
    { patientId: list.patientId, choiceListId: list.id },
    {
      services: input.serviceIds.map((serviceId) => ({ serviceId })),
      note: input.note,
      priority: input.priority,
      contactPreferences: input.contactPreferences,
      send: true,
    },
  );
}

/**
 * Confirms the provider the patient goes to: its referral must be accepted; the list's other referrals still
 * open are cancelled ("another provider was chosen"); the plan's target disposition follows the kind.
 */
export async function confirmPlacement(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  list: ChoiceListRow,
  referralId: string,
): Promise<{ list: ChoiceListRow; cancelled: ReferralRow[] }> {
  return db.transaction(async (tx) => {
    const locked = await lockList(tx, list);
    if (locked.confirmedReferralId) throw notConfirmable();
    const mine = await tx
      .select()
      .from(referrals)
      .where(eq(referrals.choiceListId, list.id))
      .orderBy(asc(referrals.createdAt), asc(referrals.id))
      .for('update');
    const chosen = mine.find((r) => r.id === referralId);
    if (!chosen) throw invalid([{ field: 'referralId', message: 'is not a referral of this choice list' }]);
    if (chosen.status !== 'accepted') {
      throw conflict(
        'referral-not-accepted',
        `Only a provider that accepted can be confirmed; this referral is ${REFERRAL_STATUS_LABELS[chosen.status as ReferralStatus]}`,
        { referralStatus: chosen.status },
      );
    }
    const mover = staffMover(actor, access);
    const cancelled: ReferralRow[] = [];
    for (const other of mine) {
      if (other.id === chosen.id) continue;
      if (!['draft', 'requested', 'received', 'accepted', 'in-progress', 'on-hold'].includes(other.status))
        continue;
      const result = await applyTransition(tx, config, other, mover, {
        action: 'cancel',
        version: other.version,
        reason: ANOTHER_PROVIDER_CHOSEN,
      });
      cancelled.push(result.referral);
    }
    const now = new Date();
    const [row] = await tx
      .update(dischargeChoiceLists)
      .set({
        confirmedReferralId: chosen.id,
        confirmedAt: now,
        version: sql`${dischargeChoiceLists.version} + 1`,
        updatedAt: now,
      })
      .where(eq(dischargeChoiceLists.id, list.id))
      .returning();
    const disposition = KIND_DISPOSITION[list.kind as PostAcuteKind];
    if (disposition) {
      await tx
        .update(dischargePlans)
        .set({
          targetDisposition: disposition,
          version: sql`${dischargePlans.version} + 1`,
          updatedAt: now,
        })
        .where(eq(dischargePlans.id, list.planId));
    }
    const provider = (list.providers as ChoiceEntry[]).find((e) => e.serviceId === chosen.serviceId);
    await recordOnTimeline(tx, {
      organizationId: list.organizationId,
      patientId: list.patientId,
      kind: 'discharge',
      summary:
        `Placement confirmed: ${provider?.name ?? 'provider'}` +
        (chosen.bedOfferedOn ? `, bed from ${chosen.bedOfferedOn}` : '') +
        (cancelled.length ? `; ${cancelled.length} other referral(s) cancelled` : ''),
      actorId: actor.userId,
      occurredAt: now,
      recordKind: 'discharge-choice-list',
      recordId: list.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-placement.confirm', {
        recordKind: 'discharge-choice-list',
        recordId: list.id,
        detail: { referralId: chosen.id, cancelled: cancelled.map((r) => r.id), disposition },
      }),
    );
    return { list: row!, cancelled };
  });
}

const reasonLabel = (status: string, reason: string | null) => {
  if (!reason) return null;
  const table: Record<string, string> =
    status === 'rejected' ? REJECT_REASONS : status === 'cancelled' ? CANCEL_REASONS : {};
  return table[reason] ?? reason;
};

/** The choice lists of plans, newest first, with their referrals side by side (no audit: callers audit the read). */
export async function presentChoiceLists(db: DbOrTx, rows: readonly ChoiceListRow[]): Promise<ChoiceList[]> {
  if (!rows.length) return [];
  const refs = await db
    .select({
      referral: referrals,
      serviceName: directoryServices.name,
      organizationName: directoryOrganizations.name,
      answeredAt: sql<
        string | Date | null
      >`(select min(e.at) from referral_events e where e.referral_id = ${referrals.id} and e.to_status in ('accepted', 'rejected'))`,
    })
    .from(referrals)
    .innerJoin(directoryServices, eq(directoryServices.id, referrals.serviceId))
    .innerJoin(directoryOrganizations, eq(directoryOrganizations.id, referrals.directoryOrganizationId))
    .where(
      inArray(
        referrals.choiceListId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(referrals.createdAt), asc(referrals.id));
  return rows.map((l) => {
    const choices = l.choices ?? [];
    return {
      id: l.id,
      planId: l.planId,
      patientId: l.patientId,
      kind: l.kind as PostAcuteKind,
      kindLabel: POST_ACUTE_KINDS[l.kind as PostAcuteKind] ?? l.kind,
      criteria: l.criteria as ChoiceList['criteria'],
      providers: l.providers as ChoiceEntry[],
      givenAt: l.givenAt?.toISOString() ?? null,
      choices,
      chosenBy: l.chosenBy,
      chosenByName: l.chosenByName,
      choicesRecordedAt: l.choicesRecordedAt?.toISOString() ?? null,
      declinedToChoose: l.declinedToChoose,
      note: l.note,
      confirmedReferralId: l.confirmedReferralId,
      confirmedAt: l.confirmedAt?.toISOString() ?? null,
      referrals: refs
        .filter((r) => r.referral.choiceListId === l.id)
        .map(({ referral: r, serviceName, organizationName, answeredAt }) => {
          const rank = choices.indexOf(r.serviceId);
          return {
            id: r.id,
            serviceId: r.serviceId,
            serviceName,
            organizationName,
            status: r.status as ReferralStatus,
            statusLabel: REFERRAL_STATUS_LABELS[r.status as ReferralStatus],
            statusReason: r.statusReason,
            statusReasonLabel: reasonLabel(r.status, r.statusReason),
            bedOfferedOn: r.bedOfferedOn,
            requestedAt: r.requestedAt?.toISOString() ?? null,
            answeredAt: answeredAt ? new Date(answeredAt).toISOString() : null,
            choiceRank: rank === -1 ? null : rank + 1,
            version: r.version,
          };
        }),
      createdAt: l.createdAt.toISOString(),
      version: l.version,
    };
  });
}

/** The choice lists of one plan, newest first, presented; for part 3's plan view and the placement panel. */
export async function choiceListsOf(db: DbOrTx, planId: string): Promise<ChoiceList[]> {
  const rows = await db
    .select()
    .from(dischargeChoiceLists)
    .where(eq(dischargeChoiceLists.planId, planId))
    .orderBy(sql`${dischargeChoiceLists.createdAt} desc`, sql`${dischargeChoiceLists.id} desc`);
  return presentChoiceLists(db, rows);
}

/** Where the placement of each plan stands (unit list): from its lists' referrals and confirmations. */
export async function placementStatusOf(db: DbOrTx, planIds: readonly string[]) {
  const out = new Map<string, ReturnType<typeof placementStatus>>();
  if (!planIds.length) return out;
  const lists = await db
    .select({
      planId: dischargeChoiceLists.planId,
      id: dischargeChoiceLists.id,
      confirmedReferralId: dischargeChoiceLists.confirmedReferralId,
      statuses: sql<
        string[]
      >`coalesce((select array_agg(r.status) from referrals r where r.choice_list_id = ${dischargeChoiceLists.id}), '{}')`,
    })
    .from(dischargeChoiceLists)
    .where(inArray(dischargeChoiceLists.planId, [...planIds]));
  for (const planId of planIds) {
    out.set(
      planId,
      placementStatus(
        lists
          .filter((l) => l.planId === planId)
          .map((l) => ({ confirmedReferralId: l.confirmedReferralId, referralStatuses: l.statuses ?? [] })),
      ),
    );
  }
  return out;
}
