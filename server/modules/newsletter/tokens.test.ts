import { describe, expect, it } from 'vitest';
import { checkNewsletterToken, mintNewsletterToken, newsletterLinkKey } from './tokens.ts';

const key = newsletterLinkKey('test-session-secret-that-is-long-enough-0123456789');
const subscriberId = '01a22aff-e07a-74be-979c-bb9aeaa606f7';
const now = new Date('2026-03-01T12:00:00Z');

describe('newsletter link tokens', () => {
  it('carries the subscriber, purpose, version and expiry, and checks back to them', () => {
    const token = mintNewsletterToken(key, { purpose: 'unsubscribe', subscriberId, tokenVersion: 7 }, now);
    expect(token).toMatch(/^[A-Za-z0-9_-]{34}\.[A-Za-z0-9_-]{43}$/);
    const check = checkNewsletterToken(key, token, 'unsubscribe', now);
    expect(check).toEqual({
      ok: true,
      claims: {
        purpose: 'unsubscribe',
        subscriberId,
        tokenVersion: 7,
        expiresAt: new Date('2027-03-01T12:00:00Z'),
      },
    });
  });

  it('refuses a token changed in any character, used for another purpose, or signed with another key', () => {
    const token = mintNewsletterToken(key, { purpose: 'confirm', subscriberId, tokenVersion: 1 }, now);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const altered = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(checkNewsletterToken(key, altered, 'confirm', now)).toEqual({ ok: false, reason: 'invalid' });
    }
    expect(checkNewsletterToken(key, token, 'unsubscribe', now)).toEqual({ ok: false, reason: 'invalid' });
    const other = newsletterLinkKey('another-session-secret-that-is-long-enough-0123');
    expect(checkNewsletterToken(other, token, 'confirm', now)).toEqual({ ok: false, reason: 'invalid' });
    for (const junk of [undefined, '', 'abc', `${token}x`, 42]) {
      expect(checkNewsletterToken(key, junk, 'confirm', now)).toEqual({ ok: false, reason: 'invalid' });
    }
  });

  it('says a genuine token past its expiry is expired (7 days for confirmation links)', () => {
    const token = mintNewsletterToken(key, { purpose: 'confirm', subscriberId, tokenVersion: 1 }, now);
    const later = new Date(now.getTime() + 7 * 86_400_000 + 1000);
    expect(checkNewsletterToken(key, token, 'confirm', later)).toEqual({ ok: false, reason: 'expired' });
    const almost = new Date(now.getTime() + 7 * 86_400_000 - 1000);
    expect(checkNewsletterToken(key, token, 'confirm', almost).ok).toBe(true);
  });
});
