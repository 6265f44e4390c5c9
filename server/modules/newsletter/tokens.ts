import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import { CONFIRM_LINK_DAYS, MANAGE_LINK_DAYS } from '../../../domain/newsletter.ts';

/*
 * The signed links of newsletter mails: confirm an address, open its preferences, unsubscribe it. A token is
 * 25 bytes (the purpose, the subscriber's id, its token version, the expiry in seconds) and an HMAC-SHA-256
 * over them, both base64url, joined by a dot: nothing is stored, a changed character fails the signature,
 * and the subscriber's token version lets the server retire links already sent (services decide which).
 */

export const LINK_PURPOSES = ['confirm', 'preferences', 'unsubscribe'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

const PAYLOAD_BYTES = 1 + 16 + 4 + 4;
const TOKEN_SHAPE = /^([A-Za-z0-9_-]{34})\.([A-Za-z0-9_-]{43})$/;

/** How long each kind of link stays valid. */
export const LINK_DAYS: Record<LinkPurpose, number> = {
  confirm: CONFIRM_LINK_DAYS,
  preferences: MANAGE_LINK_DAYS,
  unsubscribe: MANAGE_LINK_DAYS,
};

/** The signing key, derived from the session secret for this one purpose. */
export function newsletterLinkKey(sessionSecret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionSecret, 'kith', 'newsletter-links', 32));
}

export interface LinkClaims {
  purpose: LinkPurpose;
  subscriberId: string;
  tokenVersion: number;
  expiresAt: Date;
}

const sign = (key: Buffer, payload: string) => createHmac('sha256', key).update(payload).digest('base64url');

/** A token for one subscriber and purpose, valid until `expiresAt` (default: the purpose's lifetime). */
export function mintNewsletterToken(
  key: Buffer,
  claims: Omit<LinkClaims, 'expiresAt'> & { expiresAt?: Date },
  now = new Date(),
): string {
  const expiresAt = claims.expiresAt ?? new Date(now.getTime() + LINK_DAYS[claims.purpose] * 86_400_000);
  const bytes = Buffer.alloc(PAYLOAD_BYTES);
  bytes.writeUInt8(LINK_PURPOSES.indexOf(claims.purpose), 0);
  Buffer.from(claims.subscriberId.replaceAll('-', ''), 'hex').copy(bytes, 1);
  bytes.writeUInt32BE(claims.tokenVersion, 17);
  bytes.writeUInt32BE(Math.floor(expiresAt.getTime() / 1000), 21);
  const payload = bytes.toString('base64url');
  return `${payload}.${sign(key, payload)}`;
}

export type TokenCheck =
  | { ok: true; claims: LinkClaims }
  /** Not one of ours, or altered: 403. */
  | { ok: false; reason: 'invalid' }
  /** Genuine but past its expiry: 410. */
  | { ok: false; reason: 'expired' };

/** Checks a token's shape, signature, purpose and expiry, in that order. */
export function checkNewsletterToken(
  key: Buffer,
  token: unknown,
  purpose: LinkPurpose,
  now = new Date(),
): TokenCheck {
  const match = typeof token === 'string' ? TOKEN_SHAPE.exec(token) : null;
  if (!match) return { ok: false, reason: 'invalid' };
  const [, payload, given] = match as unknown as [string, string, string];
  const expected = Buffer.from(sign(key, payload));
  if (!timingSafeEqual(Buffer.from(given), expected)) return { ok: false, reason: 'invalid' };
  const bytes = Buffer.from(payload, 'base64url');
  if (bytes.length !== PAYLOAD_BYTES || LINK_PURPOSES[bytes.readUInt8(0)] !== purpose) {
    return { ok: false, reason: 'invalid' };
  }
  const hex = bytes.subarray(1, 17).toString('hex');
  const claims: LinkClaims = {
    purpose,
    subscriberId: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    tokenVersion: bytes.readUInt32BE(17),
    expiresAt: new Date(bytes.readUInt32BE(21) * 1000),
  };
  if (claims.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}
