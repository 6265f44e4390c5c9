import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  PartnerReferralList,
  PartnerReferralListQuery,
  PartnerReferralView,
  PartnerTokenParams,
  ReferralParams,
  ReferralTransitionRequest,
} from '../../../domain/schemas/referrals.ts';
import { actorOf } from '../../platform/http.ts';
import {
  listPartnerReferrals,
  readAsPartner,
  readByLink,
  transitionAsPartner,
  transitionByLink,
} from './partner.service.ts';
import { PARTNER_ROLES } from './referrals.policy.ts';

/** Tokens are unguessable; the limit keeps a scripted client from hammering the database through them. */
const LINK_RATE_LIMIT = { max: 120, timeWindow: '1 minute' };

/**
 * The community organisation's side of a referral: the page behind its email's signed link (public, no
 * session), and the inbox of its community partner accounts. Both answer with what the patient agreed to share.
 */
export const partnerRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config } = app.kith;
  const db = database.db;
  const link = { access: 'public' as const, rateLimit: LINK_RATE_LIMIT };
  const partners = { access: { roles: PARTNER_ROLES } };

  app.get(
    '/api/referral-response/:token',
    {
      config: link,
      schema: { tags: ['partner'], params: PartnerTokenParams, response: { 200: PartnerReferralView } },
    },
    async (request) => readByLink(db, config, request.params.token, request.origin),
  );

  app.post(
    '/api/referral-response/:token/transition',
    {
      config: link,
      schema: {
        tags: ['partner'],
        params: PartnerTokenParams,
        body: ReferralTransitionRequest,
        response: { 200: PartnerReferralView },
      },
    },
    async (request) => transitionByLink(db, config, request.params.token, request.origin, request.body),
  );

  app.get(
    '/api/partner/referrals',
    {
      config: partners,
      schema: {
        tags: ['partner'],
        querystring: PartnerReferralListQuery,
        response: { 200: PartnerReferralList },
      },
    },
    async (request) => listPartnerReferrals(db, actorOf(request), request.origin, request.query),
  );

  app.get(
    '/api/partner/referrals/:referralId',
    {
      config: partners,
      schema: { tags: ['partner'], params: ReferralParams, response: { 200: PartnerReferralView } },
    },
    async (request) => readAsPartner(db, config, actorOf(request), request.origin, request.params.referralId),
  );

  app.post(
    '/api/partner/referrals/:referralId/transition',
    {
      config: partners,
      schema: {
        tags: ['partner'],
        params: ReferralParams,
        body: ReferralTransitionRequest,
        response: { 200: PartnerReferralView },
      },
    },
    async (request) =>
      transitionAsPartner(
        db,
        config,
        actorOf(request),
        request.origin,
        request.params.referralId,
        request.body,
      ),
  );
};
