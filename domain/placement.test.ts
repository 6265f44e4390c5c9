import { describe, expect, it } from 'vitest';
import type { PatientFacts } from './eligibility/rules.ts';
import {
  buildChoiceList,
  checkChoices,
  type PlacementCandidate,
  placementStatus,
  ratingText,
} from './placement.ts';

const BOSTON = { latitude: 42.3383, longitude: -71.0719 };

const candidate = (over: Partial<PlacementCandidate> & { serviceId: string }): PlacementCandidate => ({
  name: over.serviceId,
  organizationName: 'Org',
  directoryOrganizationId: 'org',
  status: 'active',
  capabilities: [],
  eligibility: {},
  financialInterest: null,
  places: [{ point: BOSTON, address: '1 Main St', phone: '617-555-0000' }],
  phone: null,
  ratings: [],
  ...over,
});

const facts: PatientFacts = {
  age: 80,
  payerTypes: ['medicare'],
  householdSize: null,
  householdIncome: null,
  postalCode: '02118',
  state: 'MA',
};
const base = { origin: BOSTON, radiusMiles: 10, needs: [], facts, year: 2025 };

describe('buildChoiceList', () => {
  it('orders by distance to the nearest location, unmeasured last, then by name', () => {
    const { entries } = buildChoiceList(
      [
        candidate({
          serviceId: 'b',
          places: [{ point: { latitude: 42.36, longitude: -71.06 }, address: null, phone: null }],
        }),
        candidate({
          serviceId: 'a',
          places: [
            { point: { latitude: 42.4, longitude: -71.2 }, address: 'far', phone: null },
            { point: { latitude: 42.339, longitude: -71.072 }, address: 'near', phone: '1' },
          ],
        }),
        candidate({ serviceId: 'c', places: [{ point: null, address: null, phone: null }] }),
      ],
      { ...base, radiusMiles: null },
    );
    expect(entries.map((e) => e.serviceId)).toEqual(['a', 'b', 'c']);
    expect(entries[0]).toMatchObject({ address: 'near', phone: '1', distanceMiles: 0 });
    expect(entries[2]!.distanceMiles).toBeNull();
  });

  it('leaves off inactive providers, those beyond the radius or unmeasurable with a radius, those lacking a need, and those the coverage rules out', () => {
    const { entries, excluded } = buildChoiceList(
      [
        candidate({ serviceId: 'ok', capabilities: ['dialysis', 'wound-care'] }),
        candidate({ serviceId: 'closed', status: 'defunct', capabilities: ['dialysis'] }),
        candidate({
          serviceId: 'far',
          capabilities: ['dialysis'],
          places: [{ point: { latitude: 42.26, longitude: -71.8 }, address: null, phone: null }],
        }),
        candidate({ serviceId: 'nowhere', capabilities: ['dialysis'], places: [] }),
        candidate({ serviceId: 'no-dialysis', capabilities: ['wound-care'] }),
        candidate({
          serviceId: 'medicaid',
          capabilities: ['dialysis'],
          eligibility: { payers: ['medicaid'] },
        }),
        candidate({ serviceId: 'unknown-age', capabilities: ['dialysis'], eligibility: { minAge: 65 } }),
      ],
      { ...base, needs: ['dialysis'], facts: { ...facts, age: null } },
    );
    expect(entries.map((e) => e.serviceId)).toEqual(['ok', 'unknown-age']);
    expect(entries[1]!.coverage.verdict).toBe('possibly');
    expect(excluded).toEqual({ inactive: 1, 'too-far': 2, needs: 1, 'not-eligible': 1 });
  });

  it('keeps the radius edge inclusive and rounds distances to one decimal', () => {
    const point = { latitude: 42.3383 + 10 / 69.09, longitude: -71.0719 };
    const { entries } = buildChoiceList(
      [candidate({ serviceId: 'edge', places: [{ point, address: null, phone: null }] })],
      {
        ...base,
        radiusMiles: 10.01,
      },
    );
    expect(entries[0]!.distanceMiles).toBe(10);
  });

  it('sorts ratings overall first, then the Care Compare measures', () => {
    const r = (measure: string) => ({
      measure,
      value: '3',
      scale: 'stars-1-5',
      source: 'CMS',
      asOf: '2025-01-01',
    });
    const { entries } = buildChoiceList(
      [candidate({ serviceId: 'x', ratings: [r('staffing'), r('overall'), r('health-inspections')] })],
      base,
    );
    expect(entries[0]!.ratings.map((x) => x.measure)).toEqual(['overall', 'health-inspections', 'staffing']);
    expect(ratingText(r('overall'))).toBe('3 of 5 stars');
  });
});

describe('checkChoices', () => {
  const offered = [{ serviceId: 'a' }, { serviceId: 'b' }];
  it('accepts ordered choices on the list with a chooser, or a declination with none', () => {
    expect(
      checkChoices({ choices: ['b', 'a'], declinedToChoose: false, chosenBy: 'patient' }, offered),
    ).toEqual([]);
    expect(checkChoices({ choices: [], declinedToChoose: true }, offered)).toEqual([]);
  });
  it('refuses choices off the list, twice, none without declining, some while declining, no chooser', () => {
    expect(
      checkChoices({ choices: ['z', 'a', 'a'], declinedToChoose: false, chosenBy: 'family' }, offered),
    ).toEqual([
      { field: 'choices.0', message: 'is not on this choice list' },
      { field: 'choices.2', message: 'is chosen twice' },
    ]);
    expect(checkChoices({ choices: [], declinedToChoose: false, chosenBy: 'patient' }, offered)).toHaveLength(
      1,
    );
    expect(checkChoices({ choices: ['a'], declinedToChoose: true }, offered)).toHaveLength(1);
    expect(checkChoices({ choices: ['a'], declinedToChoose: false }, offered)).toEqual([
      { field: 'chosenBy', message: 'is required: say who chose' },
    ]);
  });
});

describe('placementStatus', () => {
  it('goes from none to list given, referred, bed offered, confirmed', () => {
    expect(placementStatus([])).toBe('none');
    expect(placementStatus([{ confirmedReferralId: null, referralStatuses: [] }])).toBe('list-given');
    expect(
      placementStatus([{ confirmedReferralId: null, referralStatuses: ['requested', 'rejected'] }]),
    ).toBe('referred');
    expect(placementStatus([{ confirmedReferralId: null, referralStatuses: ['received', 'accepted'] }])).toBe(
      'accepted',
    );
    expect(placementStatus([{ confirmedReferralId: 'r', referralStatuses: ['accepted', 'cancelled'] }])).toBe(
      'confirmed',
    );
  });
});
