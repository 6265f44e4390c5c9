import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { ReferralCreateRequest } from '../../../domain/schemas/referrals.ts';
import { isOpenNeed, type NeedStatus } from '../../../domain/workflows/need.ts';
import { isActiveReferral, type ReferralStatus } from '../../../domain/workflows/referral.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { AppError, conflict, type FieldError, invalid, notFound } from '../../platform/errors.ts';
import type { OutgoingMail } from '../../platform/mail.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { linkToNeed, type NeedRow } from '../needs/needs.service.ts';
import { findReferableService, type ReferableService } from '../resources/resources.service.ts';
import { consentsInForce } from './consents.service.ts';
import { canDeliver, deliveryOf, dispatchReferral } from './referrals.delivery.ts';
import { type ReferralRow, requesterOf } from './referrals.present.ts';
import { referralEvents, referrals } from './referrals.tables.ts';
import {
  applyTransition,
  type ReferralMover,
  type TransitionInput,
  type TransitionResult,
} from './referrals.transitions.ts';

type CreateInput = z.infer<typeof ReferralCreateRequest>;

/** The department's staff move referrals as the requester, audited through their patient access. */
export const staffMover = (actor: Actor, access: PatientAccess): ReferralMover => ({
  workflow: requesterOf(actor),
  eventKind: 'user',
  userId: actor.userId,
  audit: access.entry,
});

const notActive = () =>
  conflict('referral-not-active', 'Only a referral that was sent and has not ended can be sent again');

/** 422 naming each organisation the patient has no consent in force to share with. */
const consentRequired = (names: readonly string[]) =>
  new AppError(422, 'consent-required', `The patient has not agreed to share with ${names.join(', ')}`, {
    errors: names.map((name) => ({
      field: 'consent',
      message: `no consent in force to share with ${name}: record the patient's consent first`,
    })),
  });

/** The referrals made, and the partner emails to send once they are committed. */
export interface Created {
  referrals: ReferralRow[];
  mails: OutgoingMail[];
}

/** Each chosen service checked against the directory: there, active, and offered where chosen. */
async function checkServices(db: Db, organizationId: string, input: CreateInput) {
  const problems: FieldError[] = [];
  const found: ReferableService[] = [];
  const seen = new Set<string>();
  for (const [i, choice] of input.services.entries()) {
    const service = await findReferableService(db, organizationId, choice.serviceId);
    if (!service) {
      problems.push({ field: `services.${i}.serviceId`, message: 'is not a service of your directory' });
      continue;
    }
    if (service.status !== 'active') {
      problems.push({ field: `services.${i}.serviceId`, message: `is not active (${service.status})` });
      continue;
    }
    if (seen.has(service.id)) {
      problems.push({ field: `services.${i}.serviceId`, message: 'is chosen twice' });
      continue;
    }
    seen.add(service.id);
    if (choice.locationId) {
      const atLocation = await findReferableService(db, organizationId, choice.serviceId, choice.locationId);
      if (!atLocation) {
        problems.push({
          field: `services.${i}.locationId`,
          message: 'is not a place where this service is offered',
        });
        continue;
      }
      found.push(atLocation);
    } else {
      found.push(service);
    }
  }
  if (problems.length) throw invalid(problems);
  return found;
}

/**
 * Refers a patient's open need to one or more services of the directory: one referral per service, each
 * under the patient's consent in force for the service's organisation, linked to the need, and (unless kept
 * as drafts) sent: a signed link by email and the partner accounts' inboxes. All or nothing, in one
 * transaction; the emails go out after it commits.
 */
export async function createReferrals(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  need: NeedRow,
  input: CreateInput,
): Promise<Created> {
  if (!isOpenNeed(need.status as NeedStatus)) {
    throw conflict('need-closed', 'This need is closed: reopen it before referring it', {
      needStatus: need.status,
    });
  }
  return referServices(db, config, actor, access, { patientId: need.patientId, needId: need.id }, input);
}

/** What referrals are made for: a patient's need, or a discharge plan's choice list (post-acute placement). */
export type ReferralSubject = { patientId: string } & (
  | { needId: string; choiceListId?: undefined }
  | { needId?: undefined; choiceListId: string }
);

/**
 * One referral per chosen service for a need or a placement choice list: the checks (the directory, consent,
 * delivery) then, in one transaction, the drafts and (unless kept as drafts) their sending.
 */
