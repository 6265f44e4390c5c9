import type { z } from 'zod';
import type * as Cases from '../../../domain/schemas/cases.ts';

/** The case as the API shows it to the signed-in user. */
export type CaseView = z.infer<typeof Cases.Case>;
export type CaseTransitionEntry = z.infer<typeof Cases.CaseTransitionEntry>;
export type CaseTransitionRequest = z.input<typeof Cases.CaseTransitionRequest>;
export type TriageQueueItem = z.infer<typeof Cases.TriageQueueItem>;
export type Caseload = z.infer<typeof Cases.Caseload>;
export type ConsultTargetsView = z.infer<typeof Cases.ConsultTargetsResponse>;
export type FirstContactReport = z.infer<typeof Cases.FirstContactReport>;
export type FirstContactView = z.infer<typeof Cases.FirstContact>;
