import { and, eq, isNull, sql } from 'drizzle-orm';
import { PSYCHOSOCIAL } from '../../../domain/assessments.ts';
import { getInstrument } from '../../../domain/instruments/index.ts';
import type { NeedLinkKind, SdohDomain } from '../../../domain/needs.ts';
import { decideNeedTransition, isOpenNeed, type NeedStatus } from '../../../domain/workflows/need.ts';
import type { DbOrTx } from '../../db/client.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, notFound } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { assessments } from '../assessments/assessments.tables.ts';
import {
  type AuditAs,
  activeLinkCount,
  changeStatus,
  domainLabel,
  insertOpenNeed,
  lockNeed,
  type NeedRow,
  openNeedOf,
  systemAudit,
} from './lifecycle.service.ts';
import { needFindings, needLinks, needs } from './needs.tables.ts';

/*
 * What other modules call: assessments record what a screen found (recordNeedsFound) and show it
 * (needsFoundBy); referrals and counseling goals hang on needs (linkToNeed, unlinkFromNeed).
 */
export type { AuditAs, NeedRow } from './lifecycle.service.ts';

/** How the timeline names the instrument that found a need. */
const shortName = (instrumentId: string) =>
  instrumentId === PSYCHOSOCIAL
    ? 'psychosocial assessment'
    : (getInstrument(instrumentId)?.shortTitle ?? instrumentId);

export interface NeedsFoundInput {
  organizationId: string;
  patientId: string;
  assessmentId: string;
  domains: readonly SdohDomain[];
  foundAt: Date;
  actorId: string | null;
}

export interface FoundNeed {
  id: string;
  domain: SdohDomain;
  status: NeedStatus;
  /** This assessment is the one that identified the need. */
  isNew: boolean;
}

/**
 * Records what a completed (or amended) assessment found, in the caller's transaction. For each domain: an
 * open need of it gets a finding (once per need and assessment); otherwise a new identified need is made, with
 * its timeline entry and audit record. Idempotent: the same assessment again changes nothing. An amendment
 * does not re-open what its chain already found and a worker has since closed.
 */
export async function recordNeedsFound(
  tx: DbOrTx,
  input: NeedsFoundInput,
  auditAs?: AuditAs,
): Promise<FoundNeed[]> {
  // Sorted, so that two transactions take the index entries in the same order (no deadlock).
  const domains = [...new Set(input.domains)].sort();
  if (!domains.length) return [];
  const [source] = await tx
    .select({ instrumentId: assessments.instrumentId, rootId: assessments.rootId })
    .from(assessments)
    .where(
      and(
        eq(assessments.id, input.assessmentId),
        eq(assessments.patientId, input.patientId),
        eq(assessments.organizationId, input.organizationId),
      ),
    );
  if (!source) throw notFound('assessment of this patient');
  const foundByChain = await needsFoundByChain(tx, input.patientId, source.rootId);
  const audit = auditAs ?? systemAudit(input.organizationId, input.patientId, input.actorId);
  const found: FoundNeed[] = [];
  for (const domain of domains) {
    found.push(await recordOne(tx, input, domain, source.instrumentId, foundByChain.get(domain), audit));
  }
  return found;
}

async function recordOne(
  tx: DbOrTx,
  input: NeedsFoundInput,
  domain: SdohDomain,
  instrumentId: string,
  earlier: NeedRow | undefined,
  audit: AuditAs,
): Promise<FoundNeed> {
  const shown = (n: NeedRow): FoundNeed => ({
    id: n.id,
    domain,
    status: n.status as NeedStatus,
    isNew: n.sourceAssessmentId === input.assessmentId,
  });
  // Twice at most in practice: a need opened by another transaction between our read and our insert.
  // What this assessment (or its amendment chain) found and a worker has since closed stays closed.
  if (earlier && !isOpenNeed(earlier.status as NeedStatus)) return shown(earlier);
  for (let attempt = 0; attempt < 3; attempt++) {
    const open = await openNeedOf(tx, input.patientId, domain);
    if (open) {
      await addFinding(tx, input, open, audit);
      return shown(open);
    }
    if (earlier) return shown(earlier);
    const created = await insertOpenNeed(tx, {
      organizationId: input.organizationId,
      patientId: input.patientId,
      domain,
      sourceAssessmentId: input.assessmentId,
      at: input.foundAt,
      by: input.actorId,
    });
    if (!created) continue;
    await tx.insert(needFindings).values({
      organizationId: input.organizationId,
      needId: created.id,
      assessmentId: input.assessmentId,
      foundAt: input.foundAt,
    });
    await recordOnTimeline(tx, {
      organizationId: input.organizationId,
      patientId: input.patientId,
      kind: 'need',
      summary: `Need identified: ${domainLabel(domain)} (${shortName(instrumentId)})`,
      actorId: input.actorId,
      occurredAt: input.foundAt,
      recordKind: 'need',
      recordId: created.id,
      detail: { domain, assessmentId: input.assessmentId },
    });
    await appendAudit(
      tx,
      audit('need.identify', {
        recordKind: 'need',
        recordId: created.id,
        detail: { domain, assessmentId: input.assessmentId },
      }),
    );
    return shown(created);
  }
  // Other transactions kept opening and closing this need: a 409 the caller may retry, never a 500.
  throw conflict('need-busy', 'This need was being changed at the same time; try again');
}

