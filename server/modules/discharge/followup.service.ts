import { and, eq } from 'drizzle-orm';
import type { z } from 'zod';
import type { SdohDomain } from '../../../domain/needs.ts';
import type { FollowUpCallRequest } from '../../../domain/schemas/discharge.ts';
import type { Db } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { conflict, type FieldError, invalid } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { domainLabel, insertOpenNeed } from '../needs/lifecycle.service.ts';
import { closeTask } from '../tasks/tasks.service.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import { dischargeFollowUpCalls } from './discharge.tables.ts';
import type { PlanRow } from './plans.service.ts';

const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The call after discharge: reached?, services started?, new needs (each opens a need through the needs
 * lifecycle, unless the patient already has an open need of that domain). A call that reached the patient
 * completes the follow-up task; an unanswered one is recorded and leaves the task open for another try.
 */
export async function recordFollowUpCall(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  input: z.infer<typeof FollowUpCallRequest>,
) {
  if (plan.status !== 'closed' || !plan.closedAt)
    throw conflict('plan-not-closed', 'The follow-up call is recorded after the discharge');
  const calledAt = new Date(input.calledAt);
  const errors: FieldError[] = [];
  if (calledAt < plan.closedAt)
    errors.push({ field: 'calledAt', message: 'must not be before the discharge' });
  if (calledAt.getTime() > Date.now() + CLOCK_SKEW_MS)
    errors.push({ field: 'calledAt', message: 'must not be in the future' });
  if (!input.reached && input.newNeeds.length)
    errors.push({ field: 'newNeeds', message: 'can only be recorded when the patient was reached' });
  if (errors.length) throw invalid(errors);
  return db.transaction(async (tx) => {
    const [call] = await tx
      .insert(dischargeFollowUpCalls)
      .values({
        organizationId: actor.organizationId,
        planId: plan.id,
        patientId: plan.patientId,
        taskId: plan.followUpTaskId,
        calledAt,
        reached: input.reached,
        servicesStarted: input.servicesStarted ?? null,
        newNeeds: [...new Set(input.newNeeds)],
        note: input.note || null,
        calledBy: actor.userId,
      })
      .returning();
    const opened: string[] = [];
    for (const domain of new Set(input.newNeeds)) {
      const need = await insertOpenNeed(tx, {
        organizationId: actor.organizationId,
        patientId: plan.patientId,
        domain: domain as SdohDomain,
        sourceAssessmentId: null,
        at: calledAt,
        by: actor.userId,
        note: 'Found on the post-discharge follow-up call',
      });
      if (!need) continue;
      opened.push(need.id);
      await recordOnTimeline(tx, {
        organizationId: actor.organizationId,
        patientId: plan.patientId,
        kind: 'need',
        summary: `Need identified: ${domainLabel(domain)}`,
        actorId: actor.userId,
        occurredAt: calledAt,
        recordKind: 'need',
        recordId: need.id,
        detail: { domain, source: 'follow-up-call' },
      });
    }
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: input.reached ? 'Follow-up call: patient reached' : 'Follow-up call: no answer',
      actorId: actor.userId,
      occurredAt: calledAt,
      recordKind: 'discharge-follow-up-call',
      recordId: call!.id,
    });
    if (input.reached && plan.followUpTaskId) {
      const [task] = await tx
        .select()
        .from(tasks)
        .where(and(eq(tasks.id, plan.followUpTaskId), eq(tasks.status, 'open')));
      if (task) await closeTask(tx, actor, task, 'done', task.version, { access });
    }
    await appendAudit(
      tx,
      access.entry('discharge-follow-up-call.create', {
        recordKind: 'discharge-follow-up-call',
        recordId: call!.id,
        detail: { reached: input.reached, needsOpened: opened.length },
      }),
    );
    return { call: call!, needsOpened: opened };
  });
}
