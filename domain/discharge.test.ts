import { describe, expect, it } from 'vitest';
import {
  countAvoidableDays,
  emergentFromRecord,
  followUpWindow,
  type LaceStay,
  laceForStay,
  lengthOfStayDays,
  midnightsBetween,
} from './discharge.ts';

const NY = 'America/New_York';
/** A local wall-clock time in New York as a Date. */
const ny = (s: string) => {
  // Offsets of the dates used below: EST (-05:00) in winter, EDT (-04:00) in summer.
  const month = Number(s.slice(5, 7));
  const summer = month >= 4 && month <= 10;
  return new Date(`${s}${summer ? '-04:00' : '-05:00'}`);
};

describe('midnights in the hospital zone', () => {
  it('counts the local midnights in [from, to)', () => {
    expect(midnightsBetween(ny('2026-01-05T10:00:00'), ny('2026-01-07T09:00:00'), NY)).toEqual([
      '2026-01-06',
      '2026-01-07',
    ]);
    expect(midnightsBetween(ny('2026-01-05T10:00:00'), ny('2026-01-05T23:59:00'), NY)).toEqual([]);
  });

  it('counts a midnight the barrier started at, not one it ended at', () => {
    expect(midnightsBetween(ny('2026-01-05T00:00:00'), ny('2026-01-06T00:00:00'), NY)).toEqual([
      '2026-01-05',
    ]);
  });

  it('is midnight in the zone, not in UTC', () => {
    // 18:00 to 21:00 in New York crosses midnight UTC but not a local midnight.
    expect(midnightsBetween(ny('2026-01-05T18:00:00'), ny('2026-01-05T21:00:00'), NY)).toEqual([]);
    expect(midnightsBetween(ny('2026-01-05T18:00:00'), ny('2026-01-05T21:00:00'), 'UTC')).toEqual([
      '2026-01-06',
    ]);
  });

  it('handles the daylight-saving changes (23- and 25-hour days)', () => {
    expect(
      midnightsBetween(new Date('2026-03-07T12:00:00-05:00'), new Date('2026-03-10T12:00:00-04:00'), NY),
    ).toEqual(['2026-03-08', '2026-03-09', '2026-03-10']);
    expect(
      midnightsBetween(new Date('2026-10-31T12:00:00-04:00'), new Date('2026-11-03T12:00:00-05:00'), NY),
    ).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });
});

