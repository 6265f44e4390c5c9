import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import type { PartnerReferralListQuery, PartnerReferralView } from '../../../domain/schemas/referrals.ts';
import {
  isFinalReferral,
  REFERRAL_STATUS_LABELS,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { type AuditEntry, appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { partnerOrganizationsOf } from '../resources/resources.service.ts';
import { directoryOrganizations } from '../resources/resources.tables.ts';
import { linkKey, lookupHashOf, signatureHolds } from './links.ts';
import { presentPartnerView, presentPartnerViews } from './partner.present.ts';
import type { ReferralRow } from './referrals.present.ts';
import { lockReferral } from './referrals.service.ts';
import { ACTIVE_REFERRAL_SQL } from './referrals.sql.ts';
import { referralLinks, referrals } from './referrals.tables.ts';
import { applyTransition, type ReferralMover, type TransitionInput } from './referrals.transitions.ts';

/*
 * The organisation's side: through the signed link of its email (no account, no session), or through the
 * inbox of its community partner accounts. Both see the same view and follow the same rules.
 */

type View = z.infer<typeof PartnerReferralView>;
type LinkRow = typeof referralLinks.$inferSelect;

const linkInvalid = () =>
  new AppError(403, 'link-invalid', 'This link is not valid', {
    detail:
      'Check that the whole address from the email was opened, or ask the department to send the referral again.',
  });
const linkExpired = () =>
  new AppError(410, 'link-expired', 'This link has expired', {
    detail: 'Ask the department that sent the referral for a new link.',
  });
const linkRevoked = () =>
  new AppError(410, 'link-revoked', 'This link no longer works', {
    detail: 'The department sent a newer link, or the patient withdrew consent to share with you.',
  });
const referralEnded = (status: ReferralStatus) =>
  new AppError(410, 'referral-closed', `This referral is closed (${REFERRAL_STATUS_LABELS[status]})`, {
    detail: 'Nothing more can be done with it; the link no longer works.',
    referralStatus: status,
    statusLabel: REFERRAL_STATUS_LABELS[status],
  });

/** The organisation acting through its link: no user, recorded as the link. */
function linkMover(
  link: LinkRow,
  referral: ReferralRow,
  orgName: string,
  origin: RequestOrigin,
): ReferralMover {
  return {
    workflow: { kind: 'performer' },
    eventKind: 'partner-link',
    userId: null,
    audit: (action, extra) => ({
      organizationId: link.organizationId,
      actorUserId: null,
      actorRole: 'community_partner',
      actorLabel: `partner link (${orgName})`,
      action,
      outcome: 'success',
      patientId: referral.patientId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...extra,
      detail: { ...(extra.detail ?? {}), linkId: link.id },
    }),
  };
}

/** A community partner account acting from its inbox. */
function partnerMover(actor: Actor, referral: ReferralRow, origin: RequestOrigin): ReferralMover {
  return {
    workflow: { kind: 'performer' },
    eventKind: 'user',
    userId: actor.userId,
    audit: (action, extra): AuditEntry => ({
      ...auditActor(actor),
      action,
      outcome: 'success',
      patientId: referral.patientId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      ...extra,
    }),
  };
}

interface OpenLink {
  link: LinkRow;
  referral: ReferralRow;
  orgName: string;
}

/**
 * The link of a token and its referral. Not one of ours, unknown or altered: 403; revoked or expired: 410.
 * An altered token of a real link is audited against that link.
 */
async function openLink(db: Db, config: Config, token: string, origin: RequestOrigin): Promise<OpenLink> {
  const hash = lookupHashOf(token);
  if (!hash) throw linkInvalid();
  const [link] = await db.select().from(referralLinks).where(eq(referralLinks.tokenHash, hash));
  if (!link) throw linkInvalid();
  const [referral] = await db.select().from(referrals).where(eq(referrals.id, link.referralId));
  const [org] = await db
    .select({ name: directoryOrganizations.name })
    .from(directoryOrganizations)
    .where(eq(directoryOrganizations.id, referral!.directoryOrganizationId));
  const opened = { link, referral: referral!, orgName: org?.name ?? '' };
  if (!signatureHolds(linkKey(config.sessionSecret), token, link.referralId, link.expiresAt)) {
    await appendAudit(
      db,
      linkMover(link, opened.referral, opened.orgName, origin).audit('referral.partner-link', {
        outcome: 'denied',
        recordKind: 'referral',
        recordId: link.referralId,
        reason: 'signature does not hold',
      }),
    );
    throw linkInvalid();
  }
  if (link.revokedAt) throw linkRevoked();
  if (link.expiresAt.getTime() <= Date.now()) throw linkExpired();
  return opened;
}

/**
 * Opens a referral as its organisation sees it. The first opening of a sent referral records it as received
 * (by the performer, in the referral's history); reads are audited as the one who read.
 */
async function openAsPartner(
  db: Db,
  config: Config,
  referralId: string,
  mover: ReferralMover,
  afterLock?: (tx: DbOrTx) => Promise<void>,
): Promise<View> {
  return db.transaction(async (tx) => {
    const [row] = await tx.select().from(referrals).where(eq(referrals.id, referralId)).for('update');
    let current = row!;
    if (current.status === 'requested') {
      current = (
        await applyTransition(tx, config, current, mover, { action: 'receive', version: current.version })
      ).referral;
    }
    await afterLock?.(tx);
    await appendAudit(
      tx,
      mover.audit('referral.partner-read', { recordKind: 'referral', recordId: current.id }),
    );
    return presentPartnerView(tx, current);
  });
}

/** `GET /api/referral-response/:token`: an ended referral's link shows that it is closed, and nothing else. */
export async function readByLink(
  db: Db,
  config: Config,
  token: string,
  origin: RequestOrigin,
): Promise<View> {
  const { link, referral, orgName } = await openLink(db, config, token, origin);
  const status = referral.status as ReferralStatus;
  if (isFinalReferral(status)) throw referralEnded(status);
  return openAsPartner(db, config, referral.id, linkMover(link, referral, orgName, origin), (tx) =>
    touchLink(tx, link.id),
  );
}

const touchLink = async (tx: DbOrTx, linkId: string) => {
  await tx.update(referralLinks).set({ lastUsedAt: new Date() }).where(eq(referralLinks.id, linkId));
};

/** A step the organisation takes through its link (accept, decline, start, hold, resume, complete, fail). */
export async function transitionByLink(
  db: Db,
  config: Config,
  token: string,
  origin: RequestOrigin,
  input: TransitionInput,
): Promise<View> {
  const { link, referral, orgName } = await openLink(db, config, token, origin);
  return db.transaction(async (tx) => {
    const current = await lockReferral(tx, referral.organizationId, referral.id);
    const result = await applyTransition(
      tx,
      config,
      current,
      linkMover(link, current, orgName, origin),
      input,
    );
    await touchLink(tx, link.id);
    return presentPartnerView(tx, result.referral);
  });
}

/** Referrals a community partner account may see: its organisations', of its tenant, once sent. */
async function partnerScope(db: DbOrTx, actor: Actor) {
  const orgIds = await partnerOrganizationsOf(db, actor.userId);
  if (!orgIds.length) return null;
  return and(
    eq(referrals.organizationId, actor.organizationId),
    inArray(referrals.directoryOrganizationId, orgIds),
    ne(referrals.status, 'draft'),
  )!;
}

/** One referral of the partner's organisations, or 404 (another organisation's is not found either). */
async function loadPartnerReferral(db: DbOrTx, actor: Actor, referralId: string): Promise<ReferralRow> {
  const scope = await partnerScope(db, actor);
  if (!scope) throw notFound('referral');
  const [row] = await db
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, referralId), scope));
  if (!row) throw notFound('referral');
  return row;
}

