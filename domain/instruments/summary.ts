import { ALARM_EFFECTS } from '../assessments.ts';
import { SDOH_DOMAIN_LABELS } from '../needs.ts';
import type { Instrument, ScoreResult } from './types.ts';

/**
 * The line a result leaves on the chart timeline: instrument, score, band, positive domains and alarms, so
 * that all four show at once; never an answer or free text. `verb` is "completed" or "amended".
 */
export function resultLine(instrument: Instrument, result: ScoreResult, verb: string): string {
  const band = instrument.bands.find((b) => b.key === result.band)?.interpretation ?? result.band;
  const parts = [result.score === null ? band : `score ${result.score}, ${band}`];
  if (result.positiveDomains.length) {
    parts.push(
      `positive for ${result.positiveDomains.map((d) => SDOH_DOMAIN_LABELS[d].toLowerCase()).join(', ')}`,
    );
  }
  if (result.alarms.length)
    parts.push(`alarm: ${result.alarms.map((a) => ALARM_EFFECTS[a.code].label).join(', ')}`);
  return `${instrument.title} ${verb}: ${parts.join('; ')}`;
}
