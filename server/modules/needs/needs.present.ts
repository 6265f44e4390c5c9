import { and, asc, desc, eq, inArray, isNull, not, type SQL, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { z } from 'zod';
import { PSYCHOSOCIAL } from '../../../domain/assessments.ts';
import { getInstrument } from '../../../domain/instruments/index.ts';
import { type NeedLinkKind, SDOH_CATEGORY_SYSTEM, type SdohDomain } from '../../../domain/needs.ts';
import type { NeedListQuery, Need as NeedSchema } from '../../../domain/schemas/needs.ts';
import { allowedNeedActions, isOpenNeed, type NeedStatus } from '../../../domain/workflows/need.ts';
import { REFERRAL_STATUS_LABELS } from '../../../domain/workflows/referral.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Actor } from '../../platform/actor.ts';
import { notFound } from '../../platform/errors.ts';
import { users } from '../../platform/platform.tables.ts';
import { assessments } from '../assessments/assessments.tables.ts';
import { referralSummariesOf } from '../referrals/referrals.sql.ts';
import { domainLabel, OPEN_NEED_SQL } from './lifecycle.service.ts';
import { needFindings, needLinks, needs, needTransitions } from './needs.tables.ts';

type NeedRow = typeof needs.$inferSelect;
type Need = z.infer<typeof NeedSchema>;
type Person = { id: string; displayName: string } | null;

/** A need of the actor's organisation, or 404 (another organisation's need is not found either). */
export async function loadNeed(db: DbOrTx, actor: Actor, needId: string): Promise<NeedRow> {
  const [row] = await db
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.organizationId, actor.organizationId)));
  if (!row) throw notFound('need');
  return row;
}

/** How a finding names what found it: the instrument's title, or the psychosocial assessment. */
export function instrumentTitle(instrumentId: string, version?: string): string {
  if (instrumentId === PSYCHOSOCIAL) return 'Psychosocial assessment';
  return (getInstrument(instrumentId, version) ?? getInstrument(instrumentId))?.title ?? instrumentId;
}

const STATUS_FILTER: Record<z.infer<typeof NeedListQuery>['status'], SQL | undefined> = {
  open: sql`${needs.status} in ${OPEN_NEED_SQL}`,
  closed: not(sql`${needs.status} in ${OPEN_NEED_SQL}`),
  all: undefined,
};

/** A patient's needs: open ones first, then newest identified first. */
export async function listNeeds(
  db: DbOrTx,
  actor: Actor,
  patientId: string,
  status: z.infer<typeof NeedListQuery>['status'],
): Promise<Need[]> {
  const rows = await db
    .select()
    .from(needs)
    .where(and(eq(needs.patientId, patientId), STATUS_FILTER[status]))
    .orderBy(sql`${needs.status} in ${OPEN_NEED_SQL} desc`, desc(needs.identifiedAt), asc(needs.id));
  return presentNeeds(db, actor, rows);
}

/** One need as the API shows it. */
export async function presentNeed(db: DbOrTx, actor: Actor, need: NeedRow): Promise<Need> {
  const [shown] = await presentNeeds(db, actor, [need]);
  return shown!;
}

const identifier = alias(users, 'identifier');
const changer = alias(users, 'changer');

/**
 * Needs with their findings, live links, history, referrals and the actor's actions: five reads, whatever the
 * count.
 */
export async function presentNeeds(db: DbOrTx, actor: Actor, rows: readonly NeedRow[]): Promise<Need[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [people, findings, links, history, referred] = await Promise.all([
    db
      .select({ id: needs.id, identifiedBy: identifier.displayName, changedBy: changer.displayName })
      .from(needs)
      .leftJoin(identifier, eq(identifier.id, needs.identifiedBy))
      .leftJoin(changer, eq(changer.id, needs.statusChangedBy))
      .where(inArray(needs.id, ids)),
    db
      .select({
        needId: needFindings.needId,
        assessmentId: needFindings.assessmentId,
        foundAt: needFindings.foundAt,
        instrumentId: assessments.instrumentId,
        instrumentVersion: assessments.instrumentVersion,
      })
      .from(needFindings)
      .innerJoin(assessments, eq(assessments.id, needFindings.assessmentId))
      .where(inArray(needFindings.needId, ids))
      .orderBy(desc(needFindings.foundAt), desc(needFindings.id)),
    db
      .select({
        needId: needLinks.needId,
        kind: needLinks.kind,
        targetId: needLinks.targetId,
        linkedAt: needLinks.linkedAt,
      })
      .from(needLinks)
      .where(and(inArray(needLinks.needId, ids), isNull(needLinks.unlinkedAt)))
      .orderBy(asc(needLinks.linkedAt)),
    db
      .select({
        needId: needTransitions.needId,
        action: needTransitions.action,
        fromStatus: needTransitions.fromStatus,
        toStatus: needTransitions.toStatus,
        byId: needTransitions.byUser,
        byName: users.displayName,
        at: needTransitions.at,
        note: needTransitions.note,
      })
      .from(needTransitions)
      .leftJoin(users, eq(users.id, needTransitions.byUser))
      .where(inArray(needTransitions.needId, ids))
      .orderBy(asc(needTransitions.at), asc(needTransitions.id)),
    referralSummariesOf(db, ids),
  ]);
  const names = new Map(people.map((p) => [p.id, p]));
  const person = (id: string | null, name: string | null | undefined): Person =>
    id ? { id, displayName: name ?? '' } : null;
  return rows.map((need) => {
    const status = need.status as NeedStatus;
    const activeLinks = links.filter((l) => l.needId === need.id);
    return {
      id: need.id,
      patientId: need.patientId,
      domain: need.domain as SdohDomain,
      label: domainLabel(need.domain),
      coding: { system: SDOH_CATEGORY_SYSTEM, code: need.domain },
      status,
      open: isOpenNeed(status),
      identifiedAt: need.identifiedAt.toISOString(),
      identifiedBy: person(need.identifiedBy, names.get(need.id)?.identifiedBy),
      lastFoundAt: need.lastFoundAt.toISOString(),
      note: need.note,
      statusChangedAt: need.statusChangedAt.toISOString(),
      statusChangedBy: person(need.statusChangedBy, names.get(need.id)?.changedBy),
      findings: findings
        .filter((f) => f.needId === need.id)
        .map((f) => ({
          assessmentId: f.assessmentId,
          instrument: f.instrumentId,
          title: instrumentTitle(f.instrumentId, f.instrumentVersion),
          foundAt: f.foundAt.toISOString(),
        })),
      links: activeLinks.map((l) => ({
        kind: l.kind as NeedLinkKind,
        targetId: l.targetId,
        linkedAt: l.linkedAt.toISOString(),
      })),
      history: history
        .filter((h) => h.needId === need.id)
        .map((h) => ({
          action: h.action,
          fromStatus: h.fromStatus,
          toStatus: h.toStatus,
          by: person(h.byId, h.byName),
          at: h.at.toISOString(),
          note: h.note,
        })),
      referrals: referred
        .filter((r) => r.needId === need.id)
        .map((r) => ({
          id: r.id,
          service: r.service,
          organization: r.organization,
          status: r.status,
          statusLabel: REFERRAL_STATUS_LABELS[r.status],
          stalled: r.stalled,
          statusChangedAt: r.statusChangedAt.toISOString(),
        })),
      version: need.version,
      allowedActions: allowedNeedActions({ status, activeLinks: activeLinks.length }, actor.role),
    };
  });
}