/** The partner's inbox: newest first, by status or all still being worked (`active`); audited with the patients. */
export async function listPartnerReferrals(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: z.infer<typeof PartnerReferralListQuery>,
) {
  const scope = await partnerScope(db, actor);
  if (!scope) return { items: [], page: q.page, pageSize: q.pageSize, total: 0 };
  const where = and(
    scope,
    q.status === 'active'
      ? sql`${referrals.status} in ${ACTIVE_REFERRAL_SQL}`
      : q.status
        ? eq(referrals.status, q.status)
        : undefined,
  );
  const [rows, [count]] = await Promise.all([
    db
      .select()
      .from(referrals)
      .where(where)
      .orderBy(desc(sql`coalesce(${referrals.requestedAt}, ${referrals.createdAt})`), desc(referrals.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db.select({ n: sql<number>`count(*)::int` }).from(referrals).where(where),
  ]);
  if (rows.length) {
    await appendAudit(db, {
      ...auditActor(actor),
      action: 'referral.partner-list',
      outcome: 'success',
      recordKind: 'referral',
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { patientIds: [...new Set(rows.map((r) => r.patientId))], referralIds: rows.map((r) => r.id) },
    });
  }
  return {
    items: await presentPartnerViews(db, rows),
    page: q.page,
    pageSize: q.pageSize,
    total: Number(count?.n ?? 0),
  };
}

/** One referral from the partner's inbox; opening it records it as received, as the link does. */
export async function readAsPartner(
  db: Db,
  config: Config,
  actor: Actor,
  origin: RequestOrigin,
  referralId: string,
) {
  const referral = await loadPartnerReferral(db, actor, referralId);
  return openAsPartner(db, config, referral.id, partnerMover(actor, referral, origin));
}

/** A step from the partner's inbox: the same rules as through the link. */
export async function transitionAsPartner(
  db: Db,
  config: Config,
  actor: Actor,
  origin: RequestOrigin,
  referralId: string,
  input: TransitionInput,
): Promise<View> {
  const referral = await loadPartnerReferral(db, actor, referralId);
  return db.transaction(async (tx) => {
    const current = await lockReferral(tx, actor.organizationId, referral.id);
    const result = await applyTransition(tx, config, current, partnerMover(actor, current, origin), input);
    return presentPartnerView(tx, result.referral);
  });
}
