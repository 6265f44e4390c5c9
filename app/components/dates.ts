/** The browser's zone, used until the organisation's zone is known. */
const BROWSER_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
let organisationZone = BROWSER_ZONE;

/** Dates are shown in the organisation's time zone, whoever looks at them. */
export function setOrganisationTimeZone(zone: string | undefined | null): void {
  organisationZone = zone || BROWSER_ZONE;
}

function format(iso: string | null | undefined, options: Intl.DateTimeFormatOptions): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat('en-US', { timeZone: organisationZone, ...options }).format(date);
}

/** 28 Nov 2026, 14:05 in the organisation's zone. */
export function formatDateTime(iso: string | null | undefined): string {
  return format(iso, { dateStyle: 'medium', timeStyle: 'short', hourCycle: 'h23' });
}

/** 14:05 in the organisation's zone. */
export function formatTime(iso: string | null | undefined): string {
  return format(iso, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
}

/** A calendar date (YYYY-MM-DD) as the department reads it; no zone shift. */
export function formatCalendarDate(date: string | null | undefined): string {
  if (!date) return '—';
  const [y, m, d] = date.split('-').map(Number);
  if (!y || !m || !d) return date;
  return new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeZone: 'UTC' }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}
