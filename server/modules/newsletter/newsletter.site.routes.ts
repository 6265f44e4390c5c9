import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HONEYPOT_FIELD } from '../../../domain/newsletter.ts';
import { NewsletterPreferencesForm, NewsletterSubscribeForm } from '../../../domain/schemas/newsletter.ts';
import { AppError } from '../../platform/errors.ts';
import {
  confirm,
  readConfirmation,
  readPreferences,
  subscriberOfLink,
  unsubscribeByLink,
  updatePreferences,
} from './links.service.ts';
import { listsOffered } from './lists.service.ts';
import {
  noteHoneypot,
  organizationBySlug,
  SIGNUP_RATE_LIMIT,
  type SiteOrganization,
  sendInBackground,
} from './newsletter.http.ts';
import { newsletterUrls } from './newsletter.mail.ts';
import {
  checkEmailPage,
  confirmedPage,
  confirmPage,
  preferencesPage,
  problemPage,
  signupProblemPage,
  unsubscribedPage,
  unsubscribePage,
} from './newsletter.pages.ts';
import { subscribe, unsubscribe } from './subscriptions.service.ts';

/*
 * The newsletter's pages on the public site (no session): the sign-up form's post, and the pages behind the
 * links mailed to an address. Following a link (GET) changes nothing, so that a mail scanner that opens links
 * confirms or unsubscribes nobody; each page's button posts. The unsubscribe address takes the RFC 8058
 * one-click POST too (body `List-Unsubscribe=One-Click`, form-encoded or multipart) and answers 200 at once.
 * Every answer is an HTML page, problems included; token pages are never cached or indexed.
 */

/** Links are unguessable; the limit keeps a scripted client from hammering the database through them. */
const LINK_RATE_LIMIT = { max: 60, timeWindow: '1 minute' };
/**
 * Mail providers send the one-click unsubscribes of many readers from a few addresses, and an unsubscribe
 * must never be refused: a far higher ceiling (a forged token is refused before any query of it).
 */
const UNSUBSCRIBE_RATE_LIMIT = { max: 2000, timeWindow: '1 minute' };

type Params = { org: string };
type Fields = Record<string, unknown>;

const fieldsOf = (request: FastifyRequest): Fields =>
  request.body && typeof request.body === 'object' ? (request.body as Fields) : {};

/** The token of a link page: in the address (links, one-click) or in the form (the confirm button). */
const tokenOf = (request: FastifyRequest) =>
  (request.query as Fields).token ?? fieldsOf(request).token ?? null;

const html = (reply: FastifyReply, body: string, status = 200, cacheable = false) =>
  reply
    .status(status)
    .type('text/html; charset=utf-8')
    .header('cache-control', cacheable ? 'public, max-age=60' : 'no-store')
    .header('x-robots-tag', 'noindex')
    .send(body);

/** The few fields of a multipart post (RFC 8058 allows one-click as multipart/form-data). */
function multipartFields(body: string): Fields {
  const fields: Fields = {};
  for (const match of body.matchAll(/name="([^"]{1,100})"\r?\n(?:[^\r\n]*\r?\n)*?\r?\n([^\r\n]*)/g)) {
    fields[match[1]!] = match[2]!;
  }
  return fields;
}

