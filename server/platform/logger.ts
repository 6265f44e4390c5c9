import pino, { type Logger } from 'pino';

/**
 * Paths that carry a credential (the patient's tablet link, a community organisation's referral link): logged
 * with the token replaced.
 */
const SECRET_PATHS = /^((?:\/api)?\/(?:fill|referral-response))\/[^/?]+/;

/** The request path as logged: no query string (searches carry names), no tokens. */
export const loggedPath = (url: string) => {
  const path = url.split('?')[0] ?? '';
  return path.replace(SECRET_PATHS, '$1/:token');
};

/**
 * JSON logs with request ids and without patient data: URLs are logged without their query string
 * (searches carry names) nor link tokens, and cookies, tokens and bodies are never logged.
 */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'kith' },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]'],
      remove: true,
    },
    serializers: {
      req: (req: { id: string; method: string; url: string; ip?: string }) => ({
        id: req.id,
        method: req.method,
        path: loggedPath(req.url),
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
