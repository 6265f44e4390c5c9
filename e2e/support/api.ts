import { generate } from 'otplib';
import type { TestUser } from './users.ts';

const baseUrl = () => process.env.KITH_E2E_BASE_URL ?? 'http://127.0.0.1:8080';

/** A signed-in API session for seeding data: the session cookie and csrf token, like the browser's. */
export class ApiSession {
  cookie = '';
  csrfToken = '';

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookie) headers.cookie = this.cookie;
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    const response = await fetch(new URL(path, baseUrl()), {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const setCookies = response.headers.getSetCookie();
    if (setCookies.length > 0) this.cookie = setCookies.map((c) => c.split(';')[0]).join('; ');
    const text = await response.text();
    const payload = text ? JSON.parse(text) : undefined;
    if (!response.ok) {
      throw new Error(`${method} ${path} answered ${response.status}: ${text}`);
    }
    if (payload && typeof payload === 'object' && 'csrfToken' in payload)
      this.csrfToken = String(payload.csrfToken);
    return payload as T;
  }

  get = <T>(path: string) => this.request<T>('GET', path);
  post = <T>(path: string, body: unknown = {}) => this.request<T>('POST', path, body);
}

/** Signs in through the API, with a one-time code when the user has MFA. */
export async function apiSignIn(user: TestUser, totp?: string): Promise<ApiSession> {
  const session = new ApiSession();
  await session.post('/api/auth/login', {
    email: user.email,
    password: user.password,
    ...(totp ? { totp } : {}),
  });
  await session.get('/api/auth/me');
  return session;
}

/** Enrols MFA through the API (set-up only) and gives back the secret and the recovery codes. */
export async function enrolMfaByApi(user: TestUser): Promise<{ secret: string; recoveryCodes: string[] }> {
  const session = await apiSignIn(user);
  const { secret } = await session.post<{ secret: string }>('/api/auth/mfa/enrol');
  const code = await generate({ secret });
  const { recoveryCodes } = await session.post<{ recoveryCodes: string[] }>('/api/auth/mfa/confirm', {
    code,
  });
  return { secret, recoveryCodes };
}

/** A TOTP code from a time step later than `afterStep`, waiting for the next 30 s step when needed. */
export async function freshTotp(secret: string, afterStep: number): Promise<{ code: string; step: number }> {
  let step = Math.floor(Date.now() / 30_000);
  if (step <= afterStep) {
    await new Promise((resolve) => setTimeout(resolve, (afterStep + 1) * 30_000 - Date.now() + 500));
    step = Math.floor(Date.now() / 30_000);
  }
  return { code: await generate({ secret }), step };
}

let mrnCounter = 0;

/** A unique MRN for this run. */
export function uniqueMrn(prefix = 'E2E'): string {
  mrnCounter += 1;
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${mrnCounter}`;
}

/** Creates a patient through the API as the given session; the creator joins the care team. */
export async function seedPatient(session: ApiSession, fields: { givenName: string; familyName: string }) {
  return session.post<{ id: string; mrn: string }>('/api/patients', {
    mrn: uniqueMrn(),
    birthDate: '1948-03-14',
    sex: 'female',
    preferredLanguage: 'es',
    interpreterNeeded: true,
    phones: [{ use: 'mobile', number: '+1 555 010 2233' }],
    ...fields,
  });
}

/** A request as an integration makes it: no cookie, only `Authorization: Bearer <token>`. */
export function fetchWithToken(path: string, token: string): Promise<Response> {
  return fetch(new URL(path, baseUrl()), {
    headers: { accept: 'application/json', authorization: `Bearer ${token}` },
  });
}
