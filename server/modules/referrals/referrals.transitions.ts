import { and, eq, ne, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import { REASONS_BY_ACTION, type ReferralTransitionRequest } from '../../../domain/schemas/referrals.ts';
import { TIMELINE_KINDS } from '../../../domain/timeline.ts';
import { isOpenNeed, type NeedStatus } from '../../../domain/workflows/need.ts';
import {
  decideReferralTransition,
  isFinalReferral,
  REFERRAL_STATUS_LABELS,
  type ReferralActor,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError, conflict, invalid, staleVersion } from '../../platform/errors.ts';
import type { OutgoingMail } from '../../platform/mail.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { needOf, unlinkFromNeed } from '../needs/needs.service.ts';
import { directoryOrganizations, directoryServices } from '../resources/resources.tables.ts';
import { closeTask, createTask, getTask } from '../tasks/tasks.service.ts';
import { canDeliver, deliveryOf, dispatchReferral } from './referrals.delivery.ts';
import type { ReferralRow } from './referrals.present.ts';
import { ACTIVE_REFERRAL_SQL } from './referrals.sql.ts';
import { referralEvents, referrals } from './referrals.tables.ts';

/*
 * Every change of a referral's status goes through `applyTransition`, whoever makes it: the department's
 * staff, a community partner's account, or the organisation through its link. The lifecycle itself is
 * domain/workflows/referral.ts; this writes the change and what follows from it.
 */

/** Who moves a referral, as the workflow, the event, the audit trail and the timeline need to know it. */
export interface ReferralMover {
  workflow: ReferralActor;
  eventKind: 'user' | 'partner-link';
  /** The user, when a person signed in; null for a link. */
  userId: string | null;
  audit: (action: string, extra: Partial<AuditEntry>) => AuditEntry;
}

export type TransitionInput = z.infer<typeof ReferralTransitionRequest>;

/** The statuses in which a referral ends without the service: its need no longer counts it as addressing it. */
const ENDS_WITHOUT_SERVICE: readonly ReferralStatus[] = [
  'rejected',
  'cancelled',
  'failed',
  'entered-in-error',
];
/** What the organisation does that the worker who sent the referral hears of. */
const TELL_REQUESTER: readonly ReferralStatus[] = [
  'accepted',
  'rejected',
  'on-hold',
  'completed',
  'failed',
  'cancelled',
];

export const SYSTEM = (organizationId: string) => ({ system: 'referrals', organizationId });

export interface TransitionResult {
  referral: ReferralRow;
  /** The referral completed and its need has no other active referral: the requester was asked to resolve it. */
  resolveProposed: boolean;
  /** The partner email to send once the transaction has committed. */
  mail: OutgoingMail | null;
}

/** 409 for a referral that has ended: nothing more can be done with it, by anyone. */
export const referralClosed = (status: ReferralStatus) =>
  conflict(
    'referral-closed',
    `This referral is closed (${REFERRAL_STATUS_LABELS[status]}); nothing more can be done with it`,
    {
      referralStatus: status,
      statusLabel: REFERRAL_STATUS_LABELS[status],
      allowed: [],
    },
  );

/** The coded reasons of an action, when it takes one. */
const reasonsOf = (action: string): Record<string, string> | null =>
  (REASONS_BY_ACTION as Record<string, Record<string, string>>)[action] ?? null;

/** Refusals in the order a caller can fix them: ended, stale, not now or not you, then missing fields. */
function decide(current: ReferralRow, mover: ReferralMover, input: TransitionInput): ReferralStatus {
  const status = current.status as ReferralStatus;
  if (isFinalReferral(status)) throw referralClosed(status);
  if (current.version !== input.version) throw staleVersion(current.version);
  const decision = decideReferralTransition(status, input.action, mover.workflow, input);
  if (!decision.ok && decision.reason === 'missing') {
    const message = {
      reason: 'is required: choose why',
      outcome: 'is required: say what was delivered and when',
      note: 'is required: say how the department learnt of it',
    }[decision.missing!];
    throw invalid([{ field: decision.missing!, message }]);
  }
  if (!decision.ok) {
    const who = mover.workflow.kind === 'performer' ? 'The organisation' : 'The department';
    throw conflict(
      'transition-not-allowed',
      decision.reason === 'actor'
        ? `${who} cannot take "${input.action}" on a referral that is ${REFERRAL_STATUS_LABELS[status]}`
        : `A referral that is ${REFERRAL_STATUS_LABELS[status]} cannot take "${input.action}"`,
      { allowed: decision.allowed, referralStatus: status, currentVersion: current.version },
    );
  }
  const reasons = reasonsOf(input.action);
  if (reasons && input.reason && !(input.reason in reasons)) {
    throw invalid([{ field: 'reason', message: `must be one of ${Object.keys(reasons).join(', ')}` }]);
  }
  if (input.action === 'accept' && current.choiceListId && !input.bedOfferedOn) {
    throw invalid([{ field: 'bedOfferedOn', message: 'is required: say from which day the bed is offered' }]);
  }
  if (input.action === 'complete' && input.outcome && !input.outcome.delivered) {
    throw invalid([
      {
        field: 'outcome.delivered',
        message: 'must be true to complete: a service that did not happen is recorded as "Did not happen"',
      },
    ]);
  }
  return decision.to;
}

/**
 * Applies one action to a referral locked by the caller, in the caller's transaction: the referral (next
 * version), its event, the timeline entry and the audit record; then what follows: the stall task closed, the
 * need unlinked when the referral ends without service, the organisation reached on send, the worker told of
 * the organisation's answer, and resolving the need proposed on completion.
 */
export async function applyTransition(
  tx: DbOrTx,
  config: Config,
  current: ReferralRow,
  mover: ReferralMover,
  input: TransitionInput,
): Promise<TransitionResult> {
  const to = decide(current, mover, input);
  const [names] = await tx
    .select({ serviceName: directoryServices.name, orgName: directoryOrganizations.name })
    .from(directoryServices)
    .innerJoin(
      directoryOrganizations,
      eq(directoryOrganizations.id, directoryServices.directoryOrganizationId),
    )
    .where(eq(directoryServices.id, current.serviceId));
  const { serviceName, orgName } = names!;
  const delivery =
    input.action === 'send'
      ? await deliveryOf(tx, current.organizationId, current.directoryOrganizationId)
      : null;
  if (delivery && !canDeliver(delivery)) {
    throw invalid([
      {
        field: 'action',
        message: `${orgName} has no referral email nor partner accounts: keep it as a draft and reach them another way`,
      },
    ]);
  }

  const now = new Date();
  const reason = reasonsOf(input.action) ? (input.reason ?? null) : null;
  const [updated] = await tx
    .update(referrals)
    .set({
      status: to,
      statusReason: reason,
      ...(input.action === 'complete' ? { outcome: input.outcome ?? null } : {}),
      ...(input.action === 'send' ? { requestedAt: now } : {}),
      ...(input.action === 'accept' && current.choiceListId ? { bedOfferedOn: input.bedOfferedOn } : {}),
      statusChangedAt: now,
      stalledTaskId: null,
      version: sql`${referrals.version} + 1`,
      updatedAt: now,
    })
    .where(and(eq(referrals.id, current.id), eq(referrals.version, current.version)))
    .returning();
  if (!updated) throw staleVersion(current.version + 1);
  const [event] = await tx
    .insert(referralEvents)
    .values({
      organizationId: current.organizationId,
      referralId: current.id,
      fromStatus: current.status,
      toStatus: to,
      reason,
      note: input.note || null,
      actorKind: mover.eventKind,
      actorId: mover.userId,
      at: now,
    })
    .returning({ id: referralEvents.id });
  const reasonLabel = reason ? reasonsOf(input.action)?.[reason] : null;
  await recordOnTimeline(tx, {
    organizationId: current.organizationId,
    patientId: current.patientId,
    kind: 'referral',
    summary:
      `Referral to ${orgName} (${serviceName}): ${REFERRAL_STATUS_LABELS[to]}` +
      (reasonLabel ? `, ${reasonLabel.toLowerCase()}` : '') +
      (to === 'accepted' && current.choiceListId && input.bedOfferedOn
        ? `, bed offered from ${input.bedOfferedOn}`
        : '') +
      (mover.eventKind === 'partner-link' ? ', through the organisation’s link' : ''),
    actorId: mover.userId,
    occurredAt: now,
    recordKind: 'referral',
    recordId: current.id,
    detail: { action: input.action, fromStatus: current.status, toStatus: to },
  });
  await appendAudit(
    tx,
    mover.audit('referral.transition', {
      patientId: current.patientId,
      recordKind: 'referral',
      recordId: current.id,
      detail: { action: input.action, fromStatus: current.status, toStatus: to, eventId: event!.id, reason },
    }),
  );

  if (current.stalledTaskId) await closeStallTask(tx, current.organizationId, current.stalledTaskId);
  if (ENDS_WITHOUT_SERVICE.includes(to) && current.needId) {
    await unlinkFromNeed(tx, {
      organizationId: current.organizationId,
      needId: current.needId,
      kind: 'referral',
      targetId: current.id,
      actorId: mover.userId,
    });
  }
  const mail = delivery
    ? (await dispatchReferral(tx, config, { ...current, serviceName }, delivery, now)).mail
    : null;
  if (
    mover.workflow.kind === 'performer' &&
    TELL_REQUESTER.includes(to) &&
    mover.userId !== current.requestedBy
  ) {
    await notify(tx, {
      organizationId: current.organizationId,
      userIds: [current.requestedBy],
      kind: 'referral-update',
      title: `Referral to ${orgName}: ${REFERRAL_STATUS_LABELS[to]}`,
      link: TIMELINE_KINDS.referral.link(current.patientId, current.id),
      patientId: current.patientId,
    });
  }
  const resolveProposed = to === 'completed' ? await proposeResolvingNeed(tx, updated, orgName) : false;
  return { referral: updated, resolveProposed, mail };
}

/** The follow-up task of a stall, closed because the referral moved (unless someone closed it already). */
export async function closeStallTask(tx: DbOrTx, organizationId: string, taskId: string): Promise<void> {
  const task = await getTask(tx, organizationId, taskId);
  if (task.status === 'open') await closeTask(tx, SYSTEM(organizationId), task, 'done', task.version);
}

/**
 * When a referral completes and its need, still open, has no other active referral: a task for the worker who
 * sent it to resolve the need (a person decides; nothing is resolved by itself).
 */
async function proposeResolvingNeed(tx: DbOrTx, referral: ReferralRow, orgName: string): Promise<boolean> {
  if (!referral.needId) return false; // a placement referral answers a discharge plan, not a need
  const need = await needOf(tx, referral.organizationId, referral.needId);
  if (!need || !isOpenNeed(need.status as NeedStatus)) return false;
  const [others] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(referrals)
    .where(
      and(
        eq(referrals.needId, need.id),
        ne(referrals.id, referral.id),
        sql`${referrals.status} in ${ACTIVE_REFERRAL_SQL}`,
      ),
    );
  if (Number(others?.n ?? 0) > 0) return false;
  const label = SDOH_DOMAIN_LABELS[need.domain as SdohDomain] ?? need.domain;
  await assignIfPossible(() =>
    createTask(tx, SYSTEM(referral.organizationId), {
      title: `Resolve the need? ${label}: referral to ${orgName} completed`,
      detail: `The referral to ${orgName} was completed. If the ${label.toLowerCase()} need is met, resolve it on the patient's Needs tab (${TIMELINE_KINDS.need.link(need.patientId, need.id)}).`,
      assigneeId: referral.requestedBy,
      dueAt: new Date(),
      patientId: need.patientId,
      kind: 'resolve-need',
    }),
  );
  return true;
}

/**
 * Runs a createTask whose assignee may no longer take it (left the care team, disabled): the 422 comes from a
 * check before any write, so the transaction goes on without the task.
 */
export async function assignIfPossible<T>(create: () => Promise<T>): Promise<T | null> {
  try {
    return await create();
  } catch (error) {
    if (error instanceof AppError && error.status === 422) return null;
    throw error;
  }
}
