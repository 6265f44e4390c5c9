import type { z } from 'zod';
import type * as Patients from '../../../domain/schemas/patients.ts';

export type DuplicateCandidate = z.infer<typeof Patients.DuplicateCandidate>;
export type DuplicateCheckResponse = z.infer<typeof Patients.DuplicateCheckResponse>;
export type PatientFlag = z.infer<typeof Patients.Flag>;
export type PatientMerge = z.infer<typeof Patients.PatientMerge>;
export type PatientMergePreview = z.infer<typeof Patients.PatientMergePreview>;
