import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { DEFAULT_SEND_RATE_PER_MINUTE, MAX_SEND_RATE_PER_MINUTE } from '../domain/newsletter.ts';

/** Log levels pino understands; `silent` turns logging off (tests). */
const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']);

const minutes = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a whole number of minutes` })
    .int(`${name} must be a whole number of minutes`)
    .min(1, `${name} must be at least 1 minute`)
    .max(60 * 24 * 7, `${name} must be at most 7 days`)
    .default(fallback);

const EnvSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'DATABASE_URL must be a postgres:// or postgresql:// URL')
      .optional(),
    KITH_DATA_DIR: z.string().min(1).default('./data'),
    KITH_ALLOW_EMBEDDED_IN_PRODUCTION: z.enum(['yes', 'no']).default('no'),
    PORT: z.coerce
      .number({ error: 'PORT must be a number' })
      .int('PORT must be a whole number')
      .min(0, 'PORT must be between 0 and 65535')
      .max(65535, 'PORT must be between 0 and 65535')
      .default(8080),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: z
      .url({ protocol: /^https?$/, error: 'PUBLIC_URL must be an absolute http:// or https:// URL' })
      .optional(),
    SESSION_SECRET: z.string().min(32, 'SESSION_SECRET must be at least 32 characters').optional(),
    SESSION_IDLE_MINUTES: minutes('SESSION_IDLE_MINUTES', 15),
    SESSION_ABSOLUTE_MINUTES: minutes('SESSION_ABSOLUTE_MINUTES', 12 * 60),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'SMTP_URL must be an smtp:// or smtps:// URL')
      .optional(),
    MAIL_FROM: z.string().min(3).default('Kith <no-reply@localhost>'),
    LOG_LEVEL: LogLevel.default('info'),
    TRUST_PROXY: z.enum(['true', 'false']).default('false'),
    SIGN_IN_RATE_LIMIT: z.coerce
      .number({ error: 'SIGN_IN_RATE_LIMIT must be a number' })
      .int('SIGN_IN_RATE_LIMIT must be a whole number')
      .min(1, 'SIGN_IN_RATE_LIMIT must be at least 1')
      .max(10_000, 'SIGN_IN_RATE_LIMIT must be at most 10000')
      .default(20),
    KITH_SEED_DEMO: z.enum(['yes', 'no'], { error: 'KITH_SEED_DEMO must be yes or no' }).default('yes'),
    TASK_OVERDUE_REMINDER_MINUTES: minutes('TASK_OVERDUE_REMINDER_MINUTES', 60),
    HL7_ENABLED: z.enum(['yes', 'no'], { error: 'HL7_ENABLED must be yes or no' }).default('yes'),
    HL7_PORT: z.coerce
      .number({ error: 'HL7_PORT must be a number' })
      .int('HL7_PORT must be a whole number')
      .min(0, 'HL7_PORT must be between 0 and 65535')
      .max(65535, 'HL7_PORT must be between 0 and 65535')
      .default(2575),
    NEWSLETTER_RATE_PER_MINUTE: z.coerce
      .number({ error: 'NEWSLETTER_RATE_PER_MINUTE must be a number' })
      .int('NEWSLETTER_RATE_PER_MINUTE must be a whole number')
      .min(1, 'NEWSLETTER_RATE_PER_MINUTE must be at least 1')
      .max(MAX_SEND_RATE_PER_MINUTE, `NEWSLETTER_RATE_PER_MINUTE must be at most ${MAX_SEND_RATE_PER_MINUTE}`)
      .default(DEFAULT_SEND_RATE_PER_MINUTE),
    NEWSLETTER_LEASE_SECONDS: z.coerce
      .number({ error: 'NEWSLETTER_LEASE_SECONDS must be a number' })
      .int('NEWSLETTER_LEASE_SECONDS must be a whole number')
      .min(5, 'NEWSLETTER_LEASE_SECONDS must be at least 5')
      .max(3600, 'NEWSLETTER_LEASE_SECONDS must be at most 3600')
      .default(60),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.SESSION_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_SECRET'],
        message:
          'SESSION_SECRET is required when DATABASE_URL is set (generate one with: openssl rand -hex 32)',
      });
    }
    if (
      env.NODE_ENV === 'production' &&
      !env.DATABASE_URL &&
      env.KITH_ALLOW_EMBEDDED_IN_PRODUCTION !== 'yes'
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_URL'],
        message:
          'NODE_ENV=production needs DATABASE_URL: the embedded PGlite database does not fsync its commits, so a crash or power loss can lose or corrupt recent data. Set DATABASE_URL to a PostgreSQL server, or KITH_ALLOW_EMBEDDED_IN_PRODUCTION=yes to accept that risk.',
      });
    }
    if (env.SESSION_ABSOLUTE_MINUTES < env.SESSION_IDLE_MINUTES) {
      ctx.addIssue({
        code: 'custom',
        path: ['SESSION_ABSOLUTE_MINUTES'],
        message: 'SESSION_ABSOLUTE_MINUTES must not be shorter than SESSION_IDLE_MINUTES',
      });
    }
  });

export type DatabaseTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export interface Config {
  env: 'development' | 'production' | 'test';
  database: DatabaseTarget;
  dataDir: string;
  port: number;
  host: string;
  publicUrl: string;
  secureCookies: boolean;
  sessionSecret: string;
  session: { idleMs: number; absoluteMs: number };
  smtpUrl: string | undefined;
  mailFrom: string;
  logLevel: z.infer<typeof LogLevel>;
  trustProxy: boolean;
  /** Sign-in attempts (and other credential checks) allowed per IP address per minute. */
  signInRateLimit: number;
  /** Seed the demo department into an empty embedded database. */
  seedDemo: boolean;
  /** How long past its due time an open task gets its one overdue reminder. */
  taskOverdueReminderMinutes: number;
  /** The HL7 v2 MLLP listener for the ADT feed (port 0: any free port), on `host`. */
  hl7: { enabled: boolean; port: number };
  /**
   * Campaigns: the send rate a new issue starts with, and how long a sending worker's claim on an issue
   * lasts without renewal (after a crash, another worker resumes the issue once it runs out).
   */
  newsletter: { ratePerMinute: number; leaseSeconds: number };
}

/** Thrown with one line per bad environment variable. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(
      `Kith cannot start, the configuration has ${problems.length} problem(s):\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

