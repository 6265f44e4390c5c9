import { z } from 'zod';
import { ALARM_CODES, INSTRUMENT_IDS, SDOH_DOMAINS } from '../instruments/index.ts';

export const InstrumentId = z.enum(INSTRUMENT_IDS, { error: 'is not an instrument Kith knows' });

export const InstrumentParams = z.object({ instrumentId: InstrumentId });

/** GET /api/instruments/:id and POST .../score: a version other than the current one. */
export const InstrumentVersionQuery = z.object({
  version: z.string().trim().max(20).optional(),
});

/** POST /api/instruments/:id/score: `draft=true` scores an unfinished response (live scoring in the form). */
export const ScoreQuery = InstrumentVersionQuery.extend({
  draft: z
    .enum(['true', 'false'])
    .optional()
    .transform((v) => v === 'true'),
});

export const InstrumentSummary = z.object({
  id: InstrumentId,
  version: z.string(),
  title: z.string(),
  source: z.string(),
  /** Where the Spanish wording comes from, and whether it was compared with the published text; null when none. */
  spanish: z.object({ source: z.string(), checked: z.boolean() }).nullable(),
});
export const InstrumentList = z.object({ items: z.array(InstrumentSummary) });

/** A FHIR R4 Questionnaire (its shape is built in domain/instruments/fhir.ts and passed through whole). */
export const QuestionnaireResource = z.looseObject({
  resourceType: z.literal('Questionnaire'),
  url: z.string(),
  version: z.string(),
});

/** A FHIR QuestionnaireResponse as sent; domain/instruments reads it item by item and names bad ones. */
export const QuestionnaireResponseBody = z.looseObject({ resourceType: z.string() });

/** The one result shape of every instrument (domain.md). */
export const ScoreResult = z.object({
  instrument: InstrumentId,
  version: z.string(),
  score: z.number().nullable(),
  band: z.string(),
  positiveDomains: z.array(z.enum(SDOH_DOMAINS)),
  alarms: z.array(z.object({ code: z.enum(ALARM_CODES), reason: z.string() })),
});
