import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { Handout, HandoutParams, HandoutQuery } from '../../../domain/schemas/handout.ts';
import { requirePatient } from '../../platform/access.ts';
import { actorOf } from '../../platform/http.ts';
import { renderHandoutPdf } from './handout.pdf.ts';
import { buildHandout } from './handout.service.ts';

const referralStaff = { roles: ['admin', 'supervisor', 'social_worker'] as const };

/** The patient's "Your resources" handout: a PDF to give them, or the same as JSON for the print page. */
export const handoutRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/patients/:patientId/resource-handout',
    {
      config: { access: referralStaff },
      schema: {
        tags: ['referrals'],
        params: HandoutParams,
        querystring: HandoutQuery,
        response: { 200: Handout },
      },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { patientId } = request.params;
      const { serviceIds, referralIds, format } = request.query;
      const access = await requirePatient(db, actor, request.origin, patientId, 'read', {
        action: 'resource.handout',
        recordKind: 'patient',
        recordId: patientId,
        detail: { serviceIds, referralIds, format },
      });
      const handout = await buildHandout(db, actor, access, request.query);
      if (format === 'json') return handout;
      const pdf = await renderHandoutPdf(handout);
      // Fastify sends a Buffer as it is, past the JSON response schema.
      return reply
        .type('application/pdf')
        .header(
          'content-disposition',
          `inline; filename="your-resources-${handout.preparedOn}-${handout.language}.pdf"`,
        )
        .header('cache-control', 'no-store')
        .send(pdf as unknown as typeof handout);
    },
  );
};
