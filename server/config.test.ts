import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

const SECRET = 'a-session-secret-that-is-long-enough-0123456789';
const dataDir = () => mkdtempSync(join(tmpdir(), 'kith-config-'));

/** The problems loadConfig reports for an environment (fails the test when it accepts it). */
function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig({ KITH_DATA_DIR: dataDir(), ...env });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  it('listens on 8080 with embedded PGlite under ./data/pgdata and 15/720 minute sessions', () => {
    const cwd = process.cwd();
    // Only the default directory is under test: run where creating ./data/session-secret harms nothing.
    process.chdir(dataDir());
    try {
      const config = loadConfig({});
      expect(config.port).toBe(8080);
      expect(config.dataDir).toBe(resolve('data'));
      expect(config.database).toEqual({ kind: 'pglite', dataDir: join(resolve('data'), 'pgdata') });
      expect(config.session).toEqual({ idleMs: 15 * 60_000, absoluteMs: 720 * 60_000 });
      expect(config.env).toBe('development');
      expect(config.publicUrl).toBe('http://localhost:8080');
      expect(config.secureCookies).toBe(false);
    } finally {
      process.chdir(cwd);
    }
  });

  it('keeps the embedded database under KITH_DATA_DIR/pgdata', () => {
    const dir = dataDir();
    expect(loadConfig({ KITH_DATA_DIR: dir }).database).toEqual({
      kind: 'pglite',
      dataDir: join(dir, 'pgdata'),
    });
  });

  it('uses PostgreSQL when DATABASE_URL is set', () => {
    const url = 'postgres://kith@db.internal:5432/kith';
    expect(loadConfig({ DATABASE_URL: url, SESSION_SECRET: SECRET }).database).toEqual({
      kind: 'postgres',
      url,
    });
  });
});

describe('one clear message per bad value', () => {
  it.each([
    ['PORT', 'abc', /^PORT: .*number/],
    ['PORT', '70000', /^PORT: .*between 0 and 65535/],
    ['LOG_LEVEL', 'loud', /^LOG_LEVEL: .*"info"/],
    ['SMTP_URL', 'http://x', /^SMTP_URL: .*smtp:\/\//],
    ['DATABASE_URL', 'mysql://x', /^DATABASE_URL: .*postgres:\/\//],
    ['PUBLIC_URL', 'not-a-url', /^PUBLIC_URL: .*http/],
    ['PUBLIC_URL', 'ftp://kith.example.org', /^PUBLIC_URL: .*http/],
  ])('refuses %s=%s with one line naming it', (name, value, message) => {
    // A secret is given so that DATABASE_URL's own problem is the only one.
    const problems = problemsOf({ [name]: value, SESSION_SECRET: SECRET });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(message);
  });

  it('gives one line per variable when every value is bad at once', () => {
    const problems = problemsOf({
      PORT: 'abc',
      LOG_LEVEL: 'loud',
      SMTP_URL: 'http://x',
      DATABASE_URL: 'mysql://x',
      PUBLIC_URL: 'not-a-url',
      SESSION_SECRET: SECRET,
    });
    const named = problems.map((p) => p.split(':')[0]).sort();
    expect(named).toEqual(['DATABASE_URL', 'LOG_LEVEL', 'PORT', 'PUBLIC_URL', 'SMTP_URL']);
  });

  it('puts every problem in the error message, one per line', () => {
    expect(() => loadConfig({ KITH_DATA_DIR: dataDir(), PORT: 'abc', LOG_LEVEL: 'loud' })).toThrow(
      /2 problem\(s\):\n {2}- .*\n {2}- /,
    );
  });

  it('never echoes a secret or URL value back', () => {
    const [problem] = problemsOf({ DATABASE_URL: 'mysql://root:hunter2@db/kith', SESSION_SECRET: SECRET });
    expect(problem).not.toContain('hunter2');
  });
});

describe('the session secret', () => {
  it('is required with DATABASE_URL', () => {
    const problems = problemsOf({ DATABASE_URL: 'postgres://kith@db/kith' });
    expect(problems).toEqual([expect.stringMatching(/^SESSION_SECRET: .*required when DATABASE_URL is set/)]);
  });

  it('must be at least 32 characters', () => {
    expect(problemsOf({ SESSION_SECRET: 'short' })).toEqual([
      expect.stringMatching(/^SESSION_SECRET: .*at least 32/),
    ]);
  });

  it('is generated on the first embedded start, kept in KITH_DATA_DIR/session-secret (0600) and the same on the next load', () => {
    const dir = join(dataDir(), 'not-yet-created');
    const first = loadConfig({ KITH_DATA_DIR: dir });
    expect(first.sessionSecret).toMatch(/^[0-9a-f]{64}$/);
    const file = join(dir, 'session-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(loadConfig({ KITH_DATA_DIR: dir }).sessionSecret).toBe(first.sessionSecret);
    // Another install gets its own secret.
    expect(loadConfig({ KITH_DATA_DIR: dataDir() }).sessionSecret).not.toBe(first.sessionSecret);
  });

  it('uses SESSION_SECRET when given, without writing a file', () => {
    const dir = dataDir();
    expect(loadConfig({ KITH_DATA_DIR: dir, SESSION_SECRET: SECRET }).sessionSecret).toBe(SECRET);
    expect(() => statSync(join(dir, 'session-secret'))).toThrow();
  });
});

describe('production', () => {
  it('refuses the embedded database, saying PGlite does not fsync', () => {
    const problems = problemsOf({ NODE_ENV: 'production' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^DATABASE_URL: /);
    expect(problems[0]).toMatch(/PGlite database does not fsync/);
    expect(problems[0]).toContain('KITH_ALLOW_EMBEDDED_IN_PRODUCTION=yes');
  });

  it('allows the embedded database with KITH_ALLOW_EMBEDDED_IN_PRODUCTION=yes', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      KITH_ALLOW_EMBEDDED_IN_PRODUCTION: 'yes',
      KITH_DATA_DIR: dataDir(),
    });
    expect(config.env).toBe('production');
    expect(config.database.kind).toBe('pglite');
  });

  it('starts on PostgreSQL', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://kith@db/kith',
      SESSION_SECRET: SECRET,
    });
    expect(config.database.kind).toBe('postgres');
  });
});

describe('cookies and the public URL', () => {
  it('sets Secure cookies when PUBLIC_URL is https, without its trailing slash', () => {
    const config = loadConfig({ KITH_DATA_DIR: dataDir(), PUBLIC_URL: 'https://kith.example.org/' });
    expect(config.secureCookies).toBe(true);
    expect(config.publicUrl).toBe('https://kith.example.org');
  });

  it('does not set Secure cookies when PUBLIC_URL is http', () => {
    expect(
      loadConfig({ KITH_DATA_DIR: dataDir(), PUBLIC_URL: 'http://kith.internal:8080' }).secureCookies,
    ).toBe(false);
  });

  it('treats an upper-case HTTPS scheme as https', () => {
    expect(
      loadConfig({ KITH_DATA_DIR: dataDir(), PUBLIC_URL: 'HTTPS://kith.example.org' }).secureCookies,
    ).toBe(true);
  });
});
