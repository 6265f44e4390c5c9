import type { SdohDomain } from '../../../domain/instruments/index.ts';
import { SDOH_DOMAIN_LABELS } from '../../../domain/needs.ts';
import { needFindings, needs, needTransitions } from '../../modules/needs/needs.tables.ts';
import { DAY, type DemoContext, onTimeline, type Person } from './context.ts';

/*
 * The needs a patient's screens identified, as the needs service's recordNeedsFound and transitions would
 * have written them: a positive domain opens a need unless one is open for it, which then gets a finding;
 * a need closed before a later screen finds the domain again is followed by a new one. Screens of one patient
 * are generated out of time order (older visits are added after today's), so needs are planned once the
 * patient is done, from the findings in time order.
 */

/** What becomes of a need a finding opens, drawn with the screen so that planning draws nothing. */
export interface NeedFate {
  end: 'resolved' | 'declined' | 'open';
  /** How long after it was identified it closes (resolved or declined). */
  afterMs: number;
  note: string | null;
}

/** A completed screen with positive domains, waiting for the patient's needs to be planned. */
export interface PendingFinding {
  assessmentId: string;
  /** The short title of the instrument, for the timeline. */
  instrument: string;
  at: number;
  by: Person;
  domains: readonly SdohDomain[];
  fates: Partial<Record<SdohDomain, NeedFate>>;
}

const RESOLVED_NOTES = [
  'Enrolled in SNAP; food pantry list given.',
  'Connected with the housing search worker; application filed.',
  'Ride service (PT-1 form) arranged for follow-up appointments.',
  'Fuel assistance application submitted; shut-off protection letter sent.',
  'Safety plan made; connected with the domestic violence advocate.',
  'Family has taken this on; no further help wanted.',
];
const DECLINED_NOTES = [
  'Patient prefers to manage this with family.',
  'Patient does not want a referral at this time.',
  'Patient says it is handled; will ask if it changes.',
];

/** A need's fate: most are resolved within weeks, some declined, some still open. */
export function drawNeedFate(ctx: DemoContext): NeedFate {
  const { r } = ctx;
  const end = r.weighted([
    [55, 'resolved'],
    [12, 'declined'],
    [33, 'open'],
  ] as const);
  return {
    end,
    afterMs: end === 'resolved' ? r.int(2, 45) * DAY : r.int(1, 10) * DAY,
    note: end === 'resolved' ? r.pick(RESOLVED_NOTES) : end === 'declined' ? r.pick(DECLINED_NOTES) : null,
  };
}

export interface PlannedNeed {
  domain: SdohDomain;
  findings: PendingFinding[];
  fate: NeedFate;
  /** When it was resolved or declined, if that has happened by now. */
  closedAt: number | null;
}

/** The patient's needs from their findings, in time order; draws nothing, so it can be counted first. */
export function planNeeds(findings: readonly PendingFinding[], now: number): PlannedNeed[] {
  const planned: PlannedNeed[] = [];
  const open = new Map<SdohDomain, PlannedNeed>();
  const closesAt = (need: PlannedNeed) => {
    if (need.fate.end === 'open') return null;
    const at = need.findings[0]!.at + need.fate.afterMs;
    return at < now ? at : null;
  };
  const ordered = [...findings].sort((a, b) => a.at - b.at);
  for (const finding of ordered) {
    for (const domain of finding.domains) {
      let need = open.get(domain);
      const closed = need ? closesAt(need) : null;
      // A need closed before this screen stays closed: the domain found again is a new need.
      if (need && closed !== null && closed <= finding.at) need = undefined;
      if (need) need.findings.push(finding);
      else {
        need = { domain, findings: [finding], fate: finding.fates[domain]!, closedAt: null };
        planned.push(need);
        open.set(domain, need);
      }
    }
  }
  for (const need of planned) need.closedAt = closesAt(need);
  return planned;
}

/** Timeline entries the plan writes: one when a need is identified, one when it is closed. */
export const needTimelineEntries = (plan: readonly PlannedNeed[]) =>
  plan.reduce((n, need) => n + 1 + (need.closedAt === null ? 0 : 1), 0);

/** Writes the planned needs with their findings, transitions and timeline entries. */
export function writeNeeds(ctx: DemoContext, patientId: string, plan: readonly PlannedNeed[]): void {
  const { r } = ctx;
  for (const need of plan) {
    const first = need.findings[0]!;
    const last = need.findings.at(-1)!;
    const id = r.id(first.at);
    const label = SDOH_DOMAIN_LABELS[need.domain];
    const closer = last.by;
    const status = need.closedAt === null ? 'identified' : need.fate.end;
    ctx.w.add(needs, {
      id,
      organizationId: ctx.organizationId,
      patientId,
      domain: need.domain,
      status,
      sourceAssessmentId: first.assessmentId,
      identifiedAt: new Date(first.at),
      identifiedBy: first.by.id,
      lastFoundAt: new Date(last.at),
      note: null,
      statusChangedAt: new Date(need.closedAt ?? first.at),
      statusChangedBy: need.closedAt === null ? first.by.id : closer.id,
      version: need.closedAt === null ? 1 : 2,
      createdAt: new Date(first.at),
      updatedAt: new Date(need.closedAt ?? last.at),
    });
    for (const finding of need.findings)
      ctx.w.add(needFindings, {
        id: r.id(finding.at),
        organizationId: ctx.organizationId,
        needId: id,
        assessmentId: finding.assessmentId,
        foundAt: new Date(finding.at),
      });
    ctx.w.add(needTransitions, {
      id: r.id(first.at),
      organizationId: ctx.organizationId,
      needId: id,
      action: 'identify',
      fromStatus: null,
      toStatus: 'identified',
      byUser: first.by.id,
      at: new Date(first.at),
      note: null,
    });
    const record = { kind: 'need', id };
    onTimeline(ctx, patientId, 'need', first.at, `Need identified: ${label} (${first.instrument})`, {
      ...record,
      actorId: first.by.id,
      detail: { domain: need.domain, assessmentId: first.assessmentId },
    });
    if (need.closedAt === null) continue;
    const resolved = need.fate.end === 'resolved';
    ctx.w.add(needTransitions, {
      id: r.id(need.closedAt),
      organizationId: ctx.organizationId,
      needId: id,
      action: resolved ? 'resolve' : 'decline',
      fromStatus: 'identified',
      toStatus: need.fate.end,
      byUser: closer.id,
      at: new Date(need.closedAt),
      note: need.fate.note,
    });
    onTimeline(
      ctx,
      patientId,
      'need',
      need.closedAt,
      resolved ? `Need resolved: ${label}` : `Need declined by the patient: ${label}`,
      { ...record, actorId: closer.id },
    );
  }
}
