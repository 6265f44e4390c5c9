import { SITE_WELCOME, type SitePage } from '../../../domain/site.ts';
import { renderMarkdown } from '../../platform/markdown.ts';
import type { ArchivedIssue, ArchivedIssueWithBody } from '../newsletter/archive.service.ts';
import {
  escapeHtml,
  renderPlainPage,
  renderSitePage,
  type SiteNavLink,
  signupFormHtml,
  siteBase,
} from './layout.ts';
import type { SiteOrganization } from './site.service.ts';

/**
 * The public site's pages as HTML (issue 7): home, a service, how to ask for a social worker, contacts and
 * hours, the newsletter's archive and one issue, and "not found". Every value is escaped; page bodies are
 * markdown rendered and sanitised by server/platform/markdown.ts.
 */

/** What every page of an organisation's site is drawn with. */
export interface SiteContext {
  organization: SiteOrganization;
  /** The published pages, in position order. */
  pages: SitePage[];
  /** The newsletter lists of the sign-up form. */
  lists: { slug: string; name: string }[];
}

const e = escapeHtml;

/** The site's navigation (Home comes first from the layout); a page left unpublished drops out. */
function siteNav(ctx: SiteContext): SiteNavLink[] {
  return siteNavLinks(ctx.organization.slug, (slug) => ctx.pages.some((p) => p.slug === slug));
}

/**
 * The navigation's links for an organisation's site, given which pages are published (the newsletter's own
 * pages, which do not read the pages, pass `() => true`).
 */
export function siteNavLinks(organizationSlug: string, published: (slug: string) => boolean): SiteNavLink[] {
  const base = siteBase(organizationSlug);
  return [
    ...(published('request') ? [{ href: `${base}/request`, label: 'Ask for a social worker' }] : []),
    { href: `${base}/resources`, label: 'Find resources' },
    { href: `${base}/newsletter`, label: 'Newsletter' },
    ...(published('contact') ? [{ href: `${base}/contact`, label: 'Contacts and hours' }] : []),
  ];
}

/** A page of the organisation's site, with the sign-up form in the footer unless the page holds its own. */
export function sitePage(
  ctx: SiteContext,
  page: { title: string; description?: string; path: string; mainHtml: string; signupInMain?: boolean },
): string {
  return renderSitePage({
    organization: ctx.organization,
    title: page.title,
    ...(page.description ? { description: page.description } : {}),
    path: page.path,
    nav: siteNav(ctx),
    mainHtml: page.mainHtml,
    signup: page.signupInMain ? undefined : { lists: ctx.lists },
  });
}

/** "Home › Title", the last one the current page. */
function breadcrumb(ctx: SiteContext, title: string): string {
  const base = siteBase(ctx.organization.slug);
  return `<nav class="breadcrumb" aria-label="Breadcrumb"><ol>
<li><a href="${base}/">Home</a></li>
<li><span aria-current="page">${e(title)}</span></li>
</ol></nav>`;
}

const pageBody = (page: SitePage) =>
  `<div class="prose">${renderMarkdown(page.bodyMarkdown, { topHeadingLevel: 2, siteOrigin: '' })}</div>`;

/** Links to what a visitor does next, where those pages are published. */
function nextSteps(ctx: SiteContext, except: string): string {
  const base = siteBase(ctx.organization.slug);
  const links = [
    { slug: 'request', href: `${base}/request`, label: 'How to ask for a social worker' },
    { slug: 'contact', href: `${base}/contact`, label: 'Contacts and hours' },
  ].filter((l) => l.slug !== except && ctx.pages.some((p) => p.slug === l.slug));
  if (!links.length) return '';
  return `<aside class="next" aria-labelledby="next-title"><h2 id="next-title">Next steps</h2><ul>${links
    .map((l) => `<li><a href="${l.href}">${e(l.label)}</a></li>`)
    .join('')}</ul></aside>`;
}

export function homePage(ctx: SiteContext): string {
  const base = siteBase(ctx.organization.slug);
  const services = ctx.pages.filter((p) => p.kind === 'service');
  const has = (slug: string) => ctx.pages.some((p) => p.slug === slug);
  const cards = services
    .map(
      (p) => `<li class="card"><h3><a href="${base}/services/${e(p.slug)}">${e(p.title)}</a></h3>
<p>${e(p.summary)}</p></li>`,
    )
    .join('\n');
  const help = [
    has('request') && `<li><a class="button" href="${base}/request">Ask for a social worker</a></li>`,
    has('contact') && `<li><a class="button secondary" href="${base}/contact">Contacts and hours</a></li>`,
    `<li><a class="button secondary" href="${base}/resources">Find community resources</a></li>`,
  ].filter(Boolean);
  return sitePage(ctx, {
    title: 'Social work for patients and families',
    description: SITE_WELCOME,
    path: `${base}/`,
    mainHtml: `<h1>Social work for patients and families</h1>
<p class="lead">${e(SITE_WELCOME)}</p>
<ul class="actions">${help.join('')}</ul>
${
  services.length
    ? `<section aria-labelledby="services-title"><h2 id="services-title">Our services</h2>
<ul class="cards">
${cards}
</ul></section>`
    : ''
}`,
  });
}

