import { asc, eq } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { SIGNUP_RATE_PER_MINUTE } from '../../../domain/newsletter.ts';
import type { DbOrTx } from '../../db/client.ts';
import { invalid } from '../../platform/errors.ts';
import type { Mailer, OutgoingMail } from '../../platform/mail.ts';
import { organizations } from '../../platform/platform.tables.ts';

/* What the newsletter's API and its public pages share: the organisation of a request, limits, mail. */

/** Sign-ups per IP address (the API and the form each); per address, the service allows 3 mails a day. */
export const SIGNUP_RATE_LIMIT = { max: SIGNUP_RATE_PER_MINUTE, timeWindow: '1 minute' };

export interface SiteOrganization {
  id: string;
  slug: string;
  name: string;
}

/** The organisation of a public page or sign-up, by its slug. */
export async function organizationBySlug(db: DbOrTx, slug: string): Promise<SiteOrganization | null> {
  const [org] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.slug, slug));
  return org ?? null;
}

/** The organisation a sign-up names, or the only one when it names none (422 otherwise). */
export async function signupOrganization(db: DbOrTx, slug: string | undefined): Promise<SiteOrganization> {
  if (slug) {
    const org = await organizationBySlug(db, slug);
    if (!org) throw invalid([{ field: 'organization', message: 'no organisation has this name' }]);
    return org;
  }
  const orgs = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .orderBy(asc(organizations.slug))
    .limit(2);
  if (orgs.length !== 1) {
    throw invalid([{ field: 'organization', message: 'is required: this server has several organisations' }]);
  }
  return orgs[0]!;
}

let honeypotCount = 0;
/** A bot filled the hidden field: answered as usual, nothing done, a count logged (never the address). */
export function noteHoneypot(log: FastifyBaseLogger): void {
  honeypotCount += 1;
  log.info({ honeypotSignups: honeypotCount }, 'newsletter sign-up caught by the honeypot');
}

/**
 * Sends a sign-up's mail after the commit without waiting for SMTP, so that the answer takes as long whether
 * or not a mail goes out (the outbox keeps every message and says when SMTP refused it).
 */
export function sendInBackground(mailer: Mailer, log: FastifyBaseLogger, mail: OutgoingMail | null): void {
  if (!mail) return;
  mailer.send(mail).then(
    (sent) => {
      if (sent.status === 'failed') log.warn({ mailId: sent.id }, 'newsletter mail not delivered');
    },
    (error: unknown) => {
      log.error(
        { err: { type: error instanceof Error ? error.name : 'unknown' } },
        'newsletter mail not kept',
      );
    },
  );
}
