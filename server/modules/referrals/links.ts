import { createHash, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';

/*
 * The partner link's token: 32 random bytes and an HMAC over them, the referral's id and the link's expiry,
 * both base64url, joined by a dot. Only the SHA-256 of the random part is stored (referral_links.token_hash):
 * a stolen database gives no live link. The signature binds the token to its one referral and expiry, so a
 * changed character, or a row edited to point elsewhere or to last longer, fails the check.
 */

const RANDOM_CHARS = 43;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{43})$/;

/** The signing key, derived from the session secret for this one purpose. */
export function linkKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'kith', 'referral-partner-links', 32));
}

const signature = (key: Buffer, random: string, referralId: string, expiresAt: Date) =>
  createHmac('sha256', key).update(`${random}|${referralId}|${expiresAt.toISOString()}`).digest('base64url');

export const hashLinkPart = (random: string) => createHash('sha256').update(random).digest('hex');

/** A new token for a referral and expiry, with the hash to store. */
export function mintLinkToken(key: Buffer, referralId: string, expiresAt: Date) {
  const random = randomBytes(32).toString('base64url');
  return {
    token: `${random}.${signature(key, random, referralId, expiresAt)}`,
    tokenHash: hashLinkPart(random),
  };
}

/** The hash to look a token up by, or null when it is not shaped like one of ours. */
export function lookupHashOf(token: string): string | null {
  const match = TOKEN_SHAPE.exec(token);
  return match ? hashLinkPart(match[1]!) : null;
}

/** Whether the token's signature holds for the referral and expiry its stored link names. */
export function signatureHolds(key: Buffer, token: string, referralId: string, expiresAt: Date): boolean {
  const match = TOKEN_SHAPE.exec(token);
  if (!match) return false;
  const expected = Buffer.from(signature(key, match[1]!, referralId, expiresAt));
  const given = Buffer.from(match[2]!);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export const TOKEN_LENGTH = RANDOM_CHARS * 2 + 1;
