import { describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../roles.ts';
import {
  allowedReferralActions,
  decideReferralTransition,
  isActiveReferral,
  isFinalReferral,
  REFERRAL_ACTIONS,
  REFERRAL_STATUSES,
  type ReferralAction,
  type ReferralActor,
  type ReferralStatus,
} from './referral.ts';

/*
 * The lifecycle written out by hand from the Gravity SDOH Clinical Care IG (domain.md "Closed-loop
 * referral"), independently of the table in referral.ts: each action, where it leads, and from which
 * statuses the requester (the department's social work staff) and the performer (the organisation) may take it.
 */
interface Expected {
  to: ReferralStatus;
  requester: readonly ReferralStatus[];
  performer: readonly ReferralStatus[];
  reason?: true;
  outcome?: true;
  /** The requester records a performer's step only with a note of how the department learnt of it. */
  requesterNote?: true;
}

const SENT_NOT_ENDED = ['requested', 'received', 'accepted', 'in-progress', 'on-hold'] as const;

const EXPECTED: Record<ReferralAction, Expected> = {
  send: { to: 'requested', requester: ['draft'], performer: [] },
  receive: { to: 'received', requester: [], performer: ['requested'] },
  accept: { to: 'accepted', requester: [], performer: ['requested', 'received'] },
  reject: { to: 'rejected', requester: [], performer: ['requested', 'received'], reason: true },
  start: { to: 'in-progress', requester: [], performer: ['accepted'] },
  hold: { to: 'on-hold', requester: [], performer: ['accepted', 'in-progress'], reason: true },
  resume: { to: 'in-progress', requester: [], performer: ['on-hold'] },
  complete: {
    to: 'completed',
    requester: ['accepted', 'in-progress'],
    performer: ['accepted', 'in-progress'],
    outcome: true,
    requesterNote: true,
  },
  fail: {
    to: 'failed',
    requester: ['accepted', 'in-progress', 'on-hold'],
    performer: ['accepted', 'in-progress', 'on-hold'],
    reason: true,
    requesterNote: true,
  },
  cancel: {
    to: 'cancelled',
    requester: ['draft', ...SENT_NOT_ENDED],
    performer: SENT_NOT_ENDED,
    reason: true,
  },
  'enter-in-error': {
    to: 'entered-in-error',
    requester: ['draft', 'requested', 'received'],
    performer: [],
  },
};

const REQUESTER_ROLES: readonly Role[] = ['admin', 'supervisor', 'social_worker'];

interface Case {
  name: string;
  actor: ReferralActor;
  /** Which column of EXPECTED this actor may use; null when it may take no step at all. */
  side: 'requester' | 'performer' | null;
}
const ACTORS: Case[] = [
  ...ROLES.map(
    (role): Case => ({
      name: `requester (${role})`,
      actor: { kind: 'requester', role },
      side: REQUESTER_ROLES.includes(role) ? 'requester' : null,
    }),
  ),
  { name: 'performer', actor: { kind: 'performer' }, side: 'performer' },
  { name: 'system', actor: { kind: 'system' }, side: null },
];

const FULL_INPUT = {
  reason: 'other',
  note: 'Called the food bank on Tuesday',
  outcome: { delivered: true, deliveredOn: '2026-03-02', what: 'Two weeks of groceries' },
};

const mayTake = (side: Case['side'], action: ReferralAction, status: ReferralStatus) =>
  side !== null && EXPECTED[action][side].includes(status);
const anyoneMayTake = (action: ReferralAction, status: ReferralStatus) =>
  EXPECTED[action].requester.includes(status) || EXPECTED[action].performer.includes(status);
const expectedAllowed = (side: Case['side'], status: ReferralStatus) =>
  REFERRAL_ACTIONS.filter((a) => mayTake(side, a, status));

describe('the referral lifecycle, every status × action × actor', () => {
  const table = REFERRAL_STATUSES.flatMap((status) =>
    REFERRAL_ACTIONS.flatMap((action) => ACTORS.map((who) => ({ status, action, who }))),
  );

  it.each(table.map((c) => [c.status, c.action, c.who.name, c] as const))(
    'from %s, %s by %s',
    (_status, _action, _name, { status, action, who }) => {
      const decision = decideReferralTransition(status, action, who.actor, FULL_INPUT);
      if (mayTake(who.side, action, status)) {
        expect(decision).toEqual({ ok: true, to: EXPECTED[action].to });
        return;
      }
      expect(decision).toMatchObject({
        ok: false,
        // Refused because of the status when nobody may take it from there, else because of who asks.
        reason: anyoneMayTake(action, status) ? 'actor' : 'not-allowed-now',
      });
      if (!decision.ok)
        expect([...decision.allowed].sort()).toEqual(expectedAllowed(who.side, status).sort());
    },
  );

  it.each(
    REFERRAL_STATUSES.flatMap((status) => ACTORS.map((who) => [status, who.name, status, who] as const)),
  )('offers %s to %s exactly the actions it may take', (_s, _n, status, who) => {
    expect([...allowedReferralActions(status, who.actor)].sort()).toEqual(
      expectedAllowed(who.side, status).sort(),
    );
  });

  it('lets nobody move a referral that has ended', () => {
    for (const status of REFERRAL_STATUSES.filter(isFinalReferral)) {
      for (const who of ACTORS) expect(allowedReferralActions(status, who.actor)).toEqual([]);
    }
  });

  it('calls the sent-and-not-ended statuses active, and the five end states final', () => {
    expect(REFERRAL_STATUSES.filter(isActiveReferral)).toEqual([...SENT_NOT_ENDED]);
    expect(REFERRAL_STATUSES.filter(isFinalReferral)).toEqual([
      'completed',
      'rejected',
      'cancelled',
      'failed',
      'entered-in-error',
    ]);
  });

  it('never lets the organisation see a draft: it may not cancel one', () => {
    expect(allowedReferralActions('draft', { kind: 'performer' })).toEqual([]);
    expect(decideReferralTransition('draft', 'cancel', { kind: 'performer' }, FULL_INPUT)).toMatchObject({
      ok: false,
      reason: 'actor',
    });
  });

  it('does not let a hold before acceptance resume straight into service', () => {
    expect(decideReferralTransition('received', 'hold', { kind: 'performer' }, FULL_INPUT)).toMatchObject({
      ok: false,
      reason: 'not-allowed-now',
    });
  });
});

describe('what a step must carry', () => {
  const performer: ReferralActor = { kind: 'performer' };
  const worker: ReferralActor = { kind: 'requester', role: 'social_worker' };
  /** Every allowed (status, action, actor) that needs something, with the full input minus one part. */
  const steps = REFERRAL_ACTIONS.flatMap((action) =>
    (['requester', 'performer'] as const).flatMap((side) =>
      EXPECTED[action][side].map((status) => ({
        action,
        status,
        actor: side === 'requester' ? worker : performer,
        side,
      })),
    ),
  );

  it.each(
    steps.filter((s) => EXPECTED[s.action].reason).map((s) => [s.action, s.status, s.side, s] as const),
  )('%s from %s by the %s needs a reason, and blank is none', (_a, _s, _side, s) => {
    for (const reason of [undefined, null, '', '   ']) {
      expect(decideReferralTransition(s.status, s.action, s.actor, { ...FULL_INPUT, reason })).toMatchObject({
        ok: false,
        reason: 'missing',
        missing: 'reason',
      });
    }
  });

  it.each(
    steps.filter((s) => EXPECTED[s.action].outcome).map((s) => [s.action, s.status, s.side, s] as const),
  )('%s from %s by the %s needs the outcome', (_a, _s, _side, s) => {
    for (const outcome of [undefined, null]) {
      expect(decideReferralTransition(s.status, s.action, s.actor, { ...FULL_INPUT, outcome })).toMatchObject(
        {
          ok: false,
          reason: 'missing',
          missing: 'outcome',
        },
      );
    }
  });

  it.each(
    steps
      .filter((s) => EXPECTED[s.action].requesterNote)
      .map((s) => [s.action, s.status, s.side, s] as const),
  )('%s from %s by the %s: a note only when the department records it', (_a, _s, side, s) => {
    const decision = decideReferralTransition(s.status, s.action, s.actor, { ...FULL_INPUT, note: ' ' });
    if (side === 'requester') {
      expect(decision).toMatchObject({ ok: false, reason: 'missing', missing: 'note' });
    } else {
      expect(decision).toEqual({ ok: true, to: EXPECTED[s.action].to });
    }
  });

  it.each(
    steps
      .filter((s) => !EXPECTED[s.action].reason && !EXPECTED[s.action].outcome)
      .map((s) => [s.action, s.status, s.side, s] as const),
  )('%s from %s by the %s needs nothing more', (_a, _s, _side, s) => {
    expect(decideReferralTransition(s.status, s.action, s.actor)).toEqual({
      ok: true,
      to: EXPECTED[s.action].to,
    });
  });

  it('checks the reason before the outcome and the note', () => {
    expect(decideReferralTransition('in-progress', 'fail', worker, {})).toMatchObject({ missing: 'reason' });
    expect(decideReferralTransition('in-progress', 'complete', worker, {})).toMatchObject({
      missing: 'outcome',
    });
  });
});
