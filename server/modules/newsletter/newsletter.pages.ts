import { HONEYPOT_FIELD, NEWSLETTER_CONSENT_TEXT } from '../../../domain/newsletter.ts';
import { escapeHtml, renderPlainPage, renderSitePage, type SiteNavLink, siteBase } from '../site/layout.ts';
import { siteNavLinks } from '../site/site.pages.ts';
import type { PreferencesView } from './links.service.ts';

/*
 * The newsletter's own public pages (sign-up answer, confirm, preferences, unsubscribe), in the public site's
 * frame. Readable without JavaScript: every action is a plain form post. Values are escaped here.
 */

export interface PageOrganization {
  slug: string;
  name: string;
}

export interface FieldProblem {
  field: string;
  message: string;
}

/** The site's navigation (server/modules/site); these pages do not read which pages are unpublished. */
const siteNav = (slug: string): SiteNavLink[] => siteNavLinks(slug, () => true);

const page = (organization: PageOrganization, path: string, title: string, mainHtml: string) =>
  renderSitePage({
    organization,
    title,
    path,
    nav: siteNav(organization.slug),
    mainHtml,
  });

const newsletterPath = (slug: string, rest = '') => `${siteBase(slug)}/newsletter${rest}`;

/** After a sign-up through the form: the same page whatever the address's state. */
export function checkEmailPage(organization: PageOrganization): string {
  return page(
    organization,
    newsletterPath(organization.slug, '/subscribe'),
    'Check your email',
    `<h1>Check your email</h1>
<p>If this address can receive our newsletter, we have sent it an email. Open the link in it and press
<strong>Confirm my subscription</strong> to start receiving the lists you chose.</p>
<p>Nothing arrived? Look in your spam folder, or wait a few minutes. The link works for 7 days; if you do not
confirm, we forget the address.</p>
<p><a href="${siteBase(organization.slug)}/">Back to the home page</a></p>`,
  );
}

/** The sign-up form again, with what was typed and what is wrong (a form post that did not validate). */
export function signupProblemPage(
  organization: PageOrganization,
  lists: { slug: string; name: string }[],
  values: { email: string; lists: string[]; page: string },
  problems: FieldProblem[],
): string {
  const base = siteBase(organization.slug);
  const problemOf = (field: string) => problems.filter((p) => p.field === field).map((p) => p.message);
  const emailProblems = problemOf('email');
  const listProblems = problemOf('lists');
  const boxes = lists
    .map(
      (l, i) =>
        `<li><input type="checkbox" name="lists" value="${escapeHtml(l.slug)}" id="retry-list-${i}"${values.lists.includes(l.slug) ? ' checked' : ''}> <label for="retry-list-${i}">${escapeHtml(l.name)}</label></li>`,
    )
    .join('');
  const summary = problems
    .map(
      (p) =>
        `<li><a href="#retry-${p.field === 'lists' ? 'lists' : 'email'}">${escapeHtml(fieldLabel(p.field))}: ${escapeHtml(p.message)}</a></li>`,
    )
    .join('');
  return page(
    organization,
    newsletterPath(organization.slug, '/subscribe'),
    'Please correct the form',
    `<h1>Get our newsletter</h1>
<div class="problem" role="alert"><h2>Please correct the form</h2><ul>${summary}</ul></div>
<form method="post" action="${base}/newsletter/subscribe" novalidate>
<p><label for="retry-email">Email address</label>
${emailProblems.map((m) => `<span class="field-error" id="retry-email-error">${escapeHtml(m)}</span>`).join('')}
<input type="email" id="retry-email" name="email" autocomplete="email" required maxlength="254" value="${escapeHtml(values.email)}"${emailProblems.length ? ' aria-invalid="true" aria-describedby="retry-email-error"' : ''}></p>
<fieldset id="retry-lists"${listProblems.length ? ' aria-describedby="retry-lists-error"' : ''}><legend>Lists</legend>
${listProblems.map((m) => `<span class="field-error" id="retry-lists-error">${escapeHtml(m)}</span>`).join('')}
<ul class="plain">${boxes}</ul></fieldset>
<p class="hp" aria-hidden="true"><label for="retry-${HONEYPOT_FIELD}">Leave this empty</label>
<input type="text" id="retry-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></p>
<input type="hidden" name="page" value="${escapeHtml(values.page)}">
<p class="consent">${escapeHtml(NEWSLETTER_CONSENT_TEXT)}</p>
<p><button type="submit">Subscribe</button></p>
</form>`,
  );
}

const fieldLabel = (field: string) =>
  field === 'lists' ? 'Lists' : field === 'email' ? 'Email address' : field;

const listItems = (names: string[]) => `<ul>${names.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul>`;

