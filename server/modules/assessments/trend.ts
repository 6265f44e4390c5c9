import type { z } from 'zod';
import { totalScore } from '../../../domain/instruments/engine.ts';
import type { Answers, Instrument, InstrumentItem } from '../../../domain/instruments/index.ts';
import type { Trend } from '../../../domain/schemas/assessments.ts';

type TrendView = z.infer<typeof Trend>;
type BandRange = TrendView['bands'][number];

/** The answers that score highest (every option of a choose-all item, but no "none") or lowest. */
function extremeAnswers(instrument: Instrument, pick: 'max' | 'min'): Answers {
  const choose = (item: InstrumentItem): string[] => {
    const scored = item.options.filter((o) => o.points !== null);
    if (!scored.length) return [];
    if (item.multiple && pick === 'max') return scored.filter((o) => !o.exclusive).map((o) => o.code);
    const best = scored.reduce((a, b) =>
      (pick === 'max' ? b.points! > a.points! : b.points! < a.points!) ? b : a,
    );
    return [best.code];
  };
  return Object.fromEntries(instrument.items.map((item) => [item.linkId, choose(item)]));
}

/** The highest and lowest total the instrument can give (null for instruments with no total). */
export function scoreRange(instrument: Instrument): { min: number; max: number } | null {
  const max = totalScore(instrument, extremeAnswers(instrument, 'max'));
  const min = totalScore(instrument, extremeAnswers(instrument, 'min'));
  return max === null || min === null ? null : { min, max };
}

/**
 * The score bands of an instrument as ranges, low to high, for drawing thresholds. A band open at the top
 * ends at the instrument's maximum total; a catch-all band (no range, e.g. PHQ-2 "negative") fills the part
 * of the scale the other bands leave. Bands decided by answers rather than by score are left out.
 */
export function bandRanges(instrument: Instrument): BandRange[] {
  const range = scoreRange(instrument);
  if (!range) return [];
  const ranged = instrument.bands
    .filter((b) => !b.when && (b.min !== undefined || b.max !== undefined))
    .map((b) => ({
      key: b.key,
      interpretation: b.interpretation,
      min: b.min ?? range.min,
      max: b.max ?? range.max,
    }));
  const lowest = Math.min(...ranged.map((b) => b.min));
  const highest = Math.max(...ranged.map((b) => b.max));
  const catchAll = instrument.bands.find((b) => !b.when && b.min === undefined && b.max === undefined);
  if (catchAll && ranged.length) {
    const gap =
      lowest > range.min
        ? { min: range.min, max: lowest - 1 }
        : highest < range.max
          ? { min: highest + 1, max: range.max }
          : null;
    if (gap) ranged.push({ key: catchAll.key, interpretation: catchAll.interpretation, ...gap });
  }
  return ranged.sort((a, b) => a.min - b.min);
}

/** The trend of one instrument: its current bands and the patient's scores over time. */
export function presentTrend(
  instrument: Instrument,
  rows: {
    id: string;
    completedAt: Date | null;
    score: number | null;
    band: string | null;
    version: string;
  }[],
): TrendView {
  return {
    instrument: instrument.id,
    title: instrument.title,
    bands: bandRanges(instrument),
    maxScore: scoreRange(instrument)?.max ?? 0,
    points: rows
      .filter((r) => r.score !== null && r.completedAt !== null)
      .map((r) => ({
        assessmentId: r.id,
        at: r.completedAt!.toISOString(),
        score: r.score!,
        band: r.band ?? '',
        version: r.version,
      })),
  };
}
