import { HONEYPOT_FIELD, NEWSLETTER_CONSENT_TEXT } from '../../../domain/newsletter.ts';

/**
 * The public site's page frame (issue 7), rendered on the server: readable without JavaScript, one stylesheet
 * (`/site/assets/site.css`), a skip link, the department's name, the navigation, the page, and the newsletter
 * sign-up form on every page. Everything given as text is escaped here; `mainHtml` is trusted HTML (built
 * from escaped values or sanitised markdown by the caller).
 */

export const escapeHtml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export interface SiteNavLink {
  href: string;
  label: string;
}

export interface SitePageInput {
  organization: { slug: string; name: string };
  /** The page's own title (the <title> adds the department's name). */
  title: string;
  description?: string;
  /** The page's address, for the navigation's current link and the sign-up form's "page" field. */
  path: string;
  nav?: SiteNavLink[];
  mainHtml: string;
  /** The lists of the sign-up form; omit to leave the form out (the newsletter's own pages). */
  signup?: { lists: { slug: string; name: string }[] } | undefined;
  lang?: string;
}

/** The base address of an organisation's public site. */
export const siteBase = (organizationSlug: string): string => `/site/${encodeURIComponent(organizationSlug)}`;

export function signupFormHtml(
  organizationSlug: string,
  path: string,
  lists: { slug: string; name: string }[],
) {
  const base = siteBase(organizationSlug);
  const boxes = lists
    .map(
      (l, i) =>
        `<li><input type="checkbox" name="lists" value="${escapeHtml(l.slug)}" id="signup-list-${i}"${i === 0 ? ' checked' : ''}> <label for="signup-list-${i}">${escapeHtml(l.name)}</label></li>`,
    )
    .join('');
  return `<section class="signup" aria-labelledby="signup-title">
<h2 id="signup-title">Get our newsletter</h2>
<form method="post" action="${base}/newsletter/subscribe">
<p><label for="signup-email">Email address</label>
<input type="email" id="signup-email" name="email" autocomplete="email" required maxlength="254"></p>
${lists.length ? `<fieldset><legend>Lists</legend><ul class="plain">${boxes}</ul></fieldset>` : ''}
<p class="hp" aria-hidden="true"><label for="signup-${HONEYPOT_FIELD}">Leave this empty</label>
<input type="text" id="signup-${HONEYPOT_FIELD}" name="${HONEYPOT_FIELD}" tabindex="-1" autocomplete="off"></p>
<input type="hidden" name="page" value="${escapeHtml(path)}">
<p class="consent">${escapeHtml(NEWSLETTER_CONSENT_TEXT)}</p>
<p><button type="submit">Subscribe</button></p>
</form>
</section>`;
}

export function renderSitePage(page: SitePageInput): string {
  const base = siteBase(page.organization.slug);
  const nav = [{ href: `${base}/`, label: 'Home' }, ...(page.nav ?? [])]
    .map(
      (l) =>
        `<li><a href="${escapeHtml(l.href)}"${l.href === page.path ? ' aria-current="page"' : ''}>${escapeHtml(l.label)}</a></li>`,
    )
    .join('');
  const org = escapeHtml(page.organization.name);
  return `<!doctype html>
<html lang="${escapeHtml(page.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} · ${org}</title>
${page.description ? `<meta name="description" content="${escapeHtml(page.description)}">` : ''}
<link rel="stylesheet" href="/site/assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><p class="site-name"><a href="${base}/">${org}</a></p>
<nav aria-label="Site"><ul>${nav}</ul></nav></header>
<main id="main" tabindex="-1">
${page.mainHtml}
</main>
<footer class="site-footer">
${page.signup ? signupFormHtml(page.organization.slug, page.path, page.signup.lists) : ''}
<p>${org}</p>
</footer>
</body>
</html>`;
}

/**
 * A page outside any organisation's site (the list of sites at `/site`, an unknown organisation): the same
 * stylesheet and skip link, no navigation, no sign-up form.
 */
export function renderPlainPage(page: { title: string; mainHtml: string; lang?: string }): string {
  return `<!doctype html>
<html lang="${escapeHtml(page.lang ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)}</title>
<link rel="stylesheet" href="/site/assets/site.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><p class="site-name">Social work</p></header>
<main id="main" tabindex="-1">
${page.mainHtml}
</main>
</body>
</html>`;
}
