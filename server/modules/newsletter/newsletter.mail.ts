import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';
import { CONFIRM_LINK_DAYS, PENDING_RETENTION_DAYS } from '../../../domain/newsletter.ts';
import type { Config } from '../../config.ts';
import type { OutgoingMail } from '../../platform/mail.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import { escapeHtml, siteBase } from '../site/layout.ts';
import { mintNewsletterToken, newsletterLinkKey } from './tokens.ts';

/*
 * Every mail the newsletter sends, as a text part and an HTML part. Mails to a subscriber (issues, the
 * "already subscribed" notice) carry the RFC 2369 / RFC 8058 headers, so that a mail client can offer its own
 * unsubscribe button and unsubscribe with one POST, and a footer with the preferences and unsubscribe links.
 * The confirmation mail goes to an address that is not subscribed (yet): it carries the confirmation link
 * only, and no List-Unsubscribe, since there is nothing to unsubscribe from and nothing more will be sent
 * unless the link is followed.
 */

export interface MailOrganization {
  id: string;
  slug: string;
  name: string;
}

export interface MailSubscriber {
  id: string;
  email: string;
  tokenVersion: number;
}

// Derived once per secret: every mail of an issue signs three links with it.
let cachedKey: { secret: string; key: Buffer } | null = null;
const linkKeyOf = (secret: string): Buffer => {
  if (cachedKey?.secret !== secret) cachedKey = { secret, key: newsletterLinkKey(secret) };
  return cachedKey.key;
};

/**
 * The addresses of a subscriber's signed links: absolute on PUBLIC_URL for mails (RFC 8058 wants https
 * there), or paths on this site for its own pages (`origin: ''`).
 */
export function newsletterUrls(
  config: Config,
  organizationSlug: string,
  subscriber: Pick<MailSubscriber, 'id' | 'tokenVersion'>,
  now = new Date(),
  origin = config.publicUrl,
) {
  const key = linkKeyOf(config.sessionSecret);
  const base = `${origin}${siteBase(organizationSlug)}/newsletter`;
  const token = (purpose: 'confirm' | 'preferences' | 'unsubscribe') =>
    mintNewsletterToken(
      key,
      { purpose, subscriberId: subscriber.id, tokenVersion: subscriber.tokenVersion },
      now,
    );
  return {
    confirm: () => `${base}/confirm?token=${token('confirm')}`,
    preferences: () => `${base}/preferences?token=${token('preferences')}`,
    unsubscribe: () => `${base}/unsubscribe?token=${token('unsubscribe')}`,
  };
}

// What an issue's HTML may hold (the same allow-list as server/platform/markdown.ts): it is sanitised again
// here, so that whatever a caller hands in, a mail never carries a script, a form or a tracking attribute.
const BODY_SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'a', 'img', 'em', 'strong'],
    ...['blockquote', 'code', 'pre', 'hr', 'br', 'table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ],
  allowedAttributes: { a: ['href', 'rel'], img: ['src', 'alt'], ol: ['start'] },
  allowedClasses: {},
  allowedStyles: {},
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  exclusiveFilter: (frame) => frame.tag === 'img' && !/^https?:\/\//i.test(frame.attribs.src ?? ''),
};

/**
 * An issue's markdown as the HTML of its email: images uploaded to the site and links to it made absolute on
 * `siteOrigin` (a mail is read elsewhere), the second-level headings kept under the subject.
 */
export const issueBodyHtml = (markdown: string, siteOrigin: string): string =>
  renderMarkdown(markdown, { siteOrigin });

/** Sanitised HTML of a mail's body (see BODY_SANITIZE). */
export const sanitizeMailHtml = (html: string): string => sanitizeHtml(html, BODY_SANITIZE);

const textOf = (html: string) =>
  convert(html, {
    wordwrap: 78,
    selectors: [
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
      { selector: 'img', format: 'skip' },
    ],
  });

function htmlDocument(title: string, bodyHtml: string, footerHtml: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body>
${bodyHtml}
${footerHtml ? `<hr>\n<footer>${footerHtml}</footer>` : ''}
</body>
</html>`;
}

/** The headers and footer every mail to a subscriber carries. */
function subscriberParts(config: Config, organization: MailOrganization, subscriber: MailSubscriber) {
  const urls = newsletterUrls(config, organization.slug, subscriber);
  const preferences = urls.preferences();
  const unsubscribe = urls.unsubscribe();
  const host = new URL(config.publicUrl).hostname;
  return {
    preferences,
    headers: {
      'List-Unsubscribe': `<${unsubscribe}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': `<${organization.slug}.newsletter.${host}>`,
    },
    footerText: [
      `You receive this because you subscribed to the newsletter of ${organization.name}.`,
      `Choose your lists: ${preferences}`,
      `Unsubscribe: ${unsubscribe}`,
    ].join('\n'),
    footerHtml: `<p>You receive this because you subscribed to the newsletter of ${escapeHtml(organization.name)}.</p>
<p><a href="${escapeHtml(preferences)}">Choose your lists</a> · <a href="${escapeHtml(unsubscribe)}">Unsubscribe</a></p>`,
  };
}

