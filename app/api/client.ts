import type { Problem } from '../../domain/schemas/common.ts';

/** A field-level validation message, as the server names it (e.g. `address.city`). */
export interface FieldError {
  field: string;
  message: string;
}

/** A problem+json answer from the API, or a network failure (status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly type: string;
  readonly title: string;
  readonly detail: string | undefined;
  readonly errors: FieldError[];
  readonly correlationId: string | undefined;

  constructor(problem: Partial<Problem> & { status: number }) {
    super(problem.detail ?? problem.title ?? `Request failed (${problem.status})`);
    this.name = 'ApiError';
    this.status = problem.status;
    this.type = problem.type ?? 'about:blank';
    this.title = problem.title ?? `Request failed (${problem.status})`;
    this.detail = problem.detail;
    this.errors = problem.errors ?? [];
    this.correlationId = problem.correlationId;
  }

  /** True when the problem type ends with the given code, e.g. `mfa-required`. */
  is(code: string): boolean {
    return this.type.endsWith(code);
  }
}

let csrfToken: string | null = null;
let lastRequestAt = Date.now();
let onSignedOut: ((reason: 'session-expired' | 'unauthenticated') => void) | null = null;

/** Remember the csrf token from the last /api/auth/me or login answer. */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** When the app last talked to the server: every API call counts as activity there. */
export function lastApiActivityAt(): number {
  return lastRequestAt;
}

/** Called when the server says the session is gone, so the app can go to sign-in. */
export function whenSignedOut(handler: typeof onSignedOut): void {
  onSignedOut = handler;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** Paths where a 401 is an expected answer, not a lost session. */
const QUIET_401_PATHS = ['/api/auth/login', '/api/auth/me'];

async function request<T>(
  method: Method,
  path: string,
  body?: unknown,
  opts: { background?: boolean; file?: Blob } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json, application/problem+json' };
  if (opts.file) headers['content-type'] = opts.file.type;
  else if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (!opts.background) lastRequestAt = Date.now();
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.file ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
  } catch {
    throw new ApiError({
      status: 0,
      title: 'The server could not be reached. Check the connection and try again.',
    });
  }
  if (response.status === 204) return undefined as T;
  const isJson = /json/.test(response.headers.get('content-type') ?? '');
  const payload: unknown = isJson ? await response.json().catch(() => null) : null;
  if (response.ok) return payload as T;

  const problem = (payload ?? {}) as Partial<Problem>;
  const error = new ApiError({ ...problem, status: response.status });
  if (
    response.status === 401 &&
    !QUIET_401_PATHS.includes(path) &&
    (error.is('unauthenticated') || error.is('session-expired'))
  ) {
    csrfToken = null;
    onSignedOut?.(error.is('session-expired') ? 'session-expired' : 'unauthenticated');
  }
  throw error;
}

/** Builds a query string from defined, non-empty values. */
export function toQuery(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  /** A background poll (the bell's count): not the user's activity, so it keeps no idle session alive. */
  poll: <T>(path: string) => request<T>('GET', path, undefined, { background: true }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  /** Posts a file as the body itself, with its own Content-Type (an image for a newsletter issue). */
  upload: <T>(path: string, file: Blob) => request<T>('POST', path, undefined, { file }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, body),
  delete: <T = void>(path: string) => request<T>('DELETE', path),
};

/** A page of a list, as every paged endpoint answers. */
export interface Page<T> {
  items: T[];
  page: number;
  pageSize: number;
  total: number;
}
