import { createRequire } from 'node:module';
import { hash, verify } from '@node-rs/argon2';
import { PASSWORD_MIN_LENGTH } from '../../../domain/schemas/auth.ts';
import { type FieldError, invalid } from '../errors.ts';

// OWASP's argon2id baseline: 19 MiB, 2 passes, 1 lane.
const ARGON2 = {
  algorithm: 2 /* Algorithm.Argon2id (a const enum) */,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const;

let commonPasswords: Set<string> | undefined;

/** The ~49,000 most common passwords from zxcvbn-ts's bundled list, loaded on first use. */
function common(): Set<string> {
  if (!commonPasswords) {
    const require = createRequire(import.meta.url);
    const list = require('@zxcvbn-ts/language-common/src/passwords.json') as string[];
    commonPasswords = new Set(list.map((p) => p.toLowerCase()));
  }
  return commonPasswords;
}

/** Problems with a new password, as field errors (empty when it is acceptable). */
export function passwordProblems(password: string, field = 'password', email?: string): FieldError[] {
  if (password.length < PASSWORD_MIN_LENGTH) {
    return [{ field, message: `must be at least ${PASSWORD_MIN_LENGTH} characters` }];
  }
  const lower = password.toLowerCase();
  if (common().has(lower))
    return [{ field, message: 'is too common: it is on a list of passwords attackers try first' }];
  if (email && lower.includes(email.toLowerCase().split('@')[0]!) && email.split('@')[0]!.length >= 4) {
    return [{ field, message: 'must not contain your email name' }];
  }
  return [];
}

/** Throws a 400 with field errors when the password is not acceptable. */
export function assertAcceptablePassword(password: string, field = 'password', email?: string): void {
  const problems = passwordProblems(password, field, email);
  if (problems.length) throw invalid(problems, 'The password is not acceptable');
}

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2);

/** A hash of nothing anyone knows, verified when the account does not exist so timing reveals nothing. */
const DUMMY_HASH = hash('kith-timing-equaliser-not-a-password', ARGON2);

export async function verifyPassword(
  passwordHash: string | null | undefined,
  password: string,
): Promise<boolean> {
  if (!passwordHash) {
    await verify(await DUMMY_HASH, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
