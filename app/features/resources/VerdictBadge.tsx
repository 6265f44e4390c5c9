import { Badge } from '@mantine/core';
import { VERDICT_LABELS, VERDICT_STYLE } from './labels.ts';
import type { EligibilityVerdict } from './types.ts';

/** Badges never shrink into an ellipsis in a narrow column. */
const WHOLE = { root: { minWidth: 'max-content', overflow: 'visible' }, label: { overflow: 'visible' } };

/** The patient's eligibility for a service, in words (the colour only repeats them). */
export function VerdictBadge({ verdict }: { verdict: EligibilityVerdict['verdict'] }) {
  return (
    <Badge {...VERDICT_STYLE[verdict]} autoContrast styles={WHOLE}>
      {VERDICT_LABELS[verdict]}
    </Badge>
  );
}
