import { z } from 'zod';
import { URGENCIES } from '../casework.ts';
import { FLAG_KIND_CODES } from '../flags.ts';
import { TIMELINE_KIND_CODES } from '../timeline.ts';
import { CASE_STATUSES } from '../workflows/case.ts';
import { IsoDate, IsoDateTime, PageQuery, pageOf, Uuid } from './common.ts';

export const TIMELINE_PAGE_SIZE = 25;

/** `kinds=case,task`: a comma-separated list of timeline kinds; empty means every kind. */
const TimelineKinds = z
  .string()
  .trim()
  .max(500)
  .transform((s) =>
    s
      .split(',')
      .map((k) => k.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.enum(TIMELINE_KIND_CODES, { error: 'must be timeline kinds such as case,task' })));

export const TimelineQuery = PageQuery.extend({
  pageSize: PageQuery.shape.pageSize.unwrap().default(TIMELINE_PAGE_SIZE),
  kinds: TimelineKinds.optional(),
});
export type TimelineQuery = z.infer<typeof TimelineQuery>;

export const TimelineEntry = z.object({
  id: Uuid,
  /** A kind of domain/timeline.ts. */
  kind: z.string(),
  occurredAt: IsoDateTime,
  summary: z.string(),
  actorName: z.string().nullable(),
  recordKind: z.string().nullable(),
  recordId: Uuid.nullable(),
  /** Where the entry opens in the app (domain/timeline.ts). */
  link: z.string(),
});
export type TimelineEntry = z.infer<typeof TimelineEntry>;

export const TimelinePage = pageOf(TimelineEntry);
export type TimelinePage = z.infer<typeof TimelinePage>;

export const ChartFlag = z.object({
  /** Null for a flag derived from the record (interpreter-needed). */
  id: Uuid.nullable(),
  kind: z.enum(FLAG_KIND_CODES),
  note: z.string().nullable(),
  raisedAt: IsoDateTime.nullable(),
});

/** A legal guardian, health care agent or other personal representative: who decides with or for the patient. */
export const ChartRepresentative = z.object({
  id: Uuid,
  name: z.string(),
  relationship: z.string(),
  legalGuardian: z.boolean(),
  personalRepresentative: z.boolean(),
  phone: z.string().nullable(),
  sharingAuthorized: z.boolean(),
  sharingScope: z.string().nullable(),
  sharingExpiresOn: IsoDate.nullable(),
});

export const ChartCareTeamMember = z.object({
  userId: Uuid,
  displayName: z.string(),
  role: z.string(),
  teamRole: z.string(),
});

export const ChartEncounter = z.object({
  id: Uuid,
  encounterClass: z.string(),
  unit: z.string().nullable(),
  room: z.string().nullable(),
  bed: z.string().nullable(),
  attendingName: z.string().nullable(),
  admittedAt: IsoDateTime,
  daysSinceAdmission: z.number().int(),
  expectedDischargeOn: IsoDate.nullable(),
});

export const ChartCase = z.object({
  id: Uuid,
  version: z.number().int(),
  status: z.enum(CASE_STATUSES),
  urgency: z.enum(URGENCIES),
  acuity: z.number().int().nullable(),
  reasonCode: z.string(),
  requestedAt: IsoDateTime,
  firstContactOverdue: z.boolean(),
  assignee: z.object({ id: Uuid, displayName: z.string() }).nullable(),
});

/** What a social worker must see first about a patient, and the first page of the timeline. */
export const PatientChart = z.object({
  patient: z.object({
    id: Uuid,
    mrn: z.string(),
    familyName: z.string(),
    givenName: z.string(),
    middleName: z.string().nullable(),
    preferredName: z.string().nullable(),
    pronouns: z.string().nullable(),
    birthDate: IsoDate,
    age: z.number().int(),
    sex: z.string(),
    preferredLanguage: z.string(),
    interpreterNeeded: z.boolean(),
    codeStatus: z.string().nullable(),
    codeStatusRecordedAt: IsoDateTime.nullable(),
  }),
  /** Most severe first (domain/flags.ts). */
  flags: z.array(ChartFlag),
  representatives: z.array(ChartRepresentative),
  careTeam: z.array(ChartCareTeamMember),
  encounter: ChartEncounter.nullable(),
  openCases: z.array(ChartCase),
  openTasks: z.number().int(),
  abilities: z.object({ read: z.boolean(), update: z.boolean(), manageCareTeam: z.boolean() }),
  /** Set when the chart is open under emergency access. */
  emergencyAccessUntil: IsoDateTime.nullable(),
  timeline: TimelinePage,
  /** Every kind the timeline can show, for its filter. */
  timelineKinds: z.array(z.object({ code: z.enum(TIMELINE_KIND_CODES), label: z.string() })),
});
export type PatientChart = z.infer<typeof PatientChart>;
