import { TZDate } from '@date-fns/tz';
import type { NotificationKind } from '../../../domain/notifications.ts';
import type { TimelineKind } from '../../../domain/timeline.ts';
import { careTeamMembers } from '../../modules/patients/patients.tables.ts';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import type { DemoRandom } from './random.ts';
import type { ScreeningState } from './screens.ts';
import type { StaffMember } from './staff.ts';
import type { Unit } from './vocab.ts';
import type { RowWriter } from './writer.ts';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A member of staff with the id the generator gave them. */
export type Person = StaffMember & { id: string };

/** What every part of the generator shares while it builds one organisation. */
export interface DemoContext {
  r: DemoRandom;
  w: RowWriter;
  /** The generator's "now", in epoch ms: every generated time is before it. */
  now: number;
  timeZone: string;
  organizationId: string;
  units: Unit[];
  admin: Person;
  supervisors: Person[];
  workers: Person[];
  workersByUnit: Map<string, Person[]>;
  clinicians: Person[];
  /** Attending physicians' names, most of them not Kith users. */
  attendings: string[];
  /** Open cases per worker so far, to balance caseloads. */
  openCases: Map<string, number>;
  /** Running numbers for visit numbers and MRNs. */
  seq: { visit: number };
  /** Timeline events written so far. */
  events: number;
  /** The screens of the patient being generated, whose needs are written when the patient is done. */
  screening: ScreeningState | null;
}

/** The patient being generated: its id and the care team members it has now, to keep one row per member. */
export interface PatientScope {
  id: string;
  /** Care team members by user id, with when they left the team (null while on it). */
  team: Map<string, number | null>;
}

/** A time no later than a minute before "now". */
export const past = (ctx: DemoContext, ms: number) => Math.min(ms, ctx.now - MINUTE);

/** The local calendar date of an instant, YYYY-MM-DD, in the organisation's time zone. */
export function localDate(ctx: DemoContext, ms: number): string {
  const d = new TZDate(ms, ctx.timeZone);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** Midnight ending the organisation's local day that contains `ms`. */
export function endOfLocalDay(ctx: DemoContext, ms: number): number {
  const d = new TZDate(ms, ctx.timeZone);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/** A random instant in [from, to]. */
export const between = (ctx: DemoContext, from: number, to: number) =>
  to <= from ? from : from + Math.floor(ctx.r.faker.number.float() * (to - from));

export function onTimeline(
  ctx: DemoContext,
  patientId: string,
  kind: TimelineKind,
  at: number,
  summary: string,
  record: {
    kind?: string;
    id?: string | null;
    actorId?: string | null;
    detail?: Record<string, unknown>;
  } = {},
): void {
  ctx.events += 1;
  ctx.w.add(timelineEvents, {
    id: ctx.r.id(at),
    organizationId: ctx.organizationId,
    patientId,
    kind,
    occurredAt: new Date(at),
    actorId: record.actorId ?? null,
    summary,
    recordKind: record.kind ?? kind,
    recordId: record.id ?? null,
    detail: record.detail ?? null,
  });
}

export function notifyDemo(
  ctx: DemoContext,
  userId: string,
  kind: NotificationKind,
  at: number,
  title: string,
  link: string,
  patientId: string | null,
): void {
  // What the user has had a day to see is read.
  const read = ctx.now - at > DAY || ctx.r.chance(0.3);
  ctx.w.add(notifications, {
    id: ctx.r.id(at),
    organizationId: ctx.organizationId,
    userId,
    kind,
    title,
    link,
    patientId,
    createdAt: new Date(at),
    readAt: read ? new Date(past(ctx, at + ctx.r.int(5, 600) * MINUTE)) : null,
    emailed: false,
  });
}

/** Puts a member of staff on the patient's care team unless they are on it already. */
export function joinCareTeam(
  ctx: DemoContext,
  patient: PatientScope,
  user: Person,
  teamRole: string,
  at: number,
  addedBy: string | null,
  removedAt: number | null = null,
): void {
  if (patient.team.has(user.id) && patient.team.get(user.id) === null) return;
  patient.team.set(user.id, removedAt);
  ctx.w.add(careTeamMembers, {
    id: ctx.r.id(at),
    organizationId: ctx.organizationId,
    patientId: patient.id,
    userId: user.id,
    teamRole,
    addedBy,
    addedAt: new Date(at),
    removedAt: removedAt === null ? null : new Date(removedAt),
    removedBy: removedAt === null ? null : addedBy,
  });
}

export const fullName = (p: { givenName: string; familyName: string }) => `${p.givenName} ${p.familyName}`;
