import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  ChoiceList,
  ChoiceListCreateRequest,
  ChoiceListGivenRequest,
  ChoiceListList,
  ChoiceListParams,
  ChoicesRequest,
  ConfirmRequest,
  PlacementReferralRequest,
  PlanParams,
  PostAcuteListQuery,
  PostAcuteProfile,
  PostAcuteProfileList,
  PostAcuteProfileWrite,
  ServiceParams,
} from '../../../domain/schemas/placement.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { sendLinkEmails } from '../referrals/referrals.delivery.ts';
import { REFERRAL_READERS, REFERRAL_WORKERS } from '../referrals/referrals.policy.ts';
import { DIRECTORY_EDITORS, DIRECTORY_READERS } from '../resources/resources.policy.ts';
import { listPostAcuteProviders, postAcuteProfileOf, savePostAcuteProfile } from './placement.providers.ts';
import {
  choiceListsOf,
  confirmPlacement,
  createChoiceList,
  loadChoiceList,
  loadPlan,
  markGiven,
  presentChoiceLists,
  recordChoices,
  sendPlacementReferrals,
} from './placement.service.ts';

/** Post-acute placement: choice lists, the patient's choices, placement referrals, confirmation; provider profiles. */
export const placementRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config, mailer } = app.kith;
  const db = database.db;
  const readers = { access: { roles: REFERRAL_READERS } };
  const workers = { access: { roles: REFERRAL_WORKERS } };
  const tags = ['discharge'];

  const present = async (row: Parameters<typeof presentChoiceLists>[1][number]) =>
    (await presentChoiceLists(db, [row]))[0]!;

  app.get(
    '/api/discharge-plans/:planId/choice-lists',
    { config: readers, schema: { tags, params: PlanParams, response: { 200: ChoiceListList } } },
    async (request) => {
      const actor = actorOf(request);
      const plan = await loadPlan(db, actor.organizationId, request.params.planId);
      await requirePatient(db, actor, request.origin, plan.patientId, 'read', {
        action: 'discharge-choice-list.list',
        recordKind: 'discharge-plan',
        recordId: plan.id,
      });
      return { items: await choiceListsOf(db, plan.id) };
    },
  );

  app.post(
    '/api/discharge-plans/:planId/choice-lists',
    {
      config: workers,
      schema: { tags, params: PlanParams, body: ChoiceListCreateRequest, response: { 201: ChoiceList } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const plan = await loadPlan(db, actor.organizationId, request.params.planId);
      const access = await requirePatient(db, actor, request.origin, plan.patientId, 'update');
      const row = await createChoiceList(db, actor, access, plan, request.body);
      return reply.status(201).send(await present(row));
    },
  );

  app.get(
    '/api/choice-lists/:choiceListId',
    { config: readers, schema: { tags, params: ChoiceListParams, response: { 200: ChoiceList } } },
    async (request) => {
      const actor = actorOf(request);
      const list = await loadChoiceList(db, actor.organizationId, request.params.choiceListId);
      await requirePatient(db, actor, request.origin, list.patientId, 'read', {
        action: 'discharge-choice-list.read',
        recordKind: 'discharge-choice-list',
        recordId: list.id,
      });
      return present(list);
    },
  );

  app.post(
    '/api/choice-lists/:choiceListId/given',
    {
      config: workers,
      schema: { tags, params: ChoiceListParams, body: ChoiceListGivenRequest, response: { 200: ChoiceList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const list = await loadChoiceList(db, actor.organizationId, request.params.choiceListId);
      const access = await requirePatient(db, actor, request.origin, list.patientId, 'update');
      return present(await markGiven(db, actor, access, list, request.body.version));
    },
  );

  app.post(
    '/api/choice-lists/:choiceListId/choices',
    {
      config: workers,
      schema: { tags, params: ChoiceListParams, body: ChoicesRequest, response: { 200: ChoiceList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const list = await loadChoiceList(db, actor.organizationId, request.params.choiceListId);
      const access = await requirePatient(db, actor, request.origin, list.patientId, 'update');
      return present(await recordChoices(db, actor, access, list, request.body));
    },
  );

  app.post(
    '/api/choice-lists/:choiceListId/referrals',
    {
      config: workers,
      schema: {
        tags,
        params: ChoiceListParams,
        body: PlacementReferralRequest,
        response: { 201: ChoiceList },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const list = await loadChoiceList(db, actor.organizationId, request.params.choiceListId);
      const access = await requirePatient(db, actor, request.origin, list.patientId, 'update');
      const created = await sendPlacementReferrals(db, config, actor, access, list, request.body);
      await sendLinkEmails(mailer, request.log, created.mails);
      return reply.status(201).send(await present(await loadChoiceList(db, actor.organizationId, list.id)));
    },
  );

  app.post(
    '/api/choice-lists/:choiceListId/confirm',
    {
      config: workers,
      schema: { tags, params: ChoiceListParams, body: ConfirmRequest, response: { 200: ChoiceList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const list = await loadChoiceList(db, actor.organizationId, request.params.choiceListId);
      const access = await requirePatient(db, actor, request.origin, list.patientId, 'update');
      const result = await confirmPlacement(db, config, actor, access, list, request.body.referralId);
      return present(result.list);
    },
  );

  app.get(
    '/api/directory/post-acute',
    {
      config: { access: { roles: DIRECTORY_READERS } },
      schema: {
        tags: ['resources'],
        querystring: PostAcuteListQuery,
        response: { 200: PostAcuteProfileList },
      },
    },
    async (request) => ({
      items: await listPostAcuteProviders(db, actorOf(request).organizationId, request.query),
    }),
  );

  app.get(
    '/api/directory/services/:serviceId/post-acute',
    {
      config: { access: { roles: DIRECTORY_READERS } },
      schema: { tags: ['resources'], params: ServiceParams, response: { 200: PostAcuteProfile } },
    },
    async (request) => postAcuteProfileOf(db, actorOf(request).organizationId, request.params.serviceId),
  );

  app.put(
    '/api/directory/services/:serviceId/post-acute',
    {
      config: { access: { roles: DIRECTORY_EDITORS } },
      schema: {
        tags: ['resources'],
        params: ServiceParams,
        body: PostAcuteProfileWrite,
        response: { 200: PostAcuteProfile },
      },
    },
    async (request) =>
      savePostAcuteProfile(db, actorOf(request), request.origin, request.params.serviceId, request.body),
  );
};
