import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS_BY_ACTION } from '../../../domain/schemas/referrals.ts';
import {
  allowedReferralActions,
  isFinalReferral,
  REFERRAL_ACTIONS,
  REFERRAL_STATUSES,
  REFERRAL_TRANSITIONS,
  type ReferralAction,
  type ReferralStatus,
} from '../../../domain/workflows/referral.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { addPartnerMember, insertReferral, referralScene } from './referrals.fixtures.ts';
import { referralEvents, referrals } from './referrals.tables.ts';

/*
 * Every step of the lifecycle through the API, as the department (staff routes) and as the organisation
 * (its partner inbox, which follows the link's rules): each allowed one answers 200 and is recorded; each
 * refused one answers 409 and changes nothing.
 */

let t: TestContext;
let scene: Awaited<ReturnType<typeof referralScene>>;
let partner: Client;
beforeAll(async () => {
  t = await startTestApp();
  scene = await referralScene(t);
  const partnerUser = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
  await addPartnerMember(t, scene.organization, partnerUser.id, scene.pantry.id);
  partner = await signIn(t, partnerUser);
});
afterAll(() => t.close());

const inputFor = (action: ReferralAction) => {
  const reasons = (REASONS_BY_ACTION as Record<string, Record<string, string>>)[action];
  return {
    ...(reasons ? { reason: Object.keys(reasons)[0] } : {}),
    ...(action === 'complete'
      ? { outcome: { delivered: true, deliveredOn: '2026-03-02', what: 'Groceries' } }
      : {}),
    note: 'Recorded in the test',
  };
};

const referralIn = (status: ReferralStatus) =>
  insertReferral(t, {
    patient: scene.patient,
    needId: scene.need.id,
    service: scene.service,
    requestedBy: scene.user.id,
    status,
  });

const sides = {
  department: {
    actor: { kind: 'requester', role: 'social_worker' } as const,
    post: (id: string, body: object) => scene.worker.post(`/api/referrals/${id}/transition`, body),
  },
  organisation: {
    actor: { kind: 'performer' } as const,
    post: (id: string, body: object) => partner.post(`/api/partner/referrals/${id}/transition`, body),
  },
};

const allowedSteps = (Object.keys(sides) as (keyof typeof sides)[]).flatMap((side) =>
  REFERRAL_TRANSITIONS.filter((rule) =>
    rule.by.includes(side === 'department' ? 'requester' : 'performer'),
  ).flatMap((rule) => rule.from.map((from) => ({ side, action: rule.action, from, to: rule.to }))),
);

describe('every allowed step through the API', () => {
  it.each(allowedSteps.map((s) => [s.side, s.action, s.from, s.to, s] as const))(
    'the %s: %s from %s → %s (200, recorded)',
    async (_side, _a, _f, _t, step) => {
      const referral = await referralIn(step.from);
      const res = await sides[step.side].post(referral.id, {
        action: step.action,
        version: referral.version,
        ...inputFor(step.action),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: step.to, version: referral.version + 1 });
      const events = await t.database.db
        .select()
        .from(referralEvents)
        .where(eq(referralEvents.referralId, referral.id));
      expect(events.at(-1)).toMatchObject({ fromStatus: step.from, toStatus: step.to });
      const [entry] = await t.database.db
        .select()
        .from(timelineEvents)
        .where(eq(timelineEvents.recordId, referral.id));
      expect(entry).toMatchObject({ kind: 'referral', patientId: scene.patient.id });
    },
  );
});

describe('every refused step through the API', () => {
  it.each(
    (Object.keys(sides) as (keyof typeof sides)[]).flatMap((side) =>
      // The organisation's inbox never shows a draft: refused as not found.
      REFERRAL_STATUSES.filter((s) => !(side === 'organisation' && s === 'draft')).map(
        (s) => [side, s] as const,
      ),
    ),
  )(
    'the %s, on a referral that is %s: 409 for each action it may not take, nothing changes',
    async (side, status) => {
      const referral = await referralIn(status);
      const allowed = allowedReferralActions(status, sides[side].actor);
      for (const action of REFERRAL_ACTIONS.filter((a) => !allowed.includes(a))) {
        const res = await sides[side].post(referral.id, {
          action,
          version: referral.version,
          ...inputFor(action),
        });
        expect({ action, status: res.statusCode }).toEqual({ action, status: 409 });
        expect(res.json()).toMatchObject({
          type: `urn:kith:problem:${isFinalReferral(status) ? 'referral-closed' : 'transition-not-allowed'}`,
          allowed: isFinalReferral(status) ? [] : allowed,
        });
      }
      const [after] = await t.database.db.select().from(referrals).where(eq(referrals.id, referral.id));
      expect(after).toEqual(referral);
    },
  );

  it('does not show the organisation a draft at all (404)', async () => {
    const draft = await referralIn('draft');
    const res = await sides.organisation.post(draft.id, { action: 'accept', version: 1 });
    expect(res.statusCode).toBe(404);
  });
});