export const newsletterSiteRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config, mailer } = app.kith;
  const db = database.db;

  app.addContentTypeParser(
    'multipart/form-data',
    { parseAs: 'string', bodyLimit: 16 * 1024 },
    (_r, body, done) => done(null, multipartFields(String(body))),
  );

  app.setErrorHandler(async (error: Error & { statusCode?: number }, request, reply) => {
    const status =
      error instanceof AppError
        ? error.status
        : error.statusCode && error.statusCode >= 400 && error.statusCode < 500
          ? error.statusCode
          : 500;
    let title = error instanceof AppError ? error.title : 'This request could not be handled';
    let detail = error instanceof AppError ? (error.extra.detail as string | undefined) : undefined;
    if (status === 429) {
      title = 'Too many requests';
      detail = 'Please wait a minute, then try again.';
    } else if (status >= 500) {
      title = 'Something went wrong on our side';
      detail = 'Please try again in a few minutes.';
      request.log.error({ err: { type: error.name } }, 'newsletter page failed');
    }
    const slug = (request.params as Partial<Params>).org;
    const organization = slug ? await organizationBySlug(db, slug).catch(() => null) : null;
    return html(reply, problemPage(organization, request.url.split('?')[0]!, title, detail), status);
  });

  /** The organisation of the page's address, or a 404 page. */
  const organizationOf = async (request: FastifyRequest): Promise<SiteOrganization> => {
    const org = await organizationBySlug(db, (request.params as Params).org);
    if (!org) throw new AppError(404, 'not-found', 'No such page', { detail: 'Check the address.' });
    return org;
  };

  app.post<{ Params: Params }>(
    '/site/:org/newsletter/subscribe',
    { config: { rateLimit: SIGNUP_RATE_LIMIT } },
    async (request, reply) => {
      const organization = await organizationOf(request);
      const fields = fieldsOf(request);
      if (typeof fields[HONEYPOT_FIELD] === 'string' && fields[HONEYPOT_FIELD] !== '') {
        noteHoneypot(request.log);
        return html(reply, checkEmailPage(organization));
      }
      const form = NewsletterSubscribeForm.safeParse(fields);
      const retry = async (problems: { field: string; message: string }[]) => {
        const chosen = fields.lists === undefined ? [] : [fields.lists].flat().map(String);
        const values = { email: String(fields.email ?? ''), lists: chosen, page: String(fields.page ?? '') };
        const lists = await listsOffered(db, organization.id);
        return html(reply, signupProblemPage(organization, lists, values, problems), 422);
      };
      if (!form.success) {
        return retry(
          form.error.issues.map((i) => ({ field: String(i.path[0] ?? 'email'), message: i.message })),
        );
      }
      try {
        const { mail } = await subscribe(db, config, organization, {
          email: form.data.email,
          lists: form.data.lists,
          consent: { ip: request.ip ?? null, page: form.data.page?.startsWith('/') ? form.data.page : null },
        });
        sendInBackground(mailer, request.log, mail);
      } catch (error) {
        if (error instanceof AppError && error.code === 'validation') {
          return retry((error.extra.errors as { field: string; message: string }[]) ?? []);
        }
        throw error;
      }
      return html(reply, checkEmailPage(organization));
    },
  );

  const link = { config: { rateLimit: LINK_RATE_LIMIT } };

  app.get<{ Params: Params }>('/site/:org/newsletter/confirm', link, async (request, reply) => {
    const organization = await organizationOf(request);
    const token = tokenOf(request);
    const read = await readConfirmation(db, config, organization.id, token);
    if (read.confirmed) {
      const preferences = newsletterUrls(
        config,
        organization.slug,
        read.subscriber,
        new Date(),
        '',
      ).preferences();
      return html(reply, confirmedPage(organization, read.lists, preferences, true));
    }
    return html(reply, confirmPage(organization, String(token), read.lists));
  });

  app.post<{ Params: Params }>('/site/:org/newsletter/confirm', link, async (request, reply) => {
    const organization = await organizationOf(request);
    const done = await confirm(db, config, organization.id, tokenOf(request), request.ip ?? null);
    const preferences = newsletterUrls(
      config,
      organization.slug,
      done.subscriber,
      new Date(),
      '',
    ).preferences();
    return html(reply, confirmedPage(organization, done.lists, preferences, done.already));
  });

  app.get<{ Params: Params }>('/site/:org/newsletter/preferences', link, async (request, reply) => {
    const organization = await organizationOf(request);
    const token = tokenOf(request);
    const view = await readPreferences(db, config, organization.id, token);
    return html(reply, preferencesPage(organization, String(token), view, false));
  });

  app.post<{ Params: Params }>('/site/:org/newsletter/preferences', link, async (request, reply) => {
    const organization = await organizationOf(request);
    const token = tokenOf(request);
    const form = NewsletterPreferencesForm.safeParse(fieldsOf(request));
    if (!form.success) throw new AppError(400, 'bad-request', 'This form could not be read');
    const unsubscribedPageOf = async () =>
      html(reply, unsubscribedPage(organization, await listsOffered(db, organization.id)));
    if (form.data.action === 'unsubscribe') {
      const view = await readPreferences(db, config, organization.id, token);
      await unsubscribe(db, organization.id, view.subscriber.id, 'preferences');
      return unsubscribedPageOf();
    }
    const saved = await updatePreferences(db, config, organization.id, token, form.data.lists);
    if (saved.unsubscribed || !saved.view) return unsubscribedPageOf();
    return html(reply, preferencesPage(organization, String(token), saved.view, true));
  });

  const leave = { config: { rateLimit: UNSUBSCRIBE_RATE_LIMIT } };

  app.get<{ Params: Params }>('/site/:org/newsletter/unsubscribe', leave, async (request, reply) => {
    const organization = await organizationOf(request);
    const token = tokenOf(request);
    const { subscriber } = await subscriberOfLink(db, config, organization.id, token, 'unsubscribe');
    if (!subscriber || subscriber.status === 'unsubscribed') {
      return html(reply, unsubscribedPage(organization, await listsOffered(db, organization.id)));
    }
    return html(reply, unsubscribePage(organization, String(token)));
  });

  app.post<{ Params: Params }>('/site/:org/newsletter/unsubscribe', leave, async (request, reply) => {
    const organization = await organizationOf(request);
    const oneClick = fieldsOf(request)['List-Unsubscribe'] === 'One-Click';
    await unsubscribeByLink(db, config, organization.id, tokenOf(request), oneClick ? 'one-click' : 'link');
    return html(reply, unsubscribedPage(organization, await listsOffered(db, organization.id)));
  });
};
