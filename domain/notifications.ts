/** The kinds of notification, each of which a user may also choose to receive by email. */
export const NOTIFICATION_KINDS = {
  mention: 'Someone mentioned me in a message',
  'task-assigned': 'A task was assigned to me',
  'task-due': 'A task of mine is due',
  'task-overdue': 'A task of mine is overdue',
  'case-assigned': 'A case was assigned to me',
  'consult-requested': 'A consult waits for triage (supervisors)',
  'consult-overdue': 'A consult missed its first-contact target',
  alarm: 'A screening raised an alarm',
  'referral-received': 'A referral arrived for an organisation I answer for (community partners)',
  'referral-update': 'A referral I sent was answered or stalled',
} as const;
export type NotificationKind = keyof typeof NOTIFICATION_KINDS;
export const NOTIFICATION_KIND_CODES = Object.keys(NOTIFICATION_KINDS) as [
  NotificationKind,
  ...NotificationKind[],
];