/** The confirm link's page: what will be confirmed, and the button that does it (the GET changes nothing). */
export function confirmPage(organization: PageOrganization, token: string, lists: string[]): string {
  return page(
    organization,
    newsletterPath(organization.slug, '/confirm'),
    'Confirm your subscription',
    `<h1>Confirm your subscription</h1>
<p>You asked to receive the newsletter of ${escapeHtml(organization.name)}:</p>
${listItems(lists)}
<form method="post" action="${newsletterPath(organization.slug, '/confirm')}">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><button type="submit">Confirm my subscription</button></p>
</form>
<p>Did not ask for this? Close this page: nothing will be sent, and the address is forgotten in a few days.</p>`,
  );
}

/** After confirming (or opening a confirmation that was used already). */
export function confirmedPage(
  organization: PageOrganization,
  lists: string[],
  preferencesUrl: string,
  already: boolean,
): string {
  return page(
    organization,
    newsletterPath(organization.slug, '/confirm'),
    already ? 'Already confirmed' : 'You are subscribed',
    `<h1>${already ? 'Your subscription is already confirmed' : 'You are subscribed'}</h1>
<p>You will receive the newsletter of ${escapeHtml(organization.name)}:</p>
${listItems(lists)}
<p>Every email has a link to change your lists or unsubscribe. You can also <a href="${escapeHtml(preferencesUrl)}">choose your lists now</a>.</p>`,
  );
}

/** The preferences page: tick the lists to keep; none ticked (or the second button) unsubscribes. */
export function preferencesPage(
  organization: PageOrganization,
  token: string,
  view: PreferencesView,
  saved: boolean,
): string {
  const action = `${newsletterPath(organization.slug, '/preferences')}?token=${encodeURIComponent(token)}`;
  const asked = view.lists.some((l) => l.asked && !l.subscribed);
  const boxes = view.lists
    .map((l, i) => {
      const checked = l.subscribed || l.asked;
      const note = l.retired
        ? ' (no longer sent)'
        : l.asked && !l.subscribed
          ? ' (asked for, not yet saved)'
          : '';
      const description = l.description ? `<br><span class="hint">${escapeHtml(l.description)}</span>` : '';
      return `<li><input type="checkbox" name="lists" value="${escapeHtml(l.slug)}" id="pref-list-${i}"${checked ? ' checked' : ''}> <label for="pref-list-${i}">${escapeHtml(l.name)}${note}</label>${description}</li>`;
    })
    .join('');
  return page(
    organization,
    newsletterPath(organization.slug, '/preferences'),
    'Your newsletter preferences',
    `<h1>Your newsletter preferences</h1>
${saved ? '<p class="notice" role="status">Your lists are saved.</p>' : ''}
${asked ? '<p>The lists asked for at your last sign-up are ticked: press <strong>Save my lists</strong> to add them.</p>' : ''}
<form method="post" action="${escapeHtml(action)}">
<fieldset><legend>The lists you receive</legend><ul class="plain">${boxes}</ul></fieldset>
<p class="hint">Untick every list to stop receiving the newsletter.</p>
<p><button type="submit" name="action" value="save">Save my lists</button></p>
<p><button type="submit" name="action" value="unsubscribe">Unsubscribe from everything</button></p>
</form>`,
  );
}

/** The unsubscribe link's page: one button (the GET changes nothing; mail clients POST the same address). */
export function unsubscribePage(organization: PageOrganization, token: string): string {
  const action = `${newsletterPath(organization.slug, '/unsubscribe')}?token=${encodeURIComponent(token)}`;
  return page(
    organization,
    newsletterPath(organization.slug, '/unsubscribe'),
    'Unsubscribe',
    `<h1>Unsubscribe from our newsletter</h1>
<p>Press the button to stop receiving every list of the ${escapeHtml(organization.name)} newsletter. It takes effect at once.</p>
<form method="post" action="${escapeHtml(action)}">
<p><button type="submit">Unsubscribe</button></p>
</form>`,
  );
}

/** After unsubscribing (or opening the link of an address that is unsubscribed already). */
export function unsubscribedPage(
  organization: PageOrganization,
  lists: { slug: string; name: string }[],
): string {
  return renderSitePage({
    organization,
    title: 'You are unsubscribed',
    path: newsletterPath(organization.slug, '/unsubscribe'),
    nav: siteNav(organization.slug),
    mainHtml: `<h1>You are unsubscribed</h1>
<p>This address will receive no more newsletters from ${escapeHtml(organization.name)}. We keep only what is needed
to make sure of that.</p>
<p>Changed your mind? Sign up again below: you will be asked to confirm by email.</p>`,
    signup: { lists },
  });
}

/** A problem shown as a page: a link that does not work, too many requests, something that went wrong. */
export function problemPage(
  organization: PageOrganization | null,
  path: string,
  title: string,
  detail: string | undefined,
): string {
  const main = `<h1>${escapeHtml(title)}</h1>
${detail ? `<p>${escapeHtml(detail)}</p>` : ''}`;
  return organization ? page(organization, path, title, main) : renderPlainPage({ title, mainHtml: main });
}
