import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SITE_PAGES, SITE_PAGE_SLUGS } from '../../../domain/site.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { testEngine } from '../../test/database.ts';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';

let t: TestContext;
let admin: Client;
let worker: Client;
let supervisor: Client;
let adminUser: Awaited<ReturnType<typeof buildUser>>;

const page = {
  title: 'Counseling for patients and families',
  summary: 'Someone to talk to while you are in the hospital.',
  bodyMarkdown: 'Ask your nurse.\n\n## When\n\nAny day.',
  position: 15,
  published: true,
};
const put = (client: Client, slug: string, body: unknown) =>
  client.request({ method: 'PUT', url: `/api/site/pages/${slug}`, payload: body as object });

beforeAll(async () => {
  t = await startTestApp();
  adminUser = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  const organization = adminUser.organization;
  admin = await signIn(t, adminUser);
  worker = await signIn(t, await buildUser(t, { role: 'social_worker', organization }));
  supervisor = await signIn(t, await buildUser(t, { role: 'supervisor', organization }));
});
afterAll(async () => {
  await t.close();
});

describe(`the public site's admin API (${testEngine})`, () => {
  it('lists every page with its default text (version 0) and where the site is', async () => {
    const res = await admin.get('/api/site/pages');
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.siteUrl).toBe(`/site/${adminUser.organization.slug}/`);
    expect(body.items.map((p: { slug: string }) => p.slug)).toEqual([...SITE_PAGE_SLUGS]);
    const request = body.items.find((p: { slug: string }) => p.slug === 'request');
    expect(request).toMatchObject({
      kind: 'request',
      title: DEFAULT_SITE_PAGES.request.title,
      bodyMarkdown: DEFAULT_SITE_PAGES.request.bodyMarkdown,
      version: 0,
      customized: false,
      published: true,
    });
  });

  it('refuses anyone but an admin: 401 signed out, 403 for other roles', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/site/pages' })).statusCode).toBe(401);
    for (const client of [worker, supervisor]) {
      expect((await client.get('/api/site/pages')).statusCode).toBe(403);
      expect((await put(client, 'counseling', { ...page, version: 0 })).statusCode).toBe(403);
      expect((await client.post('/api/site/preview', { markdown: '# Hi' })).statusCode).toBe(403);
    }
  });

  it('saves a page over its default, then over its own version; a stale version is a 409', async () => {
    const first = await put(admin, 'counseling', { ...page, version: 0 });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      slug: 'counseling',
      title: page.title,
      version: 1,
      customized: true,
    });

    // Someone who loaded the default before that save is told, and nothing is overwritten.
    const late = await put(admin, 'counseling', { ...page, title: 'Mine', version: 0 });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 1 });

    const second = await put(admin, 'counseling', { ...page, published: false, version: 1 });
    expect(second.statusCode, second.body).toBe(200);
    expect(second.json()).toMatchObject({ version: 2, published: false });
    expect((await put(admin, 'counseling', { ...page, version: 1 })).statusCode).toBe(409);

    const listed = (await admin.get('/api/site/pages')).json();
    expect(listed.items.find((p: { slug: string }) => p.slug === 'counseling')).toMatchObject({
      title: page.title,
      version: 2,
      published: false,
    });
    // The public no longer sees the unpublished page.
    const slug = adminUser.organization.slug;
    expect((await t.app.inject({ method: 'GET', url: `/site/${slug}/services/counseling` })).statusCode).toBe(
      404,
    );
  });

  it('audits every save as an admin action, with the fields changed and none of the text', async () => {
    const rows = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'site.page.update'), eq(auditEvents.actorUserId, adminUser.id)))
      .orderBy(auditEvents.seq);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      outcome: 'success',
      recordKind: 'site_page',
      patientId: null,
      actorRole: 'admin',
      detail: {
        slug: 'counseling',
        version: 1,
        published: true,
        changed: ['title', 'summary', 'bodyMarkdown', 'position'],
      },
    });
    expect(rows[1]!.detail).toMatchObject({ version: 2, published: false, changed: ['published'] });
    expect(JSON.stringify(rows)).not.toContain(page.summary);
  });

  it('answers 404 for a page the site does not have, and 422 for a missing title', async () => {
    expect((await put(admin, 'bingo', { ...page, version: 0 })).statusCode).toBe(404);
    const bad = await put(admin, 'contact', { ...page, title: '  ', version: 0 });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors).toEqual([{ field: 'title', message: 'is required' }]);
  });

  it('previews markdown as the site renders it: sanitised, headings under the page title', async () => {
    const res = await admin.post('/api/site/preview', {
      markdown: '# Hours\n\n[call](tel:5550100) [x](javascript:alert(1)) <script>alert(1)</script>',
    });
    expect(res.statusCode).toBe(200);
    const { html } = res.json();
    expect(html).toContain('<h2>Hours</h2>');
    expect(html).toContain('<a href="tel:5550100">call</a>');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toContain('<script');
  });
});
