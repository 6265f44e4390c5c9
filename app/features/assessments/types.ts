import type { z } from 'zod';
import type * as Assessments from '../../../domain/schemas/assessments.ts';
import type * as Instruments from '../../../domain/schemas/instruments.ts';

/** An assessment as the chart shows it (draft, completed, declined or discarded). */
export type AssessmentView = z.infer<typeof Assessments.Assessment>;
export type AssessmentSummary = z.infer<typeof Assessments.AssessmentSummary>;
export type AssessmentInstrumentId = z.infer<typeof Assessments.AssessmentInstrument>;
export type AssessmentStartRequest = z.input<typeof Assessments.AssessmentStartRequest>;
export type AssessmentDraftRequest = z.input<typeof Assessments.AssessmentDraftRequest>;
export type AssessmentAmendRequest = z.input<typeof Assessments.AssessmentAmendRequest>;
export type AssessmentDeclineRequest = z.input<typeof Assessments.AssessmentDeclineRequest>;
export type HandoffResult = z.infer<typeof Assessments.HandoffResponse>;
export type Trend = z.infer<typeof Assessments.Trend>;
export type FillView = z.infer<typeof Assessments.FillView>;
export type ScoreResult = z.infer<typeof Instruments.ScoreResult>;
export type InstrumentSummary = z.infer<typeof Instruments.InstrumentSummary>;
