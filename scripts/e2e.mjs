// End-to-end run: build the web app when stale, create test users with the CLI, start a server on a
// free port with a throw-away data directory, run the Playwright specs against it, clean up.
// Run with `npm run test:e2e` (extra arguments go to Playwright, e.g. `-- e2e/auth`).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const ORG = 'e2e-hospital';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})`);
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolvePort(port));
    });
  });
}

async function waitForReady(baseUrl, server, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`the server exited early (${server.exitCode})`);
    try {
      const response = await fetch(`${baseUrl}/api/ready`);
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s`);
}

function stop(server) {
  return new Promise((resolveStop) => {
    if (server.exitCode !== null || server.signalCode !== null) return resolveStop();
    const force = setTimeout(() => server.kill('SIGKILL'), 15_000);
    server.once('exit', () => {
      clearTimeout(force);
      resolveStop();
    });
    server.kill('SIGTERM');
  });
}

const password = () => `e2e-${randomBytes(12).toString('base64url')}`;
const users = {
  newAdmin: { name: 'Nadia Admin', email: 'new.admin@e2e.kith.test', password: password(), role: 'admin' },
  auditAdmin: {
    name: 'Aaron Auditor',
    email: 'audit.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  socialWorker: {
    name: 'Sam Rivera',
    email: 'sam.worker@e2e.kith.test',
    password: password(),
    role: 'social_worker',
  },
  otherWorker: {
    name: 'Olu Bakare',
    email: 'olu.worker@e2e.kith.test',
    password: password(),
    role: 'social_worker',
  },
  tokenAdmin: {
    name: 'Tara Integrations',
    email: 'token.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  supervisor: {
    name: 'Grace Supervisor',
    email: 'grace.supervisor@e2e.kith.test',
    password: password(),
    role: 'supervisor',
  },
  accountWorker: {
    name: 'Ana Account',
    email: 'ana.worker@e2e.kith.test',
    password: password(),
    role: 'social_worker',
  },
  clinician: {
    name: 'Chris Clinician',
    email: 'chris.clinician@e2e.kith.test',
    password: password(),
    role: 'clinician',
  },
  caseWorker: {
    name: 'Wen Casework',
    email: 'wen.worker@e2e.kith.test',
    password: password(),
    role: 'social_worker',
  },
  directoryAdmin: {
    name: 'Dana Directory',
    email: 'dana.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  referralAdmin: {
    name: 'Rafa Referrals',
    email: 'rafa.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  handoutAdmin: {
    name: 'Hana Handout',
    email: 'hana.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  placementAdmin: {
    name: 'Paz Placement',
    email: 'paz.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  hl7Admin: { name: 'Hal Seven', email: 'hal.admin@e2e.kith.test', password: password(), role: 'admin' },
  adtStoryAdmin: { name: 'Ada Feed', email: 'ada.admin@e2e.kith.test', password: password(), role: 'admin' },
  triggersAdmin: {
    name: 'Tia Triggers',
    email: 'tia.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  siteAdmin: {
    name: 'Sita Website',
    email: 'sita.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  newsletterAdmin: {
    name: 'Nell Letters',
    email: 'nell.admin@e2e.kith.test',
    password: password(),
    role: 'admin',
  },
  partner: {
    name: 'Pat Pantry',
    email: 'pat.partner@e2e.kith.test',
    password: password(),
    role: 'community_partner',
  },
};

/**
 * A real SMTP server on loopback that writes each message it receives to `dir` as an .eml file: the server
 * sends its mail through it, and specs read it (e2e/support/mail.ts) as a person reads their inbox.
 */
function startMailSink(dir) {
  const sink = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      const chunks = [];
      stream.on('data', (chunk) => chunks.push(chunk));
      stream.on('end', () => {
        writeFileSync(
          join(dir, `${Date.now()}-${randomBytes(4).toString('hex')}.eml`),
          Buffer.concat(chunks),
        );
        callback();
      });
    },
  });
  return new Promise((resolveSink) =>
    sink.listen(0, '127.0.0.1', () =>
      resolveSink({ sink, url: `smtp://127.0.0.1:${sink.server.address().port}` }),
    ),
  );
}

async function main() {
  const built = join(root, 'dist/web/index.html');
  const sources = Math.max(
    newestMtime(join(root, 'app')),
    newestMtime(join(root, 'domain')),
    statSync(join(root, 'vite.config.ts')).mtimeMs,
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    console.log('e2e: building the web app');
    // Vite directly: the build is the same whatever the package.json script is named.
    run(process.execPath, [join(root, 'node_modules/vite/bin/vite.js'), 'build']);
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'kith-e2e-'));
  const mailDir = mkdtempSync(join(tmpdir(), 'kith-e2e-mail-'));
  const mail = await startMailSink(mailDir);
  // Every browser of the suite signs in from 127.0.0.1: lift the per-IP limit that protects real deployments.
  const serverEnv = {
    KITH_DATA_DIR: dataDir,
    KITH_SEED_DEMO: 'no',
    LOG_LEVEL: 'warn',
    SIGN_IN_RATE_LIMIT: '1000',
    SMTP_URL: mail.url,
  };
  let server;
  let status = 1;
  try {
    // The embedded database is single-process: create the users before the server holds it.
    for (const user of Object.values(users)) {
      const args = [
        'create-user',
        '--email',
        user.email,
        '--password',
        user.password,
        '--role',
        user.role,
        '--name',
        user.name,
        '--org',
        ORG,
      ];
      run(npm, ['run', '--silent', 'kith', '--', ...args], serverEnv);
    }

    const port = await freePort();
    const hl7Port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`e2e: starting the server on ${baseUrl} with data in ${dataDir}`);
    server = spawn(process.execPath, ['server/main.ts', 'serve'], {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        ...serverEnv,
        PORT: String(port),
        HL7_PORT: String(hl7Port),
        HOST: '127.0.0.1',
        PUBLIC_URL: baseUrl,
      },
    });
    await waitForReady(baseUrl, server);

    // Not spawnSync: the mail sink lives in this process and must keep answering while the specs run.
    const specs = spawn(
      join(root, 'node_modules/.bin/playwright'),
      ['test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: 'inherit',
        env: {
          ...process.env,
          KITH_E2E_BASE_URL: baseUrl,
          KITH_E2E_HL7_PORT: String(hl7Port),
          KITH_E2E_USERS: JSON.stringify(users),
          KITH_E2E_MAIL_DIR: mailDir,
        },
      },
    );
    status = await new Promise((resolveSpecs) => {
      specs.on('exit', (code) => resolveSpecs(code ?? 1));
      specs.on('error', () => resolveSpecs(1));
    });
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : error}`);
    status = 1;
  } finally {
    if (server) await stop(server);
    mail.sink.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(mailDir, { recursive: true, force: true });
  }
  process.exit(status);
}

await main();