export async function referServices(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  subject: ReferralSubject,
  input: CreateInput,
): Promise<Created> {
  const services = await checkServices(db, actor.organizationId, input);
  const orgIds = [...new Set(services.map((s) => s.organization.id))];
  const consents = await consentsInForce(db, subject.patientId, orgIds);
  const withoutConsent = services.filter((s) => !consents.has(s.organization.id));
  if (withoutConsent.length) {
    throw consentRequired([...new Set(withoutConsent.map((s) => s.organization.name))]);
  }
  if (input.send) {
    const problems: FieldError[] = [];
    for (const [i, service] of services.entries()) {
      if (!canDeliver(await deliveryOf(db, actor.organizationId, service.organization.id))) {
        problems.push({
          field: `services.${i}.serviceId`,
          message: `${service.organization.name} has no referral email nor partner accounts: save the referral as a draft and reach them another way`,
        });
      }
    }
    if (problems.length) throw invalid(problems);
  }

  return db.transaction(async (tx) => {
    const made: ReferralRow[] = [];
    const mails: OutgoingMail[] = [];
    const mover = staffMover(actor, access);
    for (const service of services) {
      const now = new Date();
      const [draft] = await tx
        .insert(referrals)
        .values({
          organizationId: actor.organizationId,
          patientId: subject.patientId,
          needId: subject.needId ?? null,
          choiceListId: subject.choiceListId ?? null,
          serviceId: service.id,
          locationId: service.location?.id ?? null,
          directoryOrganizationId: service.organization.id,
          consentId: consents.get(service.organization.id)!.id,
          status: 'draft',
          priority: input.priority,
          note: input.note || null,
          contactPreferences: input.contactPreferences,
          requestedBy: actor.userId,
          statusChangedAt: now,
        })
        .returning();
      await tx.insert(referralEvents).values({
        organizationId: actor.organizationId,
        referralId: draft!.id,
        fromStatus: null,
        toStatus: 'draft',
        actorKind: 'user',
        actorId: actor.userId,
        at: now,
      });
      if (subject.needId) {
        await linkToNeed(
          tx,
          {
            organizationId: actor.organizationId,
            needId: subject.needId,
            kind: 'referral',
            targetId: draft!.id,
            actorId: actor.userId,
          },
          access.entry,
        );
      }
      await appendAudit(
        tx,
        access.entry('referral.create', {
          recordKind: 'referral',
          recordId: draft!.id,
          detail: {
            ...(subject.needId ? { needId: subject.needId } : { choiceListId: subject.choiceListId }),
            serviceId: service.id,
            consentId: draft!.consentId,
            send: input.send,
          },
        }),
      );
      if (!input.send) {
        await recordOnTimeline(tx, {
          organizationId: actor.organizationId,
          patientId: subject.patientId,
          kind: 'referral',
          summary: `Referral to ${service.organization.name} (${service.name}) drafted`,
          actorId: actor.userId,
          occurredAt: now,
          recordKind: 'referral',
          recordId: draft!.id,
        });
        made.push(draft!);
        continue;
      }
      const sent = await applyTransition(tx, config, draft!, mover, {
        action: 'send',
        version: draft!.version,
      });
      made.push(sent.referral);
      if (sent.mail) mails.push(sent.mail);
    }
    return { referrals: made, mails };
  });
}

/**
 * Sends the organisation a new link for an active referral; the old links stop working. The patient's consent
 * must still be in force and the organisation must have a referral email.
 */
export async function resendLink(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  referral: ReferralRow,
): Promise<{ referral: ReferralRow; mail: OutgoingMail | null }> {
  if (!isActiveReferral(referral.status as ReferralStatus)) throw notActive();
  const delivery = await deliveryOf(db, referral.organizationId, referral.directoryOrganizationId);
  if (!delivery.email) {
    throw invalid([
      { field: 'referralId', message: `${delivery.orgName} has no referral email to send a link to` },
    ]);
  }
  const consents = await consentsInForce(db, referral.patientId, [referral.directoryOrganizationId]);
  if (!consents.size) throw consentRequired([delivery.orgName]);
  return db.transaction(async (tx) => {
    const locked = await lockReferral(tx, referral.organizationId, referral.id);
    if (!isActiveReferral(locked.status as ReferralStatus)) throw notActive();
    const service = await findReferableService(tx, referral.organizationId, referral.serviceId);
    const { mail, linkId } = await dispatchReferral(
      tx,
      config,
      { ...locked, serviceName: service?.name ?? '' },
      { ...delivery, partnerUserIds: [] },
      new Date(),
    );
    await recordOnTimeline(tx, {
      organizationId: referral.organizationId,
      patientId: referral.patientId,
      kind: 'referral',
      summary: `Referral link sent again to ${delivery.orgName} (${service?.name ?? ''}); earlier links no longer work`,
      actorId: actor.userId,
      recordKind: 'referral',
      recordId: referral.id,
    });
    await appendAudit(
      tx,
      access.entry('referral.resend-link', {
        recordKind: 'referral',
        recordId: referral.id,
        detail: { linkId },
      }),
    );
    return { referral: locked, mail };
  });
}

/** Locks a referral of the organisation for the rest of the transaction, or 404. */
export async function lockReferral(
  tx: DbOrTx,
  organizationId: string,
  referralId: string,
): Promise<ReferralRow> {
  const [row] = await tx
    .select()
    .from(referrals)
    .where(and(eq(referrals.id, referralId), eq(referrals.organizationId, organizationId)))
    .for('update');
  if (!row) throw notFound('referral');
  return row;
}

/** A step the department takes on a referral (send a draft, cancel, record an outcome the organisation phoned in). */
export async function transitionAsStaff(
  db: Db,
  config: Config,
  actor: Actor,
  access: PatientAccess,
  referralId: string,
  input: TransitionInput,
): Promise<TransitionResult> {
  return db.transaction(async (tx) => {
    const current = await lockReferral(tx, actor.organizationId, referralId);
    return applyTransition(tx, config, current, staffMover(actor, access), input);
  });
}
