import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ISSUE_IMAGE_MAX_BYTES, ISSUE_IMAGE_TYPES } from '../../../domain/newsletter.ts';
import {
  NewsletterDeliveryPage,
  NewsletterDeliveryQuery,
  NewsletterImageUploaded,
  NewsletterIssueCancelRequest,
  NewsletterIssueCreateRequest,
  NewsletterIssuePage,
  NewsletterIssueParams,
  NewsletterIssuePreview,
  NewsletterIssuePreviewRequest,
  NewsletterIssueQuery,
  NewsletterIssueSendRequest,
  NewsletterIssueTestSent,
  NewsletterIssueUpdateRequest,
  NewsletterIssueView,
} from '../../../domain/schemas/newsletter.ts';
import { AppError } from '../../platform/errors.ts';
import { actorOf } from '../../platform/http.ts';
import {
  cancelIssue,
  createIssue,
  deleteIssue,
  getIssue,
  listDeliveries,
  listIssues,
  previewIssue,
  sendIssue,
  sendTestIssue,
  updateIssue,
} from './campaigns.service.ts';
import { publicImage, storeImage } from './images.service.ts';

const admins = { roles: ['admin'] as const };
const tags = ['newsletter'];

/**
 * Campaigns (issue 7): admins compose, preview, test, send or schedule issues and follow their delivery;
 * images for issues are uploaded here and served on the public site.
 */
export const campaignRoutes: FastifyPluginAsyncZod = async (app) => {
  const { database, config, mailer, jobs } = app.kith;
  const db = database.db;

  // An image is posted as itself (the body is the file), so no multipart parser is needed.
  app.addContentTypeParser(
    [...ISSUE_IMAGE_TYPES],
    { parseAs: 'buffer', bodyLimit: ISSUE_IMAGE_MAX_BYTES + 1 },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/api/newsletter/issues',
    {
      config: { access: admins },
      schema: { tags, querystring: NewsletterIssueQuery, response: { 200: NewsletterIssuePage } },
    },
    async (request) => listIssues(db, actorOf(request), request.query),
  );

  app.post(
    '/api/newsletter/issues',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Start a new issue (a draft)',
        body: NewsletterIssueCreateRequest,
        response: { 201: NewsletterIssueView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(await createIssue(db, config, actorOf(request), request.origin, request.body)),
  );

  app.get(
    '/api/newsletter/issues/:issueId',
    {
      config: { access: admins },
      schema: { tags, params: NewsletterIssueParams, response: { 200: NewsletterIssueView } },
    },
    async (request) => getIssue(db, actorOf(request), request.params.issueId),
  );

  app.put(
    '/api/newsletter/issues/:issueId',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Save a draft (with the version it was read at)',
        params: NewsletterIssueParams,
        body: NewsletterIssueUpdateRequest,
        response: { 200: NewsletterIssueView },
      },
    },
    async (request) =>
      updateIssue(db, actorOf(request), request.origin, request.params.issueId, request.body),
  );

  app.delete(
    '/api/newsletter/issues/:issueId',
    {
      config: { access: admins },
      schema: { tags, summary: 'Delete a draft', params: NewsletterIssueParams },
    },
    async (request, reply) => {
      await deleteIssue(db, actorOf(request), request.origin, request.params.issueId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/newsletter/issues/:issueId/preview',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'The email a subscriber would receive from this text (not saved)',
        params: NewsletterIssueParams,
        body: NewsletterIssuePreviewRequest,
        response: { 200: NewsletterIssuePreview },
      },
    },
    async (request) =>
      previewIssue(
        db,
        config,
        actorOf(request),
        request.params.issueId,
        request.body,
        `${request.protocol}://${request.host}`,
      ),
  );

  app.post(
    '/api/newsletter/issues/:issueId/test',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Send the saved issue to my own address',
        params: NewsletterIssueParams,
        response: { 200: NewsletterIssueTestSent },
      },
    },
    async (request) =>
      sendTestIssue(db, config, mailer, actorOf(request), request.origin, request.params.issueId),
  );

  app.post(
    '/api/newsletter/issues/:issueId/send',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Send now, or at `at`',
        params: NewsletterIssueParams,
        body: NewsletterIssueSendRequest,
        response: { 200: NewsletterIssueView },
      },
    },
    async (request) =>
      sendIssue(db, jobs, actorOf(request), request.origin, request.params.issueId, request.body),
  );

  app.post(
    '/api/newsletter/issues/:issueId/cancel',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: 'Unschedule (back to draft) or stop sending',
        params: NewsletterIssueParams,
        body: NewsletterIssueCancelRequest,
        response: { 200: NewsletterIssueView },
      },
    },
    async (request) =>
      cancelIssue(db, actorOf(request), request.origin, request.params.issueId, request.body),
  );

  app.get(
    '/api/newsletter/issues/:issueId/deliveries',
    {
      config: { access: admins },
      schema: {
        tags,
        params: NewsletterIssueParams,
        querystring: NewsletterDeliveryQuery,
        response: { 200: NewsletterDeliveryPage },
      },
    },
    async (request) =>
      listDeliveries(db, actorOf(request), request.origin, request.params.issueId, request.query),
  );

  app.post(
    '/api/newsletter/images',
    {
      config: { access: admins },
      schema: {
        tags,
        summary: `Upload an image for issues (the body is the image: ${ISSUE_IMAGE_TYPES.join(', ')})`,
        response: { 201: NewsletterImageUploaded },
      },
    },
    async (request, reply) => {
      if (!Buffer.isBuffer(request.body)) {
        throw new AppError(
          415,
          'unsupported-media-type',
          `Send the image itself with its Content-Type (${ISSUE_IMAGE_TYPES.join(', ')})`,
        );
      }
      const uploaded = await storeImage(
        db,
        actorOf(request),
        request.origin,
        String(request.headers['content-type'] ?? '')
          .split(';')[0]!
          .trim(),
        request.body,
      );
      return reply.status(201).send(uploaded);
    },
  );

  // Public: mail clients and the archive load issue images from here. Content never changes for an id.
  app.get(
    '/site/:org/newsletter/images/:imageId',
    { schema: { hide: true, params: z.object({ org: z.string().max(100), imageId: z.string().max(64) }) } },
    async (request, reply) => {
      const { org, imageId } = request.params;
      const image = z.uuid().safeParse(imageId).success ? await publicImage(db, org, imageId) : null;
      if (!image) return reply.status(404).type('text/plain; charset=utf-8').send('No such image');
      const etag = `"${image.sha256}"`;
      reply.header('cache-control', 'public, max-age=31536000, immutable').header('etag', etag);
      if (request.headers['if-none-match'] === etag) return reply.status(304).send();
      return reply
        .header('content-security-policy', "default-src 'none'")
        .header('cross-origin-resource-policy', 'cross-origin')
        .type(image.contentType)
        .send(image.data);
    },
  );
};