/** An issue's subject and body, sanitised and turned into text once for all its recipients. */
export interface PreparedIssueMail {
  subject: string;
  html: string;
  text: string;
}

export function prepareIssueMail(subject: string, bodyHtml: string): PreparedIssueMail {
  const html = sanitizeMailHtml(bodyHtml);
  return { subject, html, text: textOf(html) };
}

/**
 * A newsletter email to one subscriber: the subject, the (sanitised) HTML body and its text version, the
 * footer with the preferences and unsubscribe links, and List-Unsubscribe with one-click. Campaigns (issues)
 * send what this builds; the caller checks beforehand that the subscriber is active and not suppressed.
 */
export function newsletterEmail(
  config: Config,
  organization: MailOrganization,
  subscriber: MailSubscriber,
  issue: PreparedIssueMail,
): OutgoingMail {
  const parts = subscriberParts(config, organization, subscriber);
  return {
    organizationId: organization.id,
    to: subscriber.email,
    subject: issue.subject,
    text: `${issue.text}\n\n--\n${parts.footerText}\n`,
    html: htmlDocument(issue.subject, issue.html, parts.footerHtml),
    headers: parts.headers,
  };
}

/** `newsletterEmail` from raw HTML, for a single mail (a test, a preview). */
export const buildNewsletterEmail = (
  config: Config,
  organization: MailOrganization,
  subscriber: MailSubscriber,
  subject: string,
  bodyHtml: string,
): OutgoingMail => newsletterEmail(config, organization, subscriber, prepareIssueMail(subject, bodyHtml));

const listNames = (names: string[]) => (names.length ? names.join(', ') : 'the newsletter');

/** The double opt-in mail: what was asked for, the link to confirm it, and what happens if nobody does. */
export function confirmationEmail(
  config: Config,
  organization: MailOrganization,
  subscriber: MailSubscriber,
  lists: string[],
): OutgoingMail {
  const url = newsletterUrls(config, organization.slug, subscriber).confirm();
  const subject = `Confirm your subscription to the ${organization.name} newsletter`;
  const text = [
    `Someone, probably you, asked to receive the newsletter of ${organization.name} at this address: ${listNames(lists)}.`,
    '',
    'To confirm, open this link and press "Confirm my subscription":',
    url,
    '',
    `The link works for ${CONFIRM_LINK_DAYS} days. If you did not ask for this, ignore this email: nothing will be sent to you, and the address is forgotten after ${PENDING_RETENTION_DAYS} days.`,
  ].join('\n');
  const html = htmlDocument(
    subject,
    `<p>Someone, probably you, asked to receive the newsletter of ${escapeHtml(organization.name)} at this address: ${escapeHtml(listNames(lists))}.</p>
<p><a href="${escapeHtml(url)}">Confirm my subscription</a></p>
<p>The link works for ${CONFIRM_LINK_DAYS} days. If you did not ask for this, ignore this email: nothing will be sent to you, and the address is forgotten after ${PENDING_RETENTION_DAYS} days.</p>`,
    '',
  );
  return {
    organizationId: organization.id,
    to: subscriber.email,
    subject,
    text,
    html,
    headers: { 'Auto-Submitted': 'auto-generated' },
  };
}

/**
 * To an active subscriber whose address was signed up again: nothing changed; new lists are added only from
 * the preferences page (where they are ticked already), so that a stranger cannot change anyone's lists.
 */
export function alreadySubscribedEmail(
  config: Config,
  organization: MailOrganization,
  subscriber: MailSubscriber,
  current: string[],
  asked: string[],
): OutgoingMail {
  const parts = subscriberParts(config, organization, subscriber);
  const preferences = parts.preferences;
  const subject = `Your subscription to the ${organization.name} newsletter`;
  const added = asked.filter((name) => !current.includes(name));
  const lines = [
    `Someone, probably you, asked to subscribe this address to the newsletter of ${organization.name}. It is subscribed already, to: ${listNames(current)}.`,
    added.length
      ? `Nothing was changed. To add ${added.join(', ')}, open your preferences (they are ticked there, ready to save):`
      : 'Nothing was changed. To change your lists, open your preferences:',
  ];
  return {
    organizationId: organization.id,
    to: subscriber.email,
    subject,
    text: `${lines.join('\n\n')}\n${preferences}\n\n--\n${parts.footerText}\n`,
    html: htmlDocument(
      subject,
      `${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('\n')}
<p><a href="${escapeHtml(preferences)}">Open my preferences</a></p>`,
      parts.footerHtml,
    ),
    headers: { ...parts.headers, 'Auto-Submitted': 'auto-generated' },
  };
}
