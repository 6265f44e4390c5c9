import { Badge } from '@mantine/core';
import type { NeedStatus } from '../../../domain/workflows/need.ts';
import type { NeedPersonAction, NeedView } from './types.ts';

/** The buttons of a need's actions, as the department says them. */
export const ACTION_BUTTONS: Record<NeedPersonAction, string> = {
  resolve: 'Resolve',
  decline: 'Declined by the patient',
  reopen: 'Reopen',
};

export const NEED_STATUS_LABELS: Record<NeedStatus, string> = {
  identified: 'Identified',
  'being-addressed': 'Being addressed',
  resolved: 'Resolved',
  declined: 'Declined',
};

// Colours chosen for text contrast (WCAG AA); the words carry the meaning.
const STATUS_STYLE: Record<NeedStatus, { color: string; variant: 'filled' | 'outline' }> = {
  identified: { color: 'yellow.3', variant: 'filled' },
  'being-addressed': { color: 'blue.9', variant: 'filled' },
  resolved: { color: 'teal.9', variant: 'filled' },
  declined: { color: 'gray.8', variant: 'outline' },
};

/** Badges never shrink into an ellipsis in a narrow column. */
const WHOLE = { root: { minWidth: 'max-content', overflow: 'visible' }, label: { overflow: 'visible' } };

export function NeedStatusBadge({ status }: { status: NeedStatus }) {
  return (
    <Badge {...STATUS_STYLE[status]} autoContrast styles={WHOLE}>
      {NEED_STATUS_LABELS[status]}
    </Badge>
  );
}

// History reads in the past tense: what happened to the need.
const HISTORY_ACTIONS: Record<string, string> = {
  identify: 'Identified',
  address: 'Being addressed',
  resolve: 'Resolved',
  decline: 'Declined by the patient',
  reopen: 'Reopened',
};

/** What a history entry did; actions outside the lifecycle (found, recorded, linked) read as the server names them. */
export function historyActionLabel(action: string): string {
  const label = HISTORY_ACTIONS[action] ?? action.replaceAll('-', ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}

export function statusLabel(status: string | null): string {
  return status && status in NEED_STATUS_LABELS ? NEED_STATUS_LABELS[status as NeedStatus] : (status ?? '');
}

// Short names for the table; the full title shows in the row's details.
const SHORT_NAMES: Record<string, string> = {
  'ahc-hrsn': 'AHC HRSN screen',
  'hunger-vital-sign': 'Hunger Vital Sign',
  hits: 'HITS',
  'phq-2': 'PHQ-2',
  'phq-9': 'PHQ-9',
  'gad-2': 'GAD-2',
  'gad-7': 'GAD-7',
  'cssrs-screener': 'C-SSRS screener',
  lace: 'LACE index',
  psychosocial: 'Psychosocial assessment',
};

export const findingName = (f: NeedView['findings'][number]) => SHORT_NAMES[f.instrument] ?? f.title;

/** "1 goal", "2 goals", or nothing: referrals are listed on their own. */
export function describeGoals(links: NeedView['links']): string | null {
  const n = links.filter((l) => l.kind === 'goal').length;
  return n === 0 ? null : `${n} ${n === 1 ? 'goal' : 'goals'}`;
}
