import pino, { type Logger } from 'pino';

/**
 * JSON logs with request ids and without patient data: URLs are logged without their query string
 * (searches carry names), and cookies, tokens and bodies are never logged.
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
        path: req.url.split('?')[0],
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
