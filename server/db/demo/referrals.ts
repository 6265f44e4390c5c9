import { sql } from 'drizzle-orm';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import { SHARE_ITEM_KEYS } from '../../../domain/referrals.ts';
import { REASONS_BY_ACTION } from '../../../domain/schemas/referrals.ts';
import { REFERRAL_STATUS_LABELS, type ReferralStatus } from '../../../domain/workflows/referral.ts';
import { needLinks, needs, needTransitions } from '../../modules/needs/needs.tables.ts';
import { referralConsents, referralEvents, referrals } from '../../modules/referrals/referrals.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import type { DbOrTx } from '../client.ts';
import { DAY, MINUTE } from './context.ts';
import type { DemoDirectoryService } from './directory.ts';
import { demoRandom } from './random.ts';

/*
 * A few closed-loop referrals on demo patients whose food or housing need is still open, one in each state a
 * worker meets: a draft, one sent and stalled (the hourly follow-up gives its worker a task), received,
 * accepted, in progress, completed and declined. Written once the patients and the directory are, as the
 * referrals service would have: consent first, the referral and its events, the need linked (and so being
 * addressed), the timeline. Same seed and `now`, same rows.
 */

interface Step {
  to: ReferralStatus;
  /** Days before now. */
  daysAgo: number;
  by: 'worker' | 'partner';
  reason?: string;
  note?: string;
}

const STORIES: readonly Step[][] = [
  [{ to: 'draft', daysAgo: 0.1, by: 'worker' }],
  [
    { to: 'draft', daysAgo: 10, by: 'worker' },
    { to: 'requested', daysAgo: 10, by: 'worker' },
  ],
  [
    { to: 'draft', daysAgo: 3, by: 'worker' },
    { to: 'requested', daysAgo: 3, by: 'worker' },
    { to: 'received', daysAgo: 2, by: 'partner' },
  ],
  [
    { to: 'draft', daysAgo: 5, by: 'worker' },
    { to: 'requested', daysAgo: 5, by: 'worker' },
    { to: 'received', daysAgo: 4, by: 'partner' },
    { to: 'accepted', daysAgo: 2, by: 'partner' },
  ],
  [
    { to: 'draft', daysAgo: 12, by: 'worker' },
    { to: 'requested', daysAgo: 12, by: 'worker' },
    { to: 'accepted', daysAgo: 11, by: 'partner' },
    { to: 'in-progress', daysAgo: 6, by: 'partner', note: 'First appointment held; second on the 3rd.' },
  ],
  [
    { to: 'draft', daysAgo: 20, by: 'worker' },
    { to: 'requested', daysAgo: 20, by: 'worker' },
    { to: 'received', daysAgo: 19, by: 'partner' },
    { to: 'accepted', daysAgo: 18, by: 'partner' },
    { to: 'completed', daysAgo: 1, by: 'partner' },
  ],
  [
    { to: 'draft', daysAgo: 8, by: 'worker' },
    { to: 'requested', daysAgo: 8, by: 'worker' },
    {
      to: 'rejected',
      daysAgo: 6,
      by: 'partner',
      reason: 'no-capacity',
      note: 'Waiting list closed until spring.',
    },
  ],
];

interface Candidate {
  need_id: string;
  patient_id: string;
  domain: SdohDomain;
  worker_id: string;
  identified_at: Date | string;
}

/** Open food and housing needs of patients whose case a social worker holds, oldest first. */
async function candidates(db: DbOrTx, organizationId: string, count: number): Promise<Candidate[]> {
  const result = await db.execute(sql`
    select distinct on (n.identified_at, n.id) n.id as need_id, n.patient_id, n.domain, c.assigned_to as worker_id,
      n.identified_at
    from needs n
    join cases c on c.patient_id = n.patient_id and c.status in ('assigned', 'active') and c.assigned_to is not null
    where n.organization_id = ${organizationId} and n.status = 'identified'
      and n.domain in ('food-insecurity', 'housing-instability')
    order by n.identified_at, n.id, c.assigned_to
    limit ${count}`);
  return (result as unknown as { rows: Candidate[] }).rows;
}

/**
 * Writes the demo referrals through `db`; `services` is the demo directory (directory.ts). Returns how many
 * referrals it wrote (fewer when the department has fewer open food and housing needs).
 */
