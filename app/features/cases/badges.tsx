import { Badge } from '@mantine/core';
import { URGENCY_LABELS, type Urgency } from '../../../domain/casework.ts';
import { CASE_STATUS_LABELS, type CaseStatus } from '../../../domain/workflows/case.ts';

/** Badges never shrink into an ellipsis in a narrow table column: "URG…" says nothing. */
const WHOLE = { root: { minWidth: 'max-content', overflow: 'visible' }, label: { overflow: 'visible' } };

// Colours chosen for text contrast (WCAG AA) on both the badge and the page; the words carry the meaning.
const URGENCY_COLORS: Record<Urgency, string> = { emergent: 'red.9', urgent: 'yellow.3', routine: 'gray.2' };

export function UrgencyBadge({ urgency }: { urgency: Urgency }) {
  return (
    <Badge color={URGENCY_COLORS[urgency]} autoContrast variant="filled" styles={WHOLE}>
      {URGENCY_LABELS[urgency]}
    </Badge>
  );
}

export function StatusBadge({ status }: { status: CaseStatus }) {
  return (
    <Badge color="gray.8" variant="outline" styles={WHOLE}>
      {CASE_STATUS_LABELS[status]}
    </Badge>
  );
}

/** Said in words, not only in colour. */
export function OverdueBadge() {
  return (
    <Badge color="red.9" autoContrast variant="filled" styles={WHOLE}>
      Overdue
    </Badge>
  );
}
