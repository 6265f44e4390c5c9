import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** A new base32 TOTP secret (160 bits). */
export const newTotpSecret = (): string => generateSecret();

/** What an authenticator app scans: the otpauth URI and a PNG data URL of its QR code. */
export async function totpProvisioning(secret: string, account: string, issuer: string) {
  const otpauthUri = generateURI({ issuer, label: account, secret });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUri, {
    errorCorrectionLevel: 'M',
    margin: 2,
    width: 240,
  });
  return { otpauthUri, qrCodeDataUrl };
}

/**
 * Checks a 6-digit code with one step of clock drift either way. Codes at or before `lastStep` are refused,
 * so a code seen over someone's shoulder cannot be used twice. Returns the step used, or null.
 */
export async function checkTotp(
  secret: string,
  code: string,
  lastStep: number | null,
): Promise<number | null> {
  if (!/^\d{6}$/.test(code)) return null;
  const result = await verify({
    secret,
    token: code,
    epochTolerance: 30,
    ...(lastStep !== null ? { afterTimeStep: lastStep } : {}),
  }).catch(() => ({ valid: false as const }));
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Ten single-use recovery codes like `k7m2p-x9qrt`, and their hashes for storage. */
export function newRecoveryCodes(count = 10): { codes: string[]; hashes: string[] } {
  const codes = Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = Array.from(bytes, (b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

/** Recovery codes are random enough that a plain SHA-256 is a safe way to keep them. */
export function hashRecoveryCode(code: string): string {
  return createHash('sha256')
    .update(
      code
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, ''),
    )
    .digest('hex');
}

export const looksLikeRecoveryCode = (code: string): boolean =>
  /^[a-z0-9]{5}-?[a-z0-9]{5}$/i.test(code.trim());

export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
