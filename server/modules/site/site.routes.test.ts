import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_PAGES, SERVICE_PAGE_SLUGS } from '../../../domain/site.ts';
import { testEngine } from '../../test/database.ts';
import { buildOrganization, startTestApp, type TestContext } from '../../test/harness.ts';
import { newsletterIssues } from '../newsletter/newsletter.tables.ts';
import { sitePages } from './site.tables.ts';

// The public site as a member of the public reads it: no sign-in, no JavaScript, only HTML.

let t: TestContext;
let org: Awaited<ReturnType<typeof buildOrganization>>;
let base: string;

/** A GET as an anonymous visitor. */
const visit = (url: string) => t.app.inject({ method: 'GET', url });
/** The page's text without tags, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/\s+/g, ' ');
/** The first paragraph of a page's default text, as it reads on the page. */
const firstSentence = (markdown: string) =>
  markdown
    .split('\n')[0]!
    .replace(/\*\*/g, '')
    .replace(/^[#>\- ]+/, '')
    .split('. ')[0]!;

beforeAll(async () => {
  t = await startTestApp();
  org = await buildOrganization(t, { slug: 'riverside', name: 'Riverside Social Work' });
  base = `/site/${org.slug}`;
});
afterAll(async () => {
  await t.close();
});

describe(`the public pages without signing in (${testEngine})`, () => {
  it('redirects /site to the only organisation’s site', async () => {
    const res = await visit('/site');
    expect(res.statusCode).toBe(302);
    expect(res.headers.location).toBe(`${base}/`);
    expect((await visit(base)).headers.location).toBe(`${base}/`);
  });

  it('renders the home page with a card per service, links to ask and to contact, and the sign-up form', async () => {
    const res = await visit(`${base}/`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=60');
    expect(res.headers['set-cookie']).toBeUndefined();
    // No script may run on a public page.
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).not.toContain('script-src');
    expect(res.body).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(res.body).toContain('<a href="/site/riverside/" aria-current="page">Home</a>');
    for (const slug of SERVICE_PAGE_SLUGS) {
      expect(res.body).toContain(`href="${base}/services/${slug}"`);
      expect(textOf(res.body)).toContain(DEFAULT_SITE_PAGES[slug].summary);
    }
    expect(res.body).toContain(`href="${base}/request"`);
    expect(res.body).toContain(`href="${base}/contact"`);
    // The sign-up form posts to the newsletter, with the default lists, and no script anywhere.
    expect(res.body).toContain(`action="${base}/newsletter/subscribe"`);
    expect(res.body).toContain('value="caregivers"');
    expect(res.body).not.toContain('<script');
  });

  it.each([
    ...SERVICE_PAGE_SLUGS.map((slug) => [`/services/${slug}`, slug] as const),
    ['/request', 'request'] as const,
    ['/contact', 'contact'] as const,
  ])('renders %s with its default text', async (path, slug) => {
    const res = await visit(`${base}${path}`);
    expect(res.statusCode, res.body).toBe(200);
    const page = DEFAULT_SITE_PAGES[slug];
    expect(res.body).toContain(`<h1>${page.title}</h1>`);
    expect(textOf(res.body)).toContain(firstSentence(page.bodyMarkdown));
    expect(res.headers['cache-control']).toBe('public, max-age=60');
  });

  it('marks the current page in the navigation', async () => {
    const res = await visit(`${base}/request`);
    expect(res.body).toContain(`<a href="${base}/request" aria-current="page">Ask for a social worker</a>`);
    const service = await visit(`${base}/services/counseling`);
    expect(service.body).toContain('<span aria-current="page">Counseling and emotional support</span>');
  });

  it('serves the one stylesheet', async () => {
    const res = await visit('/site/assets/site.css');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(res.body).toContain('.skip');
  });

  it('answers an HTML 404 for an unknown organisation, page or service', async () => {
    for (const url of [
      '/site/nowhere/',
      '/site/nowhere/contact',
      `${base}/services/unknown`,
      `${base}/services/request`,
      `${base}/no/such/page`,
      `${base}/newsletter/issues/not-an-id`,
      `${base}/newsletter/issues/00000000-0000-7000-8000-000000000000`,
    ]) {
      const res = await visit(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toBe('text/html; charset=utf-8');
      expect(res.body, url).toContain('<h1>Page not found</h1>');
    }
    // Inside a known site, the 404 keeps its navigation.
    expect((await visit(`${base}/no/such/page`)).body).toContain(`href="${base}/contact"`);
  });

  it('shows what an admin saved over the default, and hides an unpublished page', async () => {
    await t.database.db.insert(sitePages).values([
      {
        organizationId: org.id,
        slug: 'counseling',
        title: 'Talking it through',
        summary: 'Someone to talk to.',
        bodyMarkdown: 'Call us on [555 0100](tel:5550100). <script>alert(1)</script>',
        position: 5,
      },
      {
        organizationId: org.id,
        slug: 'crisis-intervention',
        title: 'Crisis intervention',
        summary: 'Hidden for now.',
        bodyMarkdown: '',
        position: 50,
        published: false,
      },
      {
        organizationId: org.id,
        slug: 'contact',
        title: 'Contacts and hours',
        summary: '',
        bodyMarkdown: 'Call 555 0100.',
        position: 100,
        published: false,
      },
    ]);
    const page = await visit(`${base}/services/counseling`);
    expect(page.body).toContain('<h1>Talking it through</h1>');
    expect(page.body).toContain('<a href="tel:5550100">555 0100</a>');
    expect(page.body).not.toContain('<script>');
    expect(page.body).toContain('&lt;script&gt;');

    const home = await visit(`${base}/`);
    expect(home.body).toContain('Talking it through');
    // The saved position puts it first.
    expect(home.body.indexOf('Talking it through')).toBeLessThan(
      home.body.indexOf('Psychosocial assessment'),
    );
    expect(home.body).not.toContain(`${base}/services/crisis-intervention`);
    expect(home.body).not.toContain(`href="${base}/contact"`);
    expect((await visit(`${base}/services/crisis-intervention`)).statusCode).toBe(404);
    expect((await visit(`${base}/contact`)).statusCode).toBe(404);

    // Another organisation still has the defaults.
    const other = await buildOrganization(t, { slug: 'lakeside' });
    const theirs = await visit('/site/lakeside/services/counseling');
    expect(theirs.body).toContain('<h1>Counseling and emotional support</h1>');
    // With two organisations, /site lists them.
    const list = await visit('/site');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="/site/lakeside/"`);
    expect(list.body).toContain(other.name);
  });
});

describe(`the newsletter archive (${testEngine})`, () => {
  it('says there are no issues yet, with the sign-up form in the page', async () => {
    const res = await visit(`${base}/newsletter`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('No issues have been sent yet.');
    expect(res.body.match(/id="signup-email"/g)).toHaveLength(1);
  });

  it('lists sent issues newest first and renders one sanitised; drafts stay private', async () => {
    const [older, newer, draft] = await t.database.db
      .insert(newsletterIssues)
      .values([
        {
          organizationId: org.id,
          subject: 'Spring caregiver groups',
          bodyMarkdown: '# Groups\n\nJoin us. [site](https://example.org) <img src=x onerror=alert(1)>',
          status: 'sent',
          finishedAt: new Date('2026-03-02T15:00:00Z'),
        },
        {
          organizationId: org.id,
          subject: 'Summer heat and your health',
          bodyMarkdown: 'Stay cool.',
          status: 'sent',
          finishedAt: new Date('2026-06-20T15:00:00Z'),
        },
        { organizationId: org.id, subject: 'Draft about autumn', bodyMarkdown: 'Not yet.', status: 'draft' },
      ])
      .returning();
    const archive = await visit(`${base}/newsletter`);
    expect(archive.body).not.toContain('No issues have been sent yet.');
    expect(archive.body.indexOf('Summer heat')).toBeLessThan(archive.body.indexOf('Spring caregiver'));
    expect(archive.body).toContain('June 20, 2026');
    expect(archive.body).not.toContain('Draft about autumn');

    const issue = await visit(`${base}/newsletter/issues/${older!.id}`);
    expect(issue.statusCode).toBe(200);
    expect(issue.body).toContain('<h1>Spring caregiver groups</h1>');
    expect(issue.body).toContain('<h2>Groups</h2>');
    expect(issue.body).toContain('<a href="https://example.org" rel="noopener noreferrer">site</a>');
    expect(issue.body).not.toContain('<img');
    expect(issue.body).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect((await visit(`${base}/newsletter/issues/${newer!.id}`)).statusCode).toBe(200);
    expect((await visit(`${base}/newsletter/issues/${draft!.id}`)).statusCode).toBe(404);
    // Another organisation's issue is not found on this site.
    expect((await visit(`/site/lakeside/newsletter/issues/${older!.id}`)).statusCode).toBe(404);
  });
});
