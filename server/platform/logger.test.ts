import { describe, expect, it } from 'vitest';
import { loggedPath } from './logger.ts';

describe('logged request paths', () => {
  it('drop the query string, which can carry a patient name', () => {
    expect(loggedPath('/api/patients?q=Delgado')).toBe('/api/patients');
  });

  it('replace the token of a tablet hand-over link, in the API and in the page address', () => {
    expect(loggedPath('/api/fill/Abc-123_xyz')).toBe('/api/fill/:token');
    expect(loggedPath('/api/fill/Abc-123_xyz/submit')).toBe('/api/fill/:token/submit');
    expect(loggedPath('/fill/Abc-123_xyz?x=1')).toBe('/fill/:token');
    expect(loggedPath('/api/assessments/42/handoff')).toBe('/api/assessments/42/handoff');
  });

  it('replace the token of a referral link, in the API and in the page address', () => {
    const token = `${'A'.repeat(43)}.${'b-_9'.repeat(10)}xyz`;
    expect(loggedPath(`/referral-response/${token}`)).toBe('/referral-response/:token');
    expect(loggedPath(`/referral-response/${token}?utm=mail`)).toBe('/referral-response/:token');
    expect(loggedPath(`/api/referral-response/${token}`)).toBe('/api/referral-response/:token');
    expect(loggedPath(`/api/referral-response/${token}/transition`)).toBe(
      '/api/referral-response/:token/transition',
    );
    expect(loggedPath('/api/referrals/42/resend-link')).toBe('/api/referrals/42/resend-link');
    expect(loggedPath('/api/partner/referrals/42')).toBe('/api/partner/referrals/42');
  });
});
