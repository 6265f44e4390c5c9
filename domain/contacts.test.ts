import { describe, expect, it } from 'vitest';
import { type ContactSharing, disclosureOf, disclosureText } from './contacts.ts';

const contact = (over: Partial<ContactSharing> = {}): ContactSharing => ({
  isLegalGuardian: false,
  isPersonalRepresentative: false,
  sharingAuthorized: true,
  sharingScope: 'care-and-discharge-planning',
  sharingExpiresOn: '2027-03-01',
  ...over,
});

describe('who may be told what', () => {
  it('is authorised through the last day of the authorisation, and expired the day after', () => {
    expect(disclosureOf(contact(), '2027-03-01')).toEqual({
      status: 'authorised',
      scope: 'care-and-discharge-planning',
      until: '2027-03-01',
    });
    expect(disclosureOf(contact(), '2027-03-02').status).toBe('expired');
  });

  it('is authorised without end when no expiry was given', () => {
    expect(disclosureOf(contact({ sharingExpiresOn: null }), '2099-01-01')).toMatchObject({
      status: 'authorised',
      until: null,
    });
  });

  it('is not authorised without permission, or with "nothing" as the scope', () => {
    expect(disclosureOf(contact({ sharingAuthorized: false }), '2027-01-01').status).toBe('not-authorised');
    expect(disclosureOf(contact({ sharingScope: 'none' }), '2027-01-01').status).toBe('not-authorised');
  });

  it('treats a legal guardian or health care agent as the patient, whatever the sharing says', () => {
    for (const over of [{ isLegalGuardian: true }, { isPersonalRepresentative: true }]) {
      expect(disclosureOf(contact({ ...over, sharingAuthorized: false }), '2030-01-01').status).toBe(
        'personal-representative',
      );
    }
  });

  it('says it in words for every screen', () => {
    const fmt = (d: string) => `<${d}>`;
    expect(disclosureText(disclosureOf(contact(), '2027-01-01'), fmt)).toBe(
      'May be told: care and discharge planning only, until <2027-03-01>',
    );
    expect(disclosureText(disclosureOf(contact(), '2028-01-01'), fmt)).toBe(
      'May be told: nothing (the authorisation ended <2027-03-01>)',
    );
    expect(disclosureText(disclosureOf(contact({ sharingAuthorized: false }), '2028-01-01'))).toBe(
      'May be told: nothing (no authorisation)',
    );
  });
});
