/**
 * Every kind of record that appears on the patient's timeline. Adding a kind is this one registration:
 * the service that owns the record writes entries with `recordOnTimeline`, the chart's filter lists the
 * kinds from here, and `link` says where an entry opens.
 */
export const TIMELINE_KINDS = {
  patient: { label: 'Registration', link: (p: string) => `/patients/${p}` },
  contact: { label: 'Family and contacts', link: (p: string) => `/patients/${p}/family` },
  encounter: { label: 'Visits', link: (p: string) => `/patients/${p}/visits` },
  case: { label: 'Cases', link: (p: string, id?: string) => `/patients/${p}/cases/${id ?? ''}` },
  task: { label: 'Tasks', link: (p: string) => `/patients/${p}/tasks` },
  message: { label: 'Messages', link: (p: string) => `/patients/${p}/messages` },
  flag: { label: 'Flags', link: (p: string) => `/patients/${p}` },
  assessment: {
    label: 'Assessments',
    link: (p: string, id?: string) => `/patients/${p}/assessments/${id ?? ''}`,
  },
  need: { label: 'Needs', link: (p: string, id?: string) => `/patients/${p}/needs/${id ?? ''}` },
  referral: {
    label: 'Referrals',
    link: (p: string, id?: string) => `/patients/${p}/referrals/${id ?? ''}`,
  },
  discharge: { label: 'Discharge planning', link: (p: string) => `/patients/${p}/discharge` },
} as const satisfies Record<
  string,
  { label: string; link: (patientId: string, recordId?: string) => string }
>;

export type TimelineKind = keyof typeof TIMELINE_KINDS;
export const TIMELINE_KIND_CODES = Object.keys(TIMELINE_KINDS) as [TimelineKind, ...TimelineKind[]];
