import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  getInstrument,
  listInstruments,
  readResponse,
  scoreResponse,
  toQuestionnaire,
} from '../../../domain/instruments/index.ts';
import {
  InstrumentList,
  InstrumentParams,
  InstrumentVersionQuery,
  QuestionnaireResource,
  QuestionnaireResponseBody,
  ScoreQuery,
  ScoreResult,
} from '../../../domain/schemas/instruments.ts';
import { invalid, notFound } from '../../platform/errors.ts';

const staff = { roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'] as const };

/** The instrument asked for, at the version asked for (the current one by default). */
function instrumentOf(id: string, version: string | undefined) {
  const instrument = getInstrument(id, version);
  if (!instrument) throw notFound(version ? `version ${version} of this instrument` : 'instrument');
  return instrument;
}

/**
 * Screening instruments as FHIR R4 Questionnaires, and scoring a QuestionnaireResponse without saving it
 * (the form's live score). No patient is involved, so nothing here is audited; giving an instrument to a
 * patient is the assessments module's work.
 */
export const instrumentsRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/instruments',
    { config: { access: staff }, schema: { tags: ['instruments'], response: { 200: InstrumentList } } },
    async () => ({
      items: listInstruments().map((i) => ({
        id: i.id,
        version: i.version,
        title: i.title,
        source: i.source,
        spanish: i.spanish,
      })),
    }),
  );

  app.get(
    '/api/instruments/:instrumentId',
    {
      config: { access: staff },
      schema: {
        tags: ['instruments'],
        params: InstrumentParams,
        querystring: InstrumentVersionQuery,
        response: { 200: QuestionnaireResource },
      },
    },
    async (request) => ({
      ...toQuestionnaire(instrumentOf(request.params.instrumentId, request.query.version)),
    }),
  );

  app.post(
    '/api/instruments/:instrumentId/score',
    {
      config: { access: staff },
      schema: {
        tags: ['instruments'],
        params: InstrumentParams,
        querystring: ScoreQuery,
        body: QuestionnaireResponseBody,
        response: { 200: ScoreResult },
      },
    },
    async (request) => {
      const instrument = instrumentOf(request.params.instrumentId, request.query.version);
      const read = readResponse(instrument, request.body, { allowMissing: request.query.draft });
      if (!read.ok) throw invalid(read.errors, 'The response does not fit this instrument');
      return scoreResponse(instrument, read.answers);
    },
  );
};