/** One finding per need and assessment; a new one moves the need's last-found time forward. */
async function addFinding(tx: DbOrTx, input: NeedsFoundInput, need: NeedRow, audit: AuditAs): Promise<void> {
  const [finding] = await tx
    .insert(needFindings)
    .values({
      organizationId: input.organizationId,
      needId: need.id,
      assessmentId: input.assessmentId,
      foundAt: input.foundAt,
    })
    .onConflictDoNothing({ target: [needFindings.needId, needFindings.assessmentId] })
    .returning({ id: needFindings.id });
  if (!finding) return;
  await tx
    .update(needs)
    .set({
      lastFoundAt: sql`greatest(${needs.lastFoundAt}, ${input.foundAt.toISOString()}::timestamptz)`,
      updatedAt: new Date(),
    })
    .where(eq(needs.id, need.id));
  await appendAudit(
    tx,
    audit('need.found-again', {
      recordKind: 'need',
      recordId: need.id,
      detail: { domain: need.domain, assessmentId: input.assessmentId, findingId: finding.id },
    }),
  );
}

/** The needs of the patient found by any assessment of an amendment chain, newest per domain. */
async function needsFoundByChain(
  tx: DbOrTx,
  patientId: string,
  rootId: string,
): Promise<Map<string, NeedRow>> {
  const rows = await tx
    .select({ need: needs })
    .from(needFindings)
    .innerJoin(needs, eq(needs.id, needFindings.needId))
    .innerJoin(assessments, eq(assessments.id, needFindings.assessmentId))
    .where(and(eq(assessments.rootId, rootId), eq(needs.patientId, patientId)))
    .orderBy(needs.identifiedAt);
  return new Map(rows.map((r) => [r.need.domain, r.need]));
}

/** The needs an assessment found, for presenting it: `isNew` when this assessment identified the need. */
export async function needsFoundBy(db: DbOrTx, assessmentId: string): Promise<FoundNeed[]> {
  const rows = await db
    .select({ id: needs.id, domain: needs.domain, status: needs.status, source: needs.sourceAssessmentId })
    .from(needFindings)
    .innerJoin(needs, eq(needs.id, needFindings.needId))
    .where(eq(needFindings.assessmentId, assessmentId))
    .orderBy(needs.domain);
  return rows.map((r) => ({
    id: r.id,
    domain: r.domain as SdohDomain,
    status: r.status as NeedStatus,
    isNew: r.source === assessmentId,
  }));
}

export interface NeedLinkInput {
  organizationId: string;
  needId: string;
  kind: NeedLinkKind;
  /** The referral's or goal's id in its own module. */
  targetId: string;
  actorId: string | null;
}

/**
 * Hangs a referral or counseling goal on an open need (idempotent; a link taken off earlier is put back). The
 * first link moves an identified need to being-addressed, as the system. A closed need takes no new links:
 * 409 `need-closed` (reopen it first). Returns the need as it now is.
 */
export async function linkToNeed(tx: DbOrTx, input: NeedLinkInput, auditAs?: AuditAs): Promise<NeedRow> {
  const need = await lockNeed(tx, input.organizationId, input.needId);
  const audit = auditAs ?? systemAudit(need.organizationId, need.patientId, input.actorId);
  if (!isOpenNeed(need.status as NeedStatus)) {
    throw conflict('need-closed', 'This need is closed: reopen it before linking to it', {
      needStatus: need.status,
    });
  }
  const now = new Date();
  const [link] = await tx
    .insert(needLinks)
    .values({
      organizationId: need.organizationId,
      needId: need.id,
      kind: input.kind,
      targetId: input.targetId,
      linkedBy: input.actorId,
      linkedAt: now,
    })
    .onConflictDoUpdate({
      target: [needLinks.needId, needLinks.kind, needLinks.targetId],
      set: { unlinkedAt: null, linkedAt: now, linkedBy: input.actorId },
      setWhere: sql`${needLinks.unlinkedAt} is not null`,
    })
    .returning({ id: needLinks.id });
  if (!link) return need;
  await appendAudit(
    tx,
    audit('need.link', {
      recordKind: 'need',
      recordId: need.id,
      detail: { kind: input.kind, targetId: input.targetId },
    }),
  );
  const decision = decideNeedTransition(
    { status: need.status as NeedStatus, activeLinks: await activeLinkCount(tx, need.id) },
    'address',
    'system',
  );
  if (!decision.ok) return need;
  return changeStatus(tx, need, {
    action: 'address',
    to: decision.to,
    by: null,
    at: now,
    summary: `Need being addressed: ${domainLabel(need.domain)} (${input.kind} linked)`,
    audit,
  });
}

/** Takes a referral or goal off a need. The status stays: a person resolves or declines the need. */
export async function unlinkFromNeed(tx: DbOrTx, input: NeedLinkInput, auditAs?: AuditAs): Promise<NeedRow> {
  const need = await lockNeed(tx, input.organizationId, input.needId);
  const [link] = await tx
    .update(needLinks)
    .set({ unlinkedAt: new Date() })
    .where(
      and(
        eq(needLinks.needId, need.id),
        eq(needLinks.kind, input.kind),
        eq(needLinks.targetId, input.targetId),
        isNull(needLinks.unlinkedAt),
      ),
    )
    .returning({ id: needLinks.id });
  if (link) {
    const audit = auditAs ?? systemAudit(need.organizationId, need.patientId, input.actorId);
    await appendAudit(
      tx,
      audit('need.unlink', {
        recordKind: 'need',
        recordId: need.id,
        detail: { kind: input.kind, targetId: input.targetId },
      }),
    );
  }
  return need;
}

/** A need of the organisation as it now is, or null: for modules that hang work on needs (referrals). */
export async function needOf(db: DbOrTx, organizationId: string, needId: string): Promise<NeedRow | null> {
  const [row] = await db
    .select()
    .from(needs)
    .where(and(eq(needs.id, needId), eq(needs.organizationId, organizationId)));
  return row ?? null;
}
