import type {
  Alarm,
  AnswerInput,
  Answers,
  Condition,
  Instrument,
  InstrumentItem,
  ScoreResult,
  SdohDomain,
} from './types.ts';

/** Turns caller answers (a code or a list of codes per linkId) into lists, dropping empty entries. */
export function normaliseAnswers(input: AnswerInput): Answers {
  const answers: Record<string, readonly string[]> = {};
  for (const [linkId, value] of Object.entries(input)) {
    if (value === undefined) continue;
    const codes = typeof value === 'string' ? [value] : value;
    if (codes.length > 0) answers[linkId] = codes;
  }
  return answers;
}

/** Whether the item is asked, given the answers (skip logic; chains are followed in item order). */
export function isItemEnabled(instrument: Instrument, item: InstrumentItem, answers: Answers): boolean {
  const rule = item.enableWhen;
  if (!rule) return true;
  const controller = instrument.items.find((i) => i.linkId === rule.question);
  if (!controller || !isItemEnabled(instrument, controller, answers)) return false;
  return (answers[rule.question] ?? []).some((code) => rule.answers.includes(code));
}

/** The answers to items that are asked; answers to skipped items never count. */
export function askedAnswers(instrument: Instrument, answers: Answers): Answers {
  const asked: Record<string, readonly string[]> = {};
  for (const item of instrument.items) {
    const codes = answers[item.linkId];
    if (codes && isItemEnabled(instrument, item, answers)) asked[item.linkId] = codes;
  }
  return asked;
}

/** The points the answers to one item score (summed for multiple-choice items); 0 when unanswered. */
export function itemPoints(instrument: Instrument, linkId: string, answers: Answers): number {
  const item = instrument.items.find((i) => i.linkId === linkId);
  if (!item) return 0;
  return (answers[linkId] ?? []).reduce(
    (sum, code) => sum + (item.options.find((o) => o.code === code)?.points ?? 0),
    0,
  );
}

/** Whether a condition holds for the answers (and, for `band` conditions, the band already decided). */
export function conditionHolds(
  instrument: Instrument,
  condition: Condition,
  answers: Answers,
  band?: string,
): boolean {
  if ('any' in condition) return condition.any.some((c) => conditionHolds(instrument, c, answers, band));
  if ('all' in condition) return condition.all.every((c) => conditionHolds(instrument, c, answers, band));
  if ('band' in condition) return band === condition.band;
  if ('pointsOf' in condition) {
    const total = condition.pointsOf.reduce((sum, id) => sum + itemPoints(instrument, id, answers), 0);
    return total >= condition.atLeast;
  }
  const codes = answers[condition.item] ?? [];
  if ('anyOf' in condition) return codes.some((code) => condition.anyOf.includes(code));
  return codes.some((code) => !condition.anyExcept.includes(code));
}

/** The instrument's total: the sum of points of the items asked, its own function, or null when none. */
export function totalScore(instrument: Instrument, answers: Answers): number | null {
  const { scoring } = instrument;
  if (scoring === 'none') return null;
  if (scoring === 'sum') {
    return instrument.items.reduce((sum, item) => sum + itemPoints(instrument, item.linkId, answers), 0);
  }
  return scoring(answers, instrument);
}

function decideBand(instrument: Instrument, score: number | null, answers: Answers): string {
  for (const band of instrument.bands) {
    if (band.when && !conditionHolds(instrument, band.when, answers)) continue;
    if (band.min !== undefined && (score === null || score < band.min)) continue;
    if (band.max !== undefined && (score === null || score > band.max)) continue;
    return band.key;
  }
  // Every instrument ends its bands with a catch-all; reaching here is a definition error.
  throw new Error(`${instrument.id}: no band matches score ${score}`);
}

/**
 * Scores answers to an instrument in domain.md's one result shape. Answers to skipped items are ignored and
 * unanswered items score 0, so a draft can be scored live; completeness is checked by `readResponse`.
 */
export function scoreResponse(instrument: Instrument, input: AnswerInput): ScoreResult {
  const answers = askedAnswers(instrument, normaliseAnswers(input));
  const score = totalScore(instrument, answers);
  const band = decideBand(instrument, score, answers);
  const positiveDomains: SdohDomain[] = [];
  for (const rule of instrument.needs) {
    if (!positiveDomains.includes(rule.domain) && conditionHolds(instrument, rule.when, answers, band)) {
      positiveDomains.push(rule.domain);
    }
  }
  // One alarm per code: two rules of one code (HITS total and "physically hurt") join their reasons.
  const alarms: Alarm[] = [];
  for (const rule of instrument.alarms) {
    if (!conditionHolds(instrument, rule.when, answers, band)) continue;
    const raised = alarms.find((a) => a.code === rule.code);
    if (raised) raised.reason = `${raised.reason}; ${rule.reason}`;
    else alarms.push({ code: rule.code, reason: rule.reason });
  }
  return { instrument: instrument.id, version: instrument.version, score, band, positiveDomains, alarms };
}
