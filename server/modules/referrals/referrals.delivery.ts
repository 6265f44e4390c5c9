import { and, eq, isNull } from 'drizzle-orm';
import type { FastifyBaseLogger } from 'fastify';
import { PARTNER_LINK_DAYS } from '../../../domain/referrals.ts';
import type { Config } from '../../config.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { Mailer, OutgoingMail } from '../../platform/mail.ts';
import { notify } from '../../platform/notifications/notifications.service.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { directoryOrganizations, directoryPartnerMembers } from '../resources/resources.tables.ts';
import { linkKey, mintLinkToken } from './links.ts';
import { referralLinks } from './referrals.tables.ts';

/*
 * How a referral reaches its organisation: a signed link by email to its referral address, and, for an
 * organisation with partner accounts, a notification and its inbox. The email names the department and the
 * service only: what the patient agreed to share is behind the link.
 */

export interface Delivery {
  orgName: string;
  email: string | null;
  /** Active community partner accounts of the tenant that answer for the organisation. */
  partnerUserIds: string[];
}

/** Where a referral to a directory organisation goes. */
export async function deliveryOf(
  db: DbOrTx,
  organizationId: string,
  directoryOrganizationId: string,
): Promise<Delivery> {
  const [org] = await db
    .select({ name: directoryOrganizations.name, email: directoryOrganizations.referralEmail })
    .from(directoryOrganizations)
    .where(
      and(
        eq(directoryOrganizations.id, directoryOrganizationId),
        eq(directoryOrganizations.organizationId, organizationId),
      ),
    );
  const partners = await db
    .select({ id: users.id })
    .from(directoryPartnerMembers)
    .innerJoin(users, eq(users.id, directoryPartnerMembers.userId))
    .where(
      and(
        eq(directoryPartnerMembers.organizationId, organizationId),
        eq(directoryPartnerMembers.directoryOrganizationId, directoryOrganizationId),
        eq(users.role, 'community_partner'),
        isNull(users.disabledAt),
      ),
    );
  return {
    orgName: org?.name ?? '',
    email: org?.email?.trim() || null,
    partnerUserIds: partners.map((p) => p.id),
  };
}

export const canDeliver = (d: Delivery) => Boolean(d.email) || d.partnerUserIds.length > 0;

export interface ReferralToDeliver {
  id: string;
  organizationId: string;
  serviceName: string;
  directoryOrganizationId: string;
}

/**
 * Sends a referral on its way inside the caller's transaction: any live link is revoked, a new one is made
 * when the organisation has a referral email (the email itself is returned, to go out after the commit),
 * and its partner accounts are notified.
 */
export async function dispatchReferral(
  tx: DbOrTx,
  config: Config,
  referral: ReferralToDeliver,
  delivery: Delivery,
  now: Date,
): Promise<{ mail: OutgoingMail | null; linkId: string | null }> {
  await revokeLiveLinks(tx, referral.id, now);
  await notify(tx, {
    organizationId: referral.organizationId,
    userIds: delivery.partnerUserIds,
    kind: 'referral-received',
    title: `New referral for ${referral.serviceName}`,
    link: `/partner/referrals/${referral.id}`,
  });
  if (!delivery.email) return { mail: null, linkId: null };
  const expiresAt = new Date(now.getTime() + PARTNER_LINK_DAYS * 86_400_000);
  const { token, tokenHash } = mintLinkToken(linkKey(config.sessionSecret), referral.id, expiresAt);
  const [link] = await tx
    .insert(referralLinks)
    .values({
      organizationId: referral.organizationId,
      referralId: referral.id,
      tokenHash,
      sentTo: delivery.email,
      expiresAt,
      createdAt: now,
    })
    .returning({ id: referralLinks.id });
  const [department] = await tx
    .select({ name: organizations.name, timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, referral.organizationId));
  const mail = linkEmail(config, {
    organizationId: referral.organizationId,
    to: delivery.email,
    department: department!.name,
    timeZone: department!.timeZone,
    orgName: delivery.orgName,
    serviceName: referral.serviceName,
    url: `${config.publicUrl}/referral-response/${token}`,
    expiresAt,
  });
  return { mail, linkId: link!.id };
}

/** Revokes a referral's live links (a new one is going out, or the referral may no longer be answered so). */
export async function revokeLiveLinks(tx: DbOrTx, referralId: string, now: Date): Promise<number> {
  const revoked = await tx
    .update(referralLinks)
    .set({ revokedAt: now })
    .where(and(eq(referralLinks.referralId, referralId), isNull(referralLinks.revokedAt)))
    .returning({ id: referralLinks.id });
  return revoked.length;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

interface LinkEmail {
  organizationId: string;
  to: string;
  department: string;
  timeZone: string;
  orgName: string;
  serviceName: string;
  url: string;
  expiresAt: Date;
}

/** The email with the link: the department and the service, never the patient nor the need. */
export function linkEmail(config: Config, m: LinkEmail): OutgoingMail {
  const until = new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone: m.timeZone }).format(
    m.expiresAt,
  );
  const subject = `New referral from ${m.department}: ${m.serviceName}`;
  const text = [
    `Hello ${m.orgName},`,
    '',
    `${m.department} has sent you a referral for ${m.serviceName}.`,
    '',
    'Open this link to see what the patient agreed to share with you, to accept or decline the referral, and',
    'later to tell us how it went:',
    '',
    m.url,
    '',
    `The link works for this one referral until ${until}. Please do not forward it.`,
    `If this email reached you by mistake, ignore it and let ${m.department} know.`,
    '',
    `Sent by Kith for ${m.department} (${config.publicUrl})`,
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family: sans-serif; line-height: 1.5">
<p>Hello ${escapeHtml(m.orgName)},</p>
<p>${escapeHtml(m.department)} has sent you a referral for <strong>${escapeHtml(m.serviceName)}</strong>.</p>
<p>Open the referral to see what the patient agreed to share with you, to accept or decline it, and later to
tell us how it went:</p>
<p><a href="${escapeHtml(m.url)}">Open the referral</a></p>
<p>The link works for this one referral until ${escapeHtml(until)}. Please do not forward it. If this email
reached you by mistake, ignore it and let ${escapeHtml(m.department)} know.</p>
</body></html>`;
  return { organizationId: m.organizationId, to: m.to, subject, text, html };
}

/**
 * Hands the emails of committed referrals to the mailer. The outbox keeps each one (and says when SMTP
 * refused it), and a failure here never undoes a referral: the worker can send the link again.
 */
export async function sendLinkEmails(
  mailer: Mailer,
  log: Pick<FastifyBaseLogger, 'error'>,
  mails: readonly OutgoingMail[],
): Promise<void> {
  for (const mail of mails) {
    try {
      await mailer.send(mail);
    } catch (error) {
      log.error({ err: { type: (error as Error).name } }, 'could not keep a referral email in the outbox');
    }
  }
}