/** A service, `request` or `contact`: its title, summary and body. */
export function contentPage(ctx: SiteContext, page: SitePage, path: string): string {
  return sitePage(ctx, {
    title: page.title,
    description: page.summary,
    path,
    mainHtml: `${page.kind === 'service' ? breadcrumb(ctx, page.title) : ''}
<h1>${e(page.title)}</h1>
${page.summary ? `<p class="lead">${e(page.summary)}</p>` : ''}
${pageBody(page)}
${nextSteps(ctx, page.slug)}`,
  });
}

const longDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { dateStyle: 'long', timeZone }).format(at);

export function newsletterPage(ctx: SiteContext, issues: ArchivedIssue[]): string {
  const base = siteBase(ctx.organization.slug);
  const zone = ctx.organization.timeZone;
  const list = issues.length
    ? `<ul class="issues">${issues
        .map(
          (i) =>
            `<li><a href="${base}/newsletter/issues/${e(i.id)}">${e(i.subject)}</a> <span class="meta"><time datetime="${i.sentAt.toISOString()}">${e(longDate(i.sentAt, zone))}</time></span></li>`,
        )
        .join('')}</ul>`
    : '<p>No issues have been sent yet. Sign up below to get the first one.</p>';
  return sitePage(ctx, {
    title: 'Newsletter',
    description: 'News from the social work department, and how to sign up.',
    path: `${base}/newsletter`,
    signupInMain: true,
    mainHtml: `<h1>Newsletter</h1>
<p class="lead">News from our department for patients, caregivers and community partners: support groups, events, and services you can use. Choose the lists you want; you can change them or unsubscribe from any email.</p>
<section aria-labelledby="issues-title"><h2 id="issues-title">Past issues</h2>
${list}
</section>
${signupFormHtml(ctx.organization.slug, `${base}/newsletter`, ctx.lists)}`,
  });
}

export function issuePage(ctx: SiteContext, issue: ArchivedIssueWithBody): string {
  const base = siteBase(ctx.organization.slug);
  return sitePage(ctx, {
    title: issue.subject,
    path: `${base}/newsletter/issues/${issue.id}`,
    mainHtml: `<nav class="breadcrumb" aria-label="Breadcrumb"><ol>
<li><a href="${base}/">Home</a></li>
<li><a href="${base}/newsletter">Newsletter</a></li>
<li><span aria-current="page">${e(issue.subject)}</span></li>
</ol></nav>
<article>
<h1>${e(issue.subject)}</h1>
<p class="meta">Sent <time datetime="${issue.sentAt.toISOString()}">${e(longDate(issue.sentAt, ctx.organization.timeZone))}</time></p>
<div class="prose">${renderMarkdown(issue.bodyMarkdown, { topHeadingLevel: 2, siteOrigin: '' })}</div>
</article>
<p><a href="${base}/newsletter">All issues</a></p>`,
  });
}

/** 404 inside a known organisation's site: its navigation, and a way home. */
export function notFoundPage(ctx: SiteContext, path: string): string {
  const base = siteBase(ctx.organization.slug);
  return sitePage(ctx, {
    title: 'Page not found',
    path,
    mainHtml: `<h1>Page not found</h1>
<p>There is no page at this address. It may have moved, or the link may be wrong.</p>
<p><a href="${base}/">Go to the home page</a></p>`,
  });
}

/** 404 for an address that names no organisation. */
export function unknownSitePage(): string {
  return renderPlainPage({
    title: 'Page not found',
    mainHtml: `<h1>Page not found</h1>
<p>There is no page at this address. <a href="/site">See the departments' sites</a>.</p>`,
  });
}

/** `/site` with several organisations (or none): a plain list of their sites. */
export function siteListPage(orgs: readonly SiteOrganization[]): string {
  return renderPlainPage({
    title: 'Social work departments',
    mainHtml: `<h1>Social work departments</h1>
${
  orgs.length
    ? `<ul>${orgs.map((o) => `<li><a href="${siteBase(o.slug)}/">${e(o.name)}</a></li>`).join('')}</ul>`
    : '<p>No department has a public site yet.</p>'
}`,
  });
}

/** A public page that failed: too many requests (429), a bad request, or our own failure (500). */
export function errorPage(status: number): string {
  const [title, text] =
    status === 429
      ? ['Too many searches', 'Please wait a minute, then try again.']
      : status < 500
        ? ['This address could not be read', 'Check the address, or go back and try again.']
        : ['Something went wrong', 'The page could not be shown. Please try again in a few minutes.'];
  return renderPlainPage({
    title,
    mainHtml: `<h1>${e(title)}</h1>
<p>${e(text)}</p>
<p><a href="/site">Go to the home page</a></p>`,
  });
}
