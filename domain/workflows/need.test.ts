import { describe, expect, it } from 'vitest';
import { allowedNeedActions, decideNeedTransition, isOpenNeed } from './need.ts';

describe('the need lifecycle', () => {
  it('moves an identified need to being-addressed only when the system links a referral or goal', () => {
    const identified = { status: 'identified' as const, activeLinks: 0 };
    expect(decideNeedTransition(identified, 'address', 'system')).toEqual({
      ok: true,
      to: 'being-addressed',
    });
    expect(decideNeedTransition(identified, 'address', 'social_worker')).toMatchObject({
      ok: false,
      reason: 'role',
    });
  });

  it('resolves an open need, and needs the patient reason to record a decline', () => {
    const addressed = { status: 'being-addressed' as const, activeLinks: 1 };
    expect(decideNeedTransition(addressed, 'resolve', 'social_worker')).toEqual({ ok: true, to: 'resolved' });
    expect(decideNeedTransition(addressed, 'decline', 'social_worker', { note: '  ' })).toMatchObject({
      ok: false,
      reason: 'missing',
      missing: 'note',
    });
    expect(decideNeedTransition(addressed, 'decline', 'supervisor', { note: 'Has family support' })).toEqual({
      ok: true,
      to: 'declined',
    });
  });

  it('reopens to being-addressed when a referral or goal is still linked, else to identified', () => {
    expect(decideNeedTransition({ status: 'resolved', activeLinks: 2 }, 'reopen', 'social_worker')).toEqual({
      ok: true,
      to: 'being-addressed',
    });
    expect(decideNeedTransition({ status: 'declined', activeLinks: 0 }, 'reopen', 'social_worker')).toEqual({
      ok: true,
      to: 'identified',
    });
  });

  it('refuses what the state does not allow, naming what is allowed, and keeps clinicians to reading', () => {
    const resolved = { status: 'resolved' as const, activeLinks: 0 };
    expect(decideNeedTransition(resolved, 'resolve', 'social_worker')).toEqual({
      ok: false,
      reason: 'not-allowed-now',
      allowed: ['reopen'],
    });
    expect(allowedNeedActions({ status: 'identified', activeLinks: 0 }, 'clinician')).toEqual([]);
    expect(allowedNeedActions({ status: 'identified', activeLinks: 0 }, 'social_worker')).toEqual([
      'resolve',
      'decline',
    ]);
  });

  it('counts identified and being-addressed as open', () => {
    expect(
      ['identified', 'being-addressed', 'resolved', 'declined'].map((s) => isOpenNeed(s as never)),
    ).toEqual([true, true, false, false]);
  });
});
