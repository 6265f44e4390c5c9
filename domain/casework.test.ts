import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  DEFAULT_CONSULT_TARGETS,
  describeTarget,
  firstContactDue,
  firstContactTiming,
} from './casework.ts';

const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);
const due = (
  requestedAt: string,
  urgency: 'emergent' | 'urgent' | 'routine',
  zone = NY,
  targets = DEFAULT_CONSULT_TARGETS,
) => firstContactDue(at(requestedAt), urgency, targets, zone).toISOString();

describe('first contact due time', () => {
  it('gives a routine consult of Friday afternoon until Monday at the same time', () => {
    // Friday 27 November 2026, 15:00 in New York (EST, UTC-5) → Monday 30 November, 15:00.
    expect(due('2026-11-27T20:00:00Z', 'routine')).toBe('2026-11-30T20:00:00.000Z');
  });

  it('gives a routine consult of Saturday until the end of Monday', () => {
    // Saturday 28 November, 10:00 → midnight ending Monday 30 November (Tuesday 00:00 EST).
    expect(due('2026-11-28T15:00:00Z', 'routine')).toBe('2026-12-01T05:00:00.000Z');
    // Sunday evening as well.
    expect(due('2026-11-29T23:00:00Z', 'routine')).toBe('2026-12-01T05:00:00.000Z');
  });

  it('gives a routine consult of a weekday until the next weekday', () => {
    // Tuesday 09:30 → Wednesday 09:30.
    expect(due('2026-11-24T14:30:00Z', 'routine')).toBe('2026-11-25T14:30:00.000Z');
  });

  it('counts emergent and urgent consults in minutes, weekends included', () => {
    expect(due('2026-11-28T15:00:00Z', 'emergent')).toBe('2026-11-28T16:00:00.000Z');
    expect(due('2026-11-28T15:00:00Z', 'urgent')).toBe('2026-11-28T19:00:00.000Z');
  });

  it("uses the organisation's own targets", () => {
    const targets = { emergentMinutes: 30, urgentMinutes: 120, routineBusinessDays: 2 };
    expect(due('2026-11-28T15:00:00Z', 'emergent', NY, targets)).toBe('2026-11-28T15:30:00.000Z');
    expect(due('2026-11-28T15:00:00Z', 'urgent', NY, targets)).toBe('2026-11-28T17:00:00.000Z');
    // Thursday 16:00 + 2 business days → Monday 16:00.
    expect(due('2026-11-26T21:00:00Z', 'routine', NY, targets)).toBe('2026-11-30T21:00:00.000Z');
  });

  it('reads "0 business days" as the end of the same business day', () => {
    const sameDay = { ...DEFAULT_CONSULT_TARGETS, routineBusinessDays: 0 };
    // Tuesday 09:30 → midnight ending Tuesday.
    expect(due('2026-11-24T14:30:00Z', 'routine', NY, sameDay)).toBe('2026-11-25T05:00:00.000Z');
    // Saturday → midnight ending Monday.
    expect(due('2026-11-28T15:00:00Z', 'routine', NY, sameDay)).toBe('2026-12-01T05:00:00.000Z');
  });

  it('keeps the local time across the spring DST change in New York', () => {
    // Friday 6 March 2026, 15:00 EST (UTC-5) → Monday 9 March, 15:00 EDT (UTC-4), after clocks went forward.
    expect(due('2026-03-06T20:00:00Z', 'routine')).toBe('2026-03-09T19:00:00.000Z');
  });

  it('keeps the local time across the autumn DST change in New York', () => {
    // Friday 30 October 2026, 15:00 EDT → Monday 2 November, 15:00 EST.
    expect(due('2026-10-30T19:00:00Z', 'routine')).toBe('2026-11-02T20:00:00.000Z');
  });

  it('decides weekday or weekend in the organisation’s zone, not the server’s', () => {
    // 03:30 UTC on Saturday is still Friday 22:30 in New York, but already Saturday 12:30 in Tokyo.
    expect(due('2026-11-28T03:30:00Z', 'routine', NY)).toBe('2026-12-01T03:30:00.000Z');
    expect(due('2026-11-28T03:30:00Z', 'routine', 'Asia/Tokyo')).toBe('2026-11-30T15:00:00.000Z');
  });

  it('adds business days over more than one weekend', () => {
    expect(addBusinessDays(at('2026-11-27T20:00:00Z'), 6, NY).toISOString()).toBe('2026-12-07T20:00:00.000Z');
  });
});

describe('first contact timing', () => {
  const requestedAt = at('2026-11-24T14:00:00Z');
  const firstContactDueAt = at('2026-11-24T18:00:00Z');
  const base = { requestedAt, firstContactDueAt, firstContactAt: null, closedAt: null };

  it('is pending before the due time and overdue after it', () => {
    expect(firstContactTiming(base, at('2026-11-24T17:59:00Z'))).toMatchObject({
      state: 'pending',
      overdue: false,
      minutesToFirstContact: null,
    });
    expect(firstContactTiming(base, at('2026-11-24T18:01:00Z'))).toMatchObject({
      state: 'overdue',
      overdue: true,
    });
  });

  it('is met on time, or late, with the minutes from request to contact', () => {
    const onTime = firstContactTiming(
      { ...base, firstContactAt: at('2026-11-24T15:30:00Z') },
      at('2026-11-25T00:00:00Z'),
    );
    expect(onTime).toMatchObject({ state: 'met', late: false, overdue: false, minutesToFirstContact: 90 });
    const late = firstContactTiming(
      { ...base, firstContactAt: at('2026-11-24T19:00:00Z') },
      at('2026-11-25T00:00:00Z'),
    );
    expect(late).toMatchObject({ state: 'late', late: true, overdue: false, minutesToFirstContact: 300 });
  });

  it('is no longer overdue once the case closed without contact', () => {
    const closed = firstContactTiming(
      { ...base, closedAt: at('2026-11-24T16:00:00Z') },
      at('2026-11-25T00:00:00Z'),
    );
    expect(closed).toMatchObject({ state: 'none', overdue: false });
  });
});

describe('targets in words', () => {
  it('describes the department defaults', () => {
    expect(describeTarget('emergent', DEFAULT_CONSULT_TARGETS)).toBe('1 hour');
    expect(describeTarget('urgent', DEFAULT_CONSULT_TARGETS)).toBe('4 hours');
    expect(describeTarget('routine', DEFAULT_CONSULT_TARGETS)).toBe('1 business day');
    expect(describeTarget('emergent', { ...DEFAULT_CONSULT_TARGETS, emergentMinutes: 45 })).toBe(
      '45 minutes',
    );
  });
});
