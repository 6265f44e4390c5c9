import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { CoverageQuery, CoverageReport } from '../../../domain/schemas/needs.ts';
import { auditActor } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { actorOf } from '../../platform/http.ts';
import { coverageCsv } from './coverage.present.ts';
import { screeningCoverage } from './coverage.service.ts';
import { REPORT_READERS } from './reports.policy.ts';

/** CSV when asked by `format=csv`, or by an Accept header that names text/csv and not JSON. */
const wantsCsv = (format: string | undefined, accept: string | undefined) =>
  format === 'csv' ||
  (format === undefined && /\btext\/csv\b/.test(accept ?? '') && !/json/.test(accept ?? ''));

/** Screening coverage (SDOH-1, SDOH-2) by month and unit. */
export const coverageRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = app.kith.database.db;

  app.get(
    '/api/reports/screening-coverage',
    {
      config: { access: { roles: REPORT_READERS } },
      schema: { tags: ['reports'], querystring: CoverageQuery, response: { 200: CoverageReport } },
    },
    async (request, reply) => {
      const actor = actorOf(request);
      const { format, ...q } = request.query;
      const report = await screeningCoverage(db, actor.organizationId, q);
      const csv = wantsCsv(format, request.headers.accept);
      // A report view: who looked at which period. No patient is in the answer, so none is in the record.
      await appendAudit(db, {
        ...auditActor(actor),
        action: 'report.screening-coverage.read',
        outcome: 'success',
        recordKind: 'report',
        ip: request.origin.ip,
        userAgent: request.origin.userAgent,
        detail: { from: q.from, to: q.to, unit: q.unit ?? null, format: csv ? 'csv' : 'json' },
      });
      if (!csv) return report;
      // Fastify sends a string with a non-JSON content type as it is, past the JSON response schema.
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="screening-coverage-${q.from}-${q.to}.csv"`)
        .send(coverageCsv(report) as unknown as typeof report);
    },
  );
};