export async function writeDemoReferrals(
  db: DbOrTx,
  opts: { seed: number; now: number; organizationId: string; services: readonly DemoDirectoryService[] },
): Promise<number> {
  const r = demoRandom(opts.seed ^ 0x7ef3a1);
  const { organizationId, now } = opts;
  const chosen = await candidates(db, organizationId, STORIES.length);
  let written = 0;
  for (const [i, need] of chosen.entries()) {
    const fitting = opts.services.filter((s) => s.status === 'active' && s.domains.includes(need.domain));
    if (!fitting.length) continue;
    const service = r.pick(fitting);
    const story = STORIES[i]!;
    const identified = new Date(need.identified_at).getTime();
    // A step never comes before the need it answers was identified; steps of one day keep their order.
    const at = (step: Step) =>
      Math.max(now - step.daysAgo * DAY, identified + MINUTE) + story.indexOf(step) * MINUTE;
    const start = at(story[0]!);
    const last = story.at(-1)!;
    const referralId = r.id(start);
    const consentId = r.id(start - MINUTE);
    const sent = story.find((s) => s.to === 'requested');
    const label = SDOH_DOMAIN_LABELS[need.domain];
    const orgName = await directoryOrganizationName(db, service.directoryOrganizationId);

    await db.insert(referralConsents).values({
      id: consentId,
      organizationId,
      patientId: need.patient_id,
      directoryOrganizationId: service.directoryOrganizationId,
      shares: [...SHARE_ITEM_KEYS],
      method: 'verbal',
      givenBy: 'Patient',
      givenAt: new Date(start - MINUTE),
      expiresOn: new Date(now + 365 * DAY).toISOString().slice(0, 10),
      recordedBy: need.worker_id,
      createdAt: new Date(start - MINUTE),
    });
    await db.insert(referrals).values({
      id: referralId,
      organizationId,
      patientId: need.patient_id,
      needId: need.need_id,
      serviceId: service.id,
      locationId: service.locationIds[0] ?? null,
      directoryOrganizationId: service.directoryOrganizationId,
      consentId,
      status: last.to,
      statusReason: last.reason ?? null,
      note: `Referred for ${label.toLowerCase()}; prefers a call in the morning.`,
      contactPreferences: { methods: ['phone'], bestTimes: 'Mornings' },
      outcome:
        last.to === 'completed'
          ? {
              delivered: true,
              deliveredOn: new Date(at(last)).toISOString().slice(0, 10),
              what: 'Service delivered as referred',
            }
          : null,
      requestedBy: need.worker_id,
      requestedAt: sent ? new Date(at(sent)) : null,
      statusChangedAt: new Date(at(last)),
      version: story.length,
      createdAt: new Date(start),
      updatedAt: new Date(at(last)),
    });
    let from: ReferralStatus | null = null;
    for (const step of story) {
      const when = new Date(at(step));
      await db.insert(referralEvents).values({
        id: r.id(when.getTime()),
        organizationId,
        referralId,
        fromStatus: from,
        toStatus: step.to,
        reason: step.reason ?? null,
        note: step.note ?? null,
        actorKind: step.by === 'worker' ? 'user' : 'partner-link',
        actorId: step.by === 'worker' ? need.worker_id : null,
        at: when,
      });
      // The timeline says what the referrals service says: drafted when kept as a draft, then each change.
      const draftKept = step.to === 'draft' && story.length === 1;
      if (step.to !== 'draft' || draftKept) {
        const reason = step.reason
          ? (REASONS_BY_ACTION.reject as Record<string, string>)[step.reason]?.toLowerCase()
          : null;
        await db.insert(timelineEvents).values({
          id: r.id(when.getTime()),
          organizationId,
          patientId: need.patient_id,
          kind: 'referral',
          occurredAt: when,
          actorId: step.by === 'worker' ? need.worker_id : null,
          summary: draftKept
            ? `Referral to ${orgName} (${service.name}) drafted`
            : `Referral to ${orgName} (${service.name}): ${REFERRAL_STATUS_LABELS[step.to]}` +
              (reason ? `, ${reason}` : '') +
              (step.by === 'partner' ? ', through the organisation’s link' : ''),
          recordKind: 'referral',
          recordId: referralId,
        });
      }
      from = step.to;
    }

    // Linked to its need when made, which is then being addressed; declined, it is taken off again.
    await db.insert(needLinks).values({
      id: r.id(start),
      organizationId,
      needId: need.need_id,
      kind: 'referral',
      targetId: referralId,
      linkedBy: need.worker_id,
      linkedAt: new Date(start),
      unlinkedAt: last.to === 'rejected' ? new Date(at(last)) : null,
    });
    await db
      .update(needs)
      .set({
        status: 'being-addressed',
        statusChangedAt: new Date(start),
        statusChangedBy: null,
        version: sql`${needs.version} + 1`,
        updatedAt: new Date(start),
      })
      .where(sql`${needs.id} = ${need.need_id}`);
    await db.insert(needTransitions).values({
      id: r.id(start),
      organizationId,
      needId: need.need_id,
      action: 'address',
      fromStatus: 'identified',
      toStatus: 'being-addressed',
      byUser: null,
      at: new Date(start),
    });
    await db.insert(timelineEvents).values({
      id: r.id(start),
      organizationId,
      patientId: need.patient_id,
      kind: 'need',
      occurredAt: new Date(start),
      summary: `Need being addressed: ${label} (referral linked)`,
      recordKind: 'need',
      recordId: need.need_id,
    });
    written++;
  }
  return written;
}

async function directoryOrganizationName(db: DbOrTx, id: string): Promise<string> {
  const result = await db.execute(sql`select name from directory_organizations where id = ${id}`);
  return (result as unknown as { rows: { name: string }[] }).rows[0]?.name ?? '';
}
