import { and, eq, isNull } from 'drizzle-orm';
import type { z } from 'zod';
import { BARRIERS, type BarrierCode } from '../../../domain/discharge.ts';
import type { BarrierCreateRequest, BarrierUpdateRequest } from '../../../domain/schemas/discharge.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { PatientAccess } from '../../platform/access.ts';
import type { Actor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { type FieldError, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { dischargeBarriers, dischargePlans } from './discharge.tables.ts';
import { type PlanRow, refuseCancelled } from './plans.service.ts';

export type BarrierRow = typeof dischargeBarriers.$inferSelect;

/** A clock a few minutes fast is not a barrier in the future. */
const CLOCK_SKEW_MS = 5 * 60_000;

const label = (code: string) => BARRIERS[code as BarrierCode] ?? code;

/** A barrier of the actor's organisation, not retired, or 404. */
export async function loadBarrier(
  db: DbOrTx,
  organizationId: string,
  barrierId: string,
): Promise<BarrierRow> {
  const [barrier] = await db
    .select()
    .from(dischargeBarriers)
    .where(
      and(
        eq(dischargeBarriers.id, barrierId),
        eq(dischargeBarriers.organizationId, organizationId),
        isNull(dischargeBarriers.retiredAt),
      ),
    );
  if (!barrier) throw notFound('barrier');
  return barrier;
}

/** A barrier holds a patient during the stay: from the admission, not in the future, not after the discharge. */
async function checkTimes(db: DbOrTx, plan: PlanRow, startedAt: Date, endedAt: Date | null) {
  const [stay] = await db
    .select({ admittedAt: encounters.admittedAt, dischargedAt: encounters.dischargedAt })
    .from(encounters)
    .where(eq(encounters.id, plan.encounterId));
  if (!stay) throw notFound('encounter');
  const latest = new Date(Date.now() + CLOCK_SKEW_MS);
  const errors: FieldError[] = [];
  if (startedAt < stay.admittedAt)
    errors.push({ field: 'startedAt', message: 'must not be before the admission' });
  if (startedAt > latest) errors.push({ field: 'startedAt', message: 'must not be in the future' });
  if (stay.dischargedAt && startedAt > stay.dischargedAt)
    errors.push({ field: 'startedAt', message: 'must not be after the discharge' });
  if (endedAt && endedAt < startedAt)
    errors.push({ field: 'endedAt', message: 'must not be before the start' });
  if (endedAt && endedAt > latest) errors.push({ field: 'endedAt', message: 'must not be in the future' });
  if (endedAt && stay.dischargedAt && endedAt > stay.dischargedAt)
    errors.push({ field: 'endedAt', message: 'must not be after the discharge' });
  if (errors.length) throw invalid(errors);
}

export async function addBarrier(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  input: z.infer<typeof BarrierCreateRequest>,
): Promise<BarrierRow> {
  refuseCancelled(plan);
  const startedAt = new Date(input.startedAt);
  const endedAt = input.endedAt ? new Date(input.endedAt) : null;
  await checkTimes(db, plan, startedAt, endedAt);
  return db.transaction(async (tx) => {
    const [barrier] = await tx
      .insert(dischargeBarriers)
      .values({
        organizationId: actor.organizationId,
        planId: plan.id,
        patientId: plan.patientId,
        code: input.code,
        note: input.note || null,
        startedAt,
        endedAt,
        recordedBy: actor.userId,
      })
      .returning();
    await touchPlan(tx, plan.id);
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: `Discharge barrier: ${label(input.code)}`,
      actorId: actor.userId,
      occurredAt: startedAt,
      recordKind: 'discharge-barrier',
      recordId: barrier!.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-barrier.create', {
        recordKind: 'discharge-barrier',
        recordId: barrier!.id,
        detail: { code: input.code },
      }),
    );
    return barrier!;
  });
}

/** The plan's `updatedAt` follows its barriers (its version does not: a barrier has its own). */
async function touchPlan(db: DbOrTx, planId: string) {
  await db.update(dischargePlans).set({ updatedAt: new Date() }).where(eq(dischargePlans.id, planId));
}

export async function updateBarrier(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  barrier: BarrierRow,
  input: z.infer<typeof BarrierUpdateRequest>,
): Promise<BarrierRow> {
  refuseCancelled(plan);
  const startedAt = input.startedAt ? new Date(input.startedAt) : barrier.startedAt;
  const endedAt =
    input.endedAt === undefined ? barrier.endedAt : input.endedAt === null ? null : new Date(input.endedAt);
  await checkTimes(db, plan, startedAt, endedAt);
  return db.transaction(async (tx) => {
    const [updated] = await tx
      .update(dischargeBarriers)
      .set({
        ...(input.code !== undefined ? { code: input.code } : {}),
        ...(input.note !== undefined ? { note: input.note || null } : {}),
        startedAt,
        endedAt,
        version: barrier.version + 1,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(dischargeBarriers.id, barrier.id),
          eq(dischargeBarriers.version, input.version),
          isNull(dischargeBarriers.retiredAt),
        ),
      )
      .returning();
    if (!updated) throw staleVersion((await loadBarrier(tx, actor.organizationId, barrier.id)).version);
    await touchPlan(tx, plan.id);
    const ended = !barrier.endedAt && updated.endedAt;
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: ended
        ? `Discharge barrier ended: ${label(updated.code)}`
        : `Discharge barrier updated: ${label(updated.code)}`,
      actorId: actor.userId,
      occurredAt: ended ? updated.endedAt! : new Date(),
      recordKind: 'discharge-barrier',
      recordId: updated.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-barrier.update', {
        recordKind: 'discharge-barrier',
        recordId: updated.id,
        detail: { fields: Object.keys(input).filter((k) => k !== 'version') },
      }),
    );
    return updated;
  });
}

/** Removes a barrier entered by mistake (kept, retired). */
export async function retireBarrier(
  db: Db,
  actor: Actor,
  access: PatientAccess,
  plan: PlanRow,
  barrier: BarrierRow,
  version: number,
): Promise<void> {
  refuseCancelled(plan);
  await db.transaction(async (tx) => {
    const [retired] = await tx
      .update(dischargeBarriers)
      .set({ retiredAt: new Date(), version: barrier.version + 1, updatedAt: new Date() })
      .where(
        and(
          eq(dischargeBarriers.id, barrier.id),
          eq(dischargeBarriers.version, version),
          isNull(dischargeBarriers.retiredAt),
        ),
      )
      .returning();
    if (!retired) throw staleVersion(barrier.version);
    await touchPlan(tx, plan.id);
    await recordOnTimeline(tx, {
      organizationId: actor.organizationId,
      patientId: plan.patientId,
      kind: 'discharge',
      summary: `Discharge barrier removed: ${label(barrier.code)}`,
      actorId: actor.userId,
      recordKind: 'discharge-barrier',
      recordId: barrier.id,
    });
    await appendAudit(
      tx,
      access.entry('discharge-barrier.delete', { recordKind: 'discharge-barrier', recordId: barrier.id }),
    );
  });
}
