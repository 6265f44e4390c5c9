import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Uuid } from '../../../domain/schemas/common.ts';
import {
  Consent,
  ConsentList,
  ConsentParams,
  ConsentRequest,
  ConsentRevokeRequest,
  NeedReferralParams,
  Referral,
  ReferralCreateRequest,
  ReferralList,
  ReferralParams,
  ReferralSettings,
  ReferralTransitionRequest,
  ReferralTransitionResponse,
} from '../../../domain/schemas/referrals.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { loadNeed } from '../needs/needs.present.ts';
import {
  listConsents,
  loadConsent,
  presentConsent,
  recordConsent,
  revokeConsent,
} from './consents.service.ts';
import { sendLinkEmails } from './referrals.delivery.ts';
import { setStallDays, stallDaysOf } from './referrals.followup.ts';
import { REFERRAL_READERS, REFERRAL_SETTINGS_ROLES, REFERRAL_WORKERS } from './referrals.policy.ts';
import {
  listPatientReferrals,
  loadReferral,
  presentReferral,
  presentReferrals,
} from './referrals.present.ts';
import { createReferrals, resendLink, transitionAsStaff } from './referrals.service.ts';

const PatientParams = z.object({ patientId: Uuid });

/** The department's side of closed-loop referrals: consent, referring a need, following it up. */
export const referralsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config, mailer } = app.kith;
  const db = database.db;
  const readers = { access: { roles: REFERRAL_READERS } };
  const workers = { access: { roles: REFERRAL_WORKERS } };
  const settings = { access: { roles: REFERRAL_SETTINGS_ROLES } };

  app.post(
    '/api/patients/:patientId/referral-consents',
    {
      config: workers,
      schema: {
        tags: ['referrals'],
        params: PatientParams,
        body: ConsentRequest,
        response: { 201: Consent },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const access = await requirePatient(db, actor, request.origin, request.params.patientId, 'update');
      const consent = await recordConsent(db, actor, access, request.body);
      return reply.status(201).send(await presentConsent(db, consent));
    },
  );

  app.get(
    '/api/patients/:patientId/referral-consents',
    {
      config: readers,
      schema: { tags: ['referrals'], params: PatientParams, response: { 200: ConsentList } },
    },
    async (request) => {
      const { patientId } = request.params;
      await requirePatient(db, actorOf(request), request.origin, patientId, 'read', {
        action: 'referral-consent.list',
        recordKind: 'referral-consent',
      });
      return { items: await listConsents(db, patientId) };
    },
  );

  app.post(
    '/api/referral-consents/:consentId/revoke',
    {
      config: workers,
      schema: {
        tags: ['referrals'],
        params: ConsentParams,
        body: ConsentRevokeRequest,
        response: { 200: Consent },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const consent = await loadConsent(db, actor.organizationId, request.params.consentId);
      const access = await requirePatient(db, actor, request.origin, consent.patientId, 'update');
      const revoked = await revokeConsent(db, actor, access, consent.id, request.body.reason);
      return presentConsent(db, revoked);
    },
  );

  app.post(
    '/api/needs/:needId/referrals',
    {
      config: workers,
      schema: {
        tags: ['referrals'],
        params: NeedReferralParams,
        body: ReferralCreateRequest,
        response: { 201: ReferralList },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const need = await loadNeed(db, actor, request.params.needId);
      const access = await requirePatient(db, actor, request.origin, need.patientId, 'update');
      const created = await createReferrals(db, config, actor, access, need, request.body);
      await sendLinkEmails(mailer, request.log, created.mails);
      return reply.status(201).send({ items: await presentReferrals(db, actor, created.referrals) });
    },
  );

  app.get(
    '/api/patients/:patientId/referrals',
    {
      config: readers,
      schema: { tags: ['referrals'], params: PatientParams, response: { 200: ReferralList } },
    },
    async (request) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'referral.list',
        recordKind: 'referral',
      });
      return { items: await listPatientReferrals(db, actor, patientId) };
    },
  );

  app.get(
    '/api/referrals/:referralId',
    { config: readers, schema: { tags: ['referrals'], params: ReferralParams, response: { 200: Referral } } },
    async (request) => {
      const actor = actorOf(request);
      const referral = await loadReferral(db, actor.organizationId, request.params.referralId);
      await requirePatient(db, actor, request.origin, referral.patientId, 'read', {
        action: 'referral.read',
        recordKind: 'referral',
        recordId: referral.id,
      });
      return presentReferral(db, actor, referral);
    },
  );

  app.post(
    '/api/referrals/:referralId/transition',
    {
      config: workers,
      schema: {
        tags: ['referrals'],
        params: ReferralParams,
        body: ReferralTransitionRequest,
        response: { 200: ReferralTransitionResponse },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const referral = await loadReferral(db, actor.organizationId, request.params.referralId);
      const access = await requirePatient(db, actor, request.origin, referral.patientId, 'update');
      const result = await transitionAsStaff(db, config, actor, access, referral.id, request.body);
      if (result.mail) await sendLinkEmails(mailer, request.log, [result.mail]);
      return {
        ...(await presentReferral(db, actor, result.referral)),
        resolveProposed: result.resolveProposed,
      };
    },
  );

  app.post(
    '/api/referrals/:referralId/resend-link',
    { config: workers, schema: { tags: ['referrals'], params: ReferralParams, response: { 200: Referral } } },
    async (request) => {
      const actor = actorOf(request);
      const referral = await loadReferral(db, actor.organizationId, request.params.referralId);
      const access = await requirePatient(db, actor, request.origin, referral.patientId, 'update');
      const result = await resendLink(db, config, actor, access, referral);
      if (result.mail) await sendLinkEmails(mailer, request.log, [result.mail]);
      return presentReferral(db, actor, result.referral);
    },
  );

  app.get(
    '/api/admin/referral-settings',
    { config: settings, schema: { tags: ['admin'], response: { 200: ReferralSettings } } },
    async (request) => ({ stallDays: await stallDaysOf(db, actorOf(request).organizationId) }),
  );

  app.put(
    '/api/admin/referral-settings',
    {
      config: settings,
      schema: { tags: ['admin'], body: ReferralSettings, response: { 200: ReferralSettings } },
    },
    async (request) => ({
      stallDays: await setStallDays(db, actorOf(request), request.origin, request.body.stallDays),
    }),
  );
};
