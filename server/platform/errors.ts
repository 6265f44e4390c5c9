import { randomUUID } from 'node:crypto';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { Problem } from '../../domain/schemas/common.ts';

/** Problem types are stable URNs: clients match on the last segment. */
export const problemType = (code: string) => `urn:kith:problem:${code}`;

export type FieldError = { field: string; message: string };

/** The one error type of Kith: a status, a stable code and a human title, mapped to problem+json. */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly extra: Partial<Problem> & Record<string, unknown>;

  constructor(
    status: number,
    code: string,
    title: string,
    extra: Partial<Problem> & Record<string, unknown> = {},
  ) {
    super(title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.extra = extra;
  }
}

export const notFound = (what = 'record') => new AppError(404, 'not-found', `No such ${what}`);
export const forbidden = (detail?: string, extra: Record<string, unknown> = {}) =>
  new AppError(403, 'forbidden', 'You are not allowed to do this', {
    ...(detail ? { detail } : {}),
    ...extra,
  });
export const conflict = (code: string, title: string, extra: Record<string, unknown> = {}) =>
  new AppError(409, code, title, extra);
/** 422: the request is well-formed but its fields are not acceptable; `errors` names each field. */
export const invalid = (errors: FieldError[], title = 'The request has invalid fields') =>
  new AppError(422, 'validation', title, { errors });

/** 409 for an update made against an older version: nothing is overwritten, the caller reloads. */
export const staleVersion = (currentVersion: number) =>
  conflict('stale-version', 'Someone else changed this record since you loaded it; reload and try again', {
    currentVersion,
  });

/**
 * Errors Fastify raises before routing (an address with a malformed percent-encoding, a path parameter too
 * long): problem+json on the API, a plain page elsewhere (the public site, the web app), never Fastify's own
 * JSON. Set as the `frameworkErrors` option of the Fastify instance.
 */
export function frameworkError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status =
    error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
  if (request.url.startsWith('/api/')) {
    void reply
      .status(status)
      .type('application/problem+json')
      .send({ type: problemType('bad-address'), title: 'This address is not valid', status });
    return;
  }
  void reply
    .status(status)
    .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
    .type('text/html; charset=utf-8')
    .send(
      '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>This address is not valid</title></head><body><main><h1>This address is not valid</h1><p>Part of the address is garbled. Check it, or start again from the <a href="/site">home page</a>.</p></main></body></html>',
    );
}

/** Installs the error and not-found handlers that turn every failure into application/problem+json. */
export function installProblemHandlers(app: FastifyInstance, opts: { spaFallback: boolean }): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toProblem(error, request.url);
    if (problem.status >= 500) {
      // An error's message can quote the data it failed on (a name, an MRN): log where it failed, not what it said.
      request.log.error(
        {
          correlationId: problem.correlationId,
          err: { type: error.name, code: error.code, at: stackFrames(error.stack) },
        },
        'request failed',
      );
    }
    if (error instanceof AppError && typeof error.extra.retryAfterSeconds === 'number') {
      reply.header('retry-after', String(error.extra.retryAfterSeconds));
    }
    return reply.status(problem.status).type('application/problem+json').send(problem);
  });
  app.setNotFoundHandler((request, reply) => {
    // Client-side routes of the web app get its index.html; unknown /api paths stay problem+json 404s.
    if (opts.spaFallback && request.method === 'GET' && !request.url.startsWith('/api/')) {
      return reply.type('text/html').header('cache-control', 'no-cache').sendFile('index.html');
    }
    return reply
      .status(404)
      .type('application/problem+json')
      .send({
        type: problemType('not-found'),
        title: 'No such resource',
        status: 404,
        instance: request.url.split('?')[0],
      });
  });
}

/** The frames of a stack trace without its first line, which repeats the error's message. */
function stackFrames(stack: string | undefined): string[] {
  return (stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => line.trim())
    .slice(0, 15);
}

/** The PostgreSQL SQLSTATE of a database error, also when drizzle wraps it. */
function pgErrorCode(error: unknown): string | undefined {
  for (
    let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 3;
    e = e.cause as typeof e, depth++
  ) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return undefined;
}

function toProblem(error: FastifyError, url: string): Problem {
  const instance = url.split('?')[0];
  if (error instanceof AppError) {
    return {
      type: problemType(error.code),
      title: error.title,
      status: error.status,
      instance,
      ...error.extra,
    };
  }
  if (pgErrorCode(error) === '23505') {
    // A unique index caught what a check-then-insert could not (two requests at once).
    return {
      type: problemType('conflict'),
      title: 'This conflicts with a record that already exists',
      status: 409,
      instance,
    };
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    const prefix = context && context !== 'body' ? `${context === 'querystring' ? 'query' : context}.` : '';
    const errors = error.validation.map((v) => ({
      field: prefix + (v.instancePath.replace(/^\//, '').replaceAll('/', '.') || '(root)'),
      message: v.message ?? 'is invalid',
    }));
    return {
      type: problemType('validation'),
      title: 'The request has invalid fields',
      status: 422,
      instance,
      errors,
    };
  }
  if (
    error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
    (error.statusCode === 400 && error instanceof SyntaxError)
  ) {
    return {
      type: problemType('malformed-json'),
      title: 'The request body is not valid JSON',
      status: 400,
      instance,
    };
  }
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') {
    return {
      type: problemType('malformed-json'),
      title: 'The request body is empty but JSON was declared',
      status: 400,
      instance,
    };
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return {
      type: problemType('body-too-large'),
      title: 'The request body is too large',
      status: 413,
      instance,
    };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return {
      type: problemType('unsupported-media-type'),
      title: 'Unsupported content type',
      status: 415,
      instance,
    };
  }
  if (error.statusCode === 429) {
    return {
      type: problemType('rate-limited'),
      title: 'Too many requests, slow down',
      status: 429,
      instance,
    };
  }
  if (
    !isResponseSerializationError(error) &&
    error.statusCode &&
    error.statusCode >= 400 &&
    error.statusCode < 500
  ) {
    return {
      type: problemType('bad-request'),
      title: error.message || 'Bad request',
      status: error.statusCode,
      instance,
    };
  }
  return {
    type: problemType('internal'),
    title: 'Something went wrong on our side',
    status: 500,
    instance,
    correlationId: randomUUID(),
  };
}
