import { formatDateTime, formatTime } from '../../components/dates.ts';
import type { FirstContactView } from './types.ts';

/** "2 h 5 min", "45 min", "3 d 4 h": a span of minutes as the department reads it. */
export function formatMinutes(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  if (m < 60) return `${m} min`;
  if (m < 24 * 60) return m % 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m / 60} h`;
  const days = Math.floor(m / (24 * 60));
  const hours = Math.floor((m % (24 * 60)) / 60);
  return hours ? `${days} d ${hours} h` : `${days} d`;
}

/**
 * A due time as people read it: a routine consult due at midnight is due "end of Nov 30, 2026", not at
 * 00:00 on a day nobody thinks of.
 */
export function formatDue(iso: string): string {
  if (formatTime(iso) !== '00:00') return formatDateTime(iso);
  const dayBefore = formatDateTime(new Date(Date.parse(iso) - 60_000).toISOString());
  return `end of ${dayBefore.replace(/,\s*23:59$/, '')}`;
}

/** Where a case stands against its first-contact target, in one sentence. */
export function describeFirstContact(fc: FirstContactView, now = Date.now()): string {
  const due = formatDue(fc.dueAt);
  switch (fc.state) {
    case 'pending':
      return `First contact due ${due} (in ${formatMinutes((Date.parse(fc.dueAt) - now) / 60_000)}; target ${fc.target})`;
    case 'overdue':
      return `First contact overdue by ${formatMinutes((now - Date.parse(fc.dueAt)) / 60_000)} (was due ${due})`;
    case 'met':
      return `First contact ${formatDateTime(fc.metAt)}, within target (${formatMinutes(fc.minutesToFirstContact ?? 0)} after the request)`;
    case 'late':
      return `First contact ${formatDateTime(fc.metAt)}, after the target (${formatMinutes(fc.minutesToFirstContact ?? 0)} after the request; was due ${due})`;
    case 'none':
      return 'Closed without first contact';
  }
}
