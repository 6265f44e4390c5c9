import type { z } from 'zod';
import type { NeedCreateRequest, NeedTransitionRequest } from '../../../domain/schemas/needs.ts';
import { decideNeedTransition, type NeedStatus } from '../../../domain/workflows/need.ts';
import type { Db } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, forbidden, invalid, staleVersion } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import {
  activeLinkCount,
  changeStatus,
  domainLabel,
  insertOpenNeed,
  lockNeed,
  type NeedRow,
  openNeedOf,
} from './lifecycle.service.ts';

/** 409 naming the open need of the domain that is already there. */
const alreadyOpen = (need: NeedRow) =>
  conflict('need-open', `${domainLabel(need.domain)} is already an open need of this patient`, {
    needId: need.id,
    needStatus: need.status,
  });

/**
 * A need the worker found outside a screen (in the psychosocial assessment, a conversation). One open need per
 * domain: when the domain is already open, 409 `need-open` names that need.
 */
export async function recordNeedByHand(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  input: z.infer<typeof NeedCreateRequest>,
): Promise<NeedRow> {
  return db.transaction(async (tx) => {
    const at = new Date();
    const created = await insertOpenNeed(tx, {
      organizationId: actor.organizationId,
      patientId: access.patient.id,
      domain: input.domain,
      sourceAssessmentId: null,
      at,
      by: actor.userId,
      note: input.note || null,
    });
    if (!created) {
      const open = await openNeedOf(tx, access.patient.id, input.domain);
      // Gone between the two reads (resolved at that moment): the caller may simply try again.
      if (!open) throw conflict('need-open', 'This need changed at the same moment; try again');
      throw alreadyOpen(open);
    }
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: access.patient.id,
      kind: 'need',
      summary: `Need identified: ${domainLabel(input.domain)}`,
      actorId: actor.userId,
      occurredAt: at,
      recordKind: 'need',
      recordId: created.id,
      detail: { domain: input.domain },
    });
    await appendAudit(
      tx,
      access.entry('need.identify', {
        recordKind: 'need',
        recordId: created.id,
        detail: { domain: input.domain, byHand: true },
      }),
    );
    return created;
  });
}

const SUMMARIES = {
  resolve: (label: string) => `Need resolved: ${label}`,
  decline: (label: string) => `Need declined by the patient: ${label}`,
  reopen: (label: string) => `Need reopened: ${label}`,
} as const;

/**
 * Moves a need through its lifecycle (domain/workflows/need.ts) with optimistic concurrency: a stale version is
 * a 409, an action not open from the current status a 409 naming the allowed ones, a decline without the
 * patient's reason a 422 on `note`. Reopening while another need of the domain is open is a 409 naming it.
 */
export async function transitionNeed(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  needId: string,
  input: z.infer<typeof NeedTransitionRequest>,
): Promise<NeedRow> {
  return db.transaction(async (tx) => {
    const need = await lockNeed(tx, actor.organizationId, needId);
    if (need.version !== input.version) throw staleVersion(need.version);
    const activeLinks = await activeLinkCount(tx, need.id);
    const decision = decideNeedTransition(
      { status: need.status as NeedStatus, activeLinks },
      input.action,
      actor.role,
      { note: input.note },
    );
    if (!decision.ok) {
      if (decision.reason === 'role') throw forbidden(`Your role does not allow "${input.action}" on a need`);
      if (decision.reason === 'missing') {
        throw invalid([{ field: 'note', message: "is required: record the patient's reason" }]);
      }
      throw conflict(
        'transition-not-allowed',
        `A ${need.status} need cannot take the action "${input.action}"`,
        {
          allowed: decision.allowed,
          needStatus: need.status,
          currentVersion: need.version,
        },
      );
    }
    if (input.action === 'reopen') {
      const open = await openNeedOf(tx, need.patientId, need.domain);
      if (open) throw alreadyOpen(open);
    }
    return changeStatus(tx, need, {
      action: input.action,
      to: decision.to,
      by: actor.userId,
      at: new Date(),
      note: input.note || null,
      summary: SUMMARIES[input.action](domainLabel(need.domain)),
      audit: access.entry,
    });
  });
}
