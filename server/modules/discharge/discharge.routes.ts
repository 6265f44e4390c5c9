import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  BarrierCreateRequest,
  BarrierDeleteQuery,
  BarrierParams,
  BarrierUpdateRequest,
  DischargeFigures,
  DischargeFiguresQuery,
  DischargePlan,
  DischargePlanList,
  FollowUpCallRequest,
  PatientParams,
  PlanParams,
  PlanTaskRequest,
  PlanUpdateRequest,
  UnitList,
  UnitListQuery,
} from '../../../domain/schemas/discharge.ts';
import { requirePatient } from '../../platform/access.ts';
import { auditActor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { actorOf } from '../../platform/http.ts';
import { REPORT_READERS } from '../reports/reports.policy.ts';
import { addBarrier, loadBarrier, retireBarrier, updateBarrier } from './barriers.service.ts';
import { dischargeFigures } from './figures.service.ts';
import { recordFollowUpCall } from './followup.service.ts';
import { DISCHARGE_READERS, DISCHARGE_WRITERS } from './plans.policy.ts';
import { addPlanTask, loadPlan, plansOfPatient, presentPlan, updatePlan } from './plans.service.ts';
import { unitList } from './unit-list.service.ts';

const readers = { roles: DISCHARGE_READERS };
const writers = { roles: DISCHARGE_WRITERS };

/** Discharge plans, barriers, follow-up calls, the unit list and the department figures. */
export const dischargeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  /** The plan, its patient checked for `action` (the read audited when it is a read). */
  const planFor = async (
    request: { origin: Parameters<typeof requirePatient>[2] } & Parameters<typeof actorOf>[0],
    planId: string,
    action: 'read' | 'update',
  ) => {
    const actor = actorOf(request);
    const plan = await loadPlan(db, actor.organizationId, planId);
    const access = await requirePatient(
      db,
      actor,
      request.origin,
      plan.patientId,
      action,
      action === 'read'
        ? { action: 'discharge-plan.read', recordKind: 'discharge-plan', recordId: plan.id }
        : undefined,
    );
    return { actor, plan, access };
  };

  app.get(
    '/api/patients/:patientId/discharge-plans',
    {
      config: { access: readers },
      schema: { tags: ['discharge'], params: PatientParams, response: { 200: DischargePlanList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'read', {
        action: 'discharge-plan.list',
        recordKind: 'discharge-plan',
      });
      const plans = await plansOfPatient(db, actor.organizationId, access.patient.id);
      return { items: await Promise.all(plans.map((p) => presentPlan(db, actor, access, p))) };
    },
  );

  app.get(
    '/api/discharge-plans/:planId',
    {
      config: { access: readers },
      schema: { tags: ['discharge'], params: PlanParams, response: { 200: DischargePlan } },
    },
    async (request) => {
      const { actor, plan, access } = await planFor(request, request.params.planId, 'read');
      return presentPlan(db, actor, access, plan);
    },
  );

  app.patch(
    '/api/discharge-plans/:planId',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: PlanParams,
        body: PlanUpdateRequest,
        response: { 200: DischargePlan },
      },
    },
    async (request) => {
      const { actor, plan, access } = await planFor(request, request.params.planId, 'update');
      const updated = await updatePlan(db, actor, access, plan.id, request.body);
      return presentPlan(db, actor, access, updated);
    },
  );

  app.post(
    '/api/discharge-plans/:planId/tasks',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: PlanParams,
        body: PlanTaskRequest,
        response: { 201: DischargePlan },
      },
    },
    async (request, reply) => {
      const { actor, plan, access } = await planFor(request, request.params.planId, 'update');
      await addPlanTask(db, actor, access, plan, request.body);
      return reply
        .status(201)
        .send(await presentPlan(db, actor, access, await loadPlan(db, actor.organizationId, plan.id)));
    },
  );

  app.post(
    '/api/discharge-plans/:planId/barriers',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: PlanParams,
        body: BarrierCreateRequest,
        response: { 201: DischargePlan },
      },
    },
    async (request, reply) => {
      const { actor, plan, access } = await planFor(request, request.params.planId, 'update');
      await addBarrier(db, actor, access, plan, request.body);
      return reply
        .status(201)
        .send(await presentPlan(db, actor, access, await loadPlan(db, actor.organizationId, plan.id)));
    },
  );

  const barrierFor = async (request: Parameters<typeof planFor>[0], barrierId: string) => {
    const actor = actorOf(request);
    const barrier = await loadBarrier(db, actor.organizationId, barrierId);
    return { barrier, ...(await planFor(request, barrier.planId, 'update')) };
  };

  app.patch(
    '/api/discharge-barriers/:barrierId',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: BarrierParams,
        body: BarrierUpdateRequest,
        response: { 200: DischargePlan },
      },
    },
    async (request) => {
      const { actor, plan, access, barrier } = await barrierFor(request, request.params.barrierId);
      await updateBarrier(db, actor, access, plan, barrier, request.body);
      return presentPlan(db, actor, access, await loadPlan(db, actor.organizationId, plan.id));
    },
  );

  app.delete(
    '/api/discharge-barriers/:barrierId',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: BarrierParams,
        querystring: BarrierDeleteQuery,
        response: { 200: DischargePlan },
      },
    },
    async (request) => {
      const { actor, plan, access, barrier } = await barrierFor(request, request.params.barrierId);
      await retireBarrier(db, actor, access, plan, barrier, request.query.version);
      return presentPlan(db, actor, access, await loadPlan(db, actor.organizationId, plan.id));
    },
  );

  app.post(
    '/api/discharge-plans/:planId/follow-up-calls',
    {
      config: { access: writers },
      schema: {
        tags: ['discharge'],
        params: PlanParams,
        body: FollowUpCallRequest,
        response: { 201: DischargePlan.extend({ needsOpened: z.array(z.string()) }) },
      },
    },
    async (request, reply) => {
      const { actor, plan, access } = await planFor(request, request.params.planId, 'update');
      const { needsOpened } = await recordFollowUpCall(db, actor, access, plan, request.body);
      const presented = await presentPlan(
        db,
        actor,
        access,
        await loadPlan(db, actor.organizationId, plan.id),
      );
      return reply.status(201).send({ ...presented, needsOpened });
    },
  );

  app.get(
    '/api/discharge/unit-list',
    {
      config: { access: { roles: ['admin', 'supervisor', 'social_worker'] as const } },
      schema: { tags: ['discharge'], querystring: UnitListQuery, response: { 200: UnitList } },
    },
    async (request) => unitList(db, actorOf(request), request.origin, request.query),
  );

  app.get(
    '/api/reports/discharge',
    {
      config: { access: { roles: REPORT_READERS } },
      schema: { tags: ['reports'], querystring: DischargeFiguresQuery, response: { 200: DischargeFigures } },
    },
    async (request) => {
      const actor = actorOf(request);
      const figures = await dischargeFigures(db, actor.organizationId, request.query);
      // A report view: who looked at which period. No patient is in the answer, so none is in the record.
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'report.discharge.read',
        outcome: 'success',
        recordKind: 'report',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { from: request.query.from, to: request.query.to, unit: request.query.unit ?? null },
      });
      return figures;
    },
  );
};