describe('avoidable days (midnight census)', () => {
  const until = ny('2026-01-20T12:00:00');
  const opts = { zone: NY, until };

  it('counts each barrier and the total', () => {
    const r = countAvoidableDays(
      [
        {
          code: 'awaiting-placement',
          startedAt: ny('2026-01-05T10:00:00'),
          endedAt: ny('2026-01-08T15:00:00'),
        },
      ],
      opts,
    );
    expect(r).toEqual({ perBarrier: [3], byCode: { 'awaiting-placement': 3 }, total: 3 });
  });

  it('counts overlapping barriers once in the total, each in full on its own', () => {
    const r = countAvoidableDays(
      [
        {
          code: 'awaiting-placement',
          startedAt: ny('2026-01-05T10:00:00'),
          endedAt: ny('2026-01-10T10:00:00'),
        },
        {
          code: 'insurance-authorization',
          startedAt: ny('2026-01-07T10:00:00'),
          endedAt: ny('2026-01-12T10:00:00'),
        },
      ],
      opts,
    );
    // Placement: midnights of the 6th..10th (5); insurance: 8th..12th (5); union 6th..12th (7).
    expect(r.perBarrier).toEqual([5, 5]);
    expect(r.total).toBe(7);
  });

  it('counts a barrier inside another once, and disjoint ones fully', () => {
    const inside = countAvoidableDays(
      [
        { code: 'guardianship', startedAt: ny('2026-01-02T09:00:00'), endedAt: ny('2026-01-12T09:00:00') },
        { code: 'transport', startedAt: ny('2026-01-04T09:00:00'), endedAt: ny('2026-01-05T09:00:00') },
      ],
      opts,
    );
    expect(inside.perBarrier).toEqual([10, 1]);
    expect(inside.total).toBe(10);
    const apart = countAvoidableDays(
      [
        { code: 'equipment', startedAt: ny('2026-01-02T09:00:00'), endedAt: ny('2026-01-04T09:00:00') },
        { code: 'transport', startedAt: ny('2026-01-10T09:00:00'), endedAt: ny('2026-01-11T09:00:00') },
      ],
      opts,
    );
    expect(apart.total).toBe(3);
  });

  it('counts two barriers of one code once per midnight under that code', () => {
    const r = countAvoidableDays(
      [
        { code: 'housing', startedAt: ny('2026-01-05T09:00:00'), endedAt: ny('2026-01-08T09:00:00') },
        { code: 'housing', startedAt: ny('2026-01-07T09:00:00'), endedAt: ny('2026-01-09T09:00:00') },
      ],
      opts,
    );
    expect(r.byCode).toEqual({ housing: 4 });
    expect(r.total).toBe(4);
  });

  it('counts open barriers up to `until` and clips to the stay', () => {
    const r = countAvoidableDays(
      [{ code: 'housing', startedAt: ny('2026-01-18T15:00:00'), endedAt: null }],
      opts,
    );
    expect(r.total).toBe(2); // midnights of the 19th and 20th
    const clipped = countAvoidableDays(
      [{ code: 'housing', startedAt: ny('2026-01-01T15:00:00'), endedAt: ny('2026-01-30T15:00:00') }],
      { zone: NY, until, admittedAt: ny('2026-01-15T08:00:00') },
    );
    expect(clipped.total).toBe(5); // 16th..20th
  });

  it('is zero for a barrier ended the same day, or none', () => {
    expect(
      countAvoidableDays(
        [{ code: 'transport', startedAt: ny('2026-01-05T09:00:00'), endedAt: ny('2026-01-05T17:00:00') }],
        opts,
      ).total,
    ).toBe(0);
    expect(countAvoidableDays([], opts)).toEqual({ perBarrier: [], byCode: {}, total: 0 });
  });
});

describe('length of stay and the follow-up window', () => {
  it('counts calendar days in the zone', () => {
    expect(lengthOfStayDays(ny('2026-01-05T23:00:00'), ny('2026-01-06T01:00:00'), NY)).toBe(1);
    expect(lengthOfStayDays(ny('2026-01-05T01:00:00'), ny('2026-01-05T23:00:00'), NY)).toBe(0);
    expect(lengthOfStayDays(ny('2026-01-05T01:00:00'), ny('2026-01-19T01:00:00'), NY)).toBe(14);
  });

  it('opens 48 hours and closes 72 hours after discharge', () => {
    const at = new Date('2026-01-05T15:00:00Z');
    expect(followUpWindow(at)).toEqual({
      opensAt: new Date('2026-01-07T15:00:00Z'),
      closesAt: new Date('2026-01-08T15:00:00Z'),
    });
  });
});

