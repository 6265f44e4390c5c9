import { DECLINE_REASONS, type DeclineReason } from '../../../domain/assessments.ts';
import type { InstrumentId } from '../../../domain/instruments/types.ts';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import type { AssessmentInstrumentId, AssessmentSummary } from './types.ts';

/** How the department names each instrument in a sentence ("Give the C-SSRS screener next"). */
export const SHORT_NAMES: Record<AssessmentInstrumentId, string> = {
  'phq-2': 'PHQ-2',
  'phq-9': 'PHQ-9',
  'gad-2': 'GAD-2',
  'gad-7': 'GAD-7',
  'ahc-hrsn': 'AHC social needs screen',
  'hunger-vital-sign': 'Hunger Vital Sign',
  hits: 'HITS',
  'cssrs-screener': 'C-SSRS screener',
  lace: 'LACE index',
  psychosocial: 'Psychosocial assessment',
};

/** Instruments drawn as a trend (repeated to follow symptoms over time). */
export const TREND_INSTRUMENTS = ['phq-9', 'gad-7'] as const satisfies readonly InstrumentId[];

/** "moderately-severe" → "Moderately severe". */
export function bandLabel(band: string | null | undefined): string {
  if (!band) return '—';
  const words = band.replaceAll('-', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function domainLabel(domain: string): string {
  return SDOH_DOMAIN_LABELS[domain as SdohDomain] ?? domain;
}

export function declineLabel(reason: string | null | undefined): string {
  return reason ? (DECLINE_REASONS[reason as DeclineReason] ?? reason) : '—';
}

export const STATUS_LABELS: Record<AssessmentSummary['status'], string> = {
  draft: 'Draft',
  completed: 'Completed',
  declined: 'Declined',
  discarded: 'Discarded',
};

export const LANGUAGE_LABELS = { en: 'English', es: 'Spanish' } as const;