/** Reads the process environment once, validates it and returns the typed configuration. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(source)
      .filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '')
      .map(([k, v]) => [k, v.trim()]),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const name = issue.path.join('.') || 'environment';
        const given =
          typeof present[name] === 'string' && !/SECRET|URL/.test(name) ? ` (got "${present[name]}")` : '';
        return `${name}: ${issue.message}${given}`;
      }),
    );
  }
  const env = parsed.data;
  const dataDir = resolve(env.KITH_DATA_DIR);
  const publicUrl = (env.PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, '');
  return {
    env: env.NODE_ENV,
    database: env.DATABASE_URL
      ? { kind: 'postgres', url: env.DATABASE_URL }
      : { kind: 'pglite', dataDir: join(dataDir, 'pgdata') },
    dataDir,
    port: env.PORT,
    host: env.HOST,
    publicUrl,
    secureCookies: new URL(publicUrl).protocol === 'https:',
    sessionSecret: env.SESSION_SECRET ?? embeddedSessionSecret(dataDir),
    session: { idleMs: env.SESSION_IDLE_MINUTES * 60_000, absoluteMs: env.SESSION_ABSOLUTE_MINUTES * 60_000 },
    smtpUrl: env.SMTP_URL,
    mailFrom: env.MAIL_FROM,
    logLevel: env.LOG_LEVEL,
    trustProxy: env.TRUST_PROXY === 'true',
    seedDemo: env.KITH_SEED_DEMO === 'yes',
    signInRateLimit: env.SIGN_IN_RATE_LIMIT,
    taskOverdueReminderMinutes: env.TASK_OVERDUE_REMINDER_MINUTES,
    hl7: { enabled: env.HL7_ENABLED === 'yes', port: env.HL7_PORT },
    newsletter: { ratePerMinute: env.NEWSLETTER_RATE_PER_MINUTE, leaseSeconds: env.NEWSLETTER_LEASE_SECONDS },
  };
}

/** In embedded mode the secret is generated on first start and kept beside the database. */
function embeddedSessionSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const kept = readFileSync(file, 'utf8').trim();
    if (kept.length < 32)
      throw new ConfigError([
        `${file} holds no usable session secret: delete it to generate a new one (everyone will be signed out)`,
      ]);
    return kept;
  }
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(32).toString('hex');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  return secret;
}