describe('LACE from the stay', () => {
  const admitted = ny('2026-01-05T10:00:00');
  const stay = (over: Partial<LaceStay> = {}): LaceStay => ({
    admittedAt: admitted,
    dischargedAt: null,
    now: admitted,
    zone: NY,
    admissionType: 'R',
    admitSource: '1',
    edVisitsInRecord: 0,
    ...over,
  });
  const afterDays = (n: number) => new Date(admitted.getTime() + n * 86_400_000);

  it('scores L at every band edge of the published table', () => {
    const table: [number, number][] = [
      [0, 0],
      [1, 1],
      [2, 2],
      [3, 3],
      [4, 4],
      [6, 4],
      [7, 5],
      [13, 5],
      [14, 7],
      [30, 7],
    ];
    for (const [days, points] of table) {
      const r = laceForStay(stay({ dischargedAt: afterDays(days) }), {});
      expect([days, r.l.points, r.l.value]).toEqual([days, points, days]);
    }
  });

  it('takes A from the admission type or the ER admit source, and an entry overrides it', () => {
    expect(laceForStay(stay({ admissionType: 'E' }), {}).a).toEqual({
      points: 3,
      value: true,
      source: 'record',
    });
    expect(laceForStay(stay({ admissionType: 'U' }), {}).a.points).toBe(3);
    expect(laceForStay(stay({ admissionType: 'T' }), {}).a.points).toBe(3);
    expect(laceForStay(stay({ admissionType: 'R', admitSource: '7' }), {}).a.points).toBe(3);
    expect(laceForStay(stay({ admissionType: 'C' }), {}).a).toEqual({
      points: 0,
      value: false,
      source: 'record',
    });
    expect(laceForStay(stay({ admissionType: null, admitSource: null }), {}).a.source).toBe('missing');
    expect(laceForStay(stay({ admissionType: 'E' }), { emergent: false }).a).toEqual({
      points: 0,
      value: false,
      source: 'entered',
    });
    expect(emergentFromRecord(null, null)).toBeNull();
  });

  it('scores C from the Charlson total at every edge (0-3 as counted, 4 or more: 5)', () => {
    const c = (comorbidities: Parameters<typeof laceForStay>[1]['comorbidities']) =>
      laceForStay(stay(), { comorbidities }).c;
    expect(c([])).toMatchObject({ points: 0, value: 0, source: 'entered' });
    expect(c(['myocardial-infarction'])).toMatchObject({ points: 1, value: 1 });
    expect(c(['congestive-heart-failure'])).toMatchObject({ points: 2, value: 2 });
    expect(c(['dementia'])).toMatchObject({ points: 3, value: 3 });
    expect(c(['aids'])).toMatchObject({ points: 5, value: 4 });
    expect(c(['metastatic-solid-tumour', 'dementia'])).toMatchObject({ points: 5, value: 9 });
    expect(laceForStay(stay(), {}).c.source).toBe('missing');
  });

  it('scores E from the record (0-3 as counted, 4 or more: 4), an entry overriding it', () => {
    for (const [visits, points] of [
      [0, 0],
      [1, 1],
      [3, 3],
      [4, 4],
      [9, 4],
    ] as const) {
      expect(laceForStay(stay({ edVisitsInRecord: visits }), {}).e).toEqual({
        points,
        value: visits,
        source: 'record',
      });
    }
    expect(laceForStay(stay({ edVisitsInRecord: 5 }), { edVisits: 1 }).e).toEqual({
      points: 1,
      value: 1,
      source: 'entered',
    });
  });

  it('bands the total at the edges: 0-4 low, 5-9 moderate, 10+ high', () => {
    // L 4 (4 days) + A 0 + C 0 + E 0 = 4: low; one ED visit more makes 5: moderate.
    expect(laceForStay(stay({ dischargedAt: afterDays(4) }), {})).toMatchObject({ total: 4, band: 'low' });
    expect(laceForStay(stay({ dischargedAt: afterDays(4), edVisitsInRecord: 1 }), {})).toMatchObject({
      total: 5,
      band: 'moderate',
    });
    // L 5 + A 3 + E 1 = 9 moderate; + C 1 = 10 high.
    const nine = stay({ dischargedAt: afterDays(7), admissionType: 'E', edVisitsInRecord: 1 });
    expect(laceForStay(nine, {})).toMatchObject({ total: 9, band: 'moderate' });
    expect(laceForStay(nine, { comorbidities: ['myocardial-infarction'] })).toMatchObject({
      total: 10,
      band: 'high',
    });
    // The maximum: 7 + 3 + 5 + 4 = 19.
    expect(
      laceForStay(stay({ dischargedAt: afterDays(20), admissionType: 'E', edVisitsInRecord: 6 }), {
        comorbidities: ['metastatic-solid-tumour'],
      }),
    ).toMatchObject({ total: 19, band: 'high', provisional: false });
  });

  it('is provisional while the patient is in, counting the stay to now', () => {
    const r = laceForStay(stay({ now: afterDays(3) }), {});
    expect(r).toMatchObject({ provisional: true, l: { points: 3, value: 3 } });
  });
});
