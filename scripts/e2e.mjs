// End-to-end run: build the web app when stale, create test users with the CLI, start a server on a
// free port with a throw-away data directory, run the Playwright specs against it, clean up.
// Run with `npm run test:e2e` (extra arguments go to Playwright, e.g. `-- e2e/auth`).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
};

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
  // Every browser of the suite signs in from 127.0.0.1: lift the per-IP limit that protects real deployments.
  const serverEnv = {
    KITH_DATA_DIR: dataDir,
    KITH_SEED_DEMO: 'no',
    LOG_LEVEL: 'warn',
    SIGN_IN_RATE_LIMIT: '1000',
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
    const baseUrl = `http://127.0.0.1:${port}`;
    console.log(`e2e: starting the server on ${baseUrl} with data in ${dataDir}`);
    server = spawn(process.execPath, ['server/main.ts', 'serve'], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...serverEnv, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: baseUrl },
    });
    await waitForReady(baseUrl, server);

    const specs = spawnSync(
      join(root, 'node_modules/.bin/playwright'),
      ['test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)],
      {
        cwd: root,
        stdio: 'inherit',
        env: { ...process.env, KITH_E2E_BASE_URL: baseUrl, KITH_E2E_USERS: JSON.stringify(users) },
      },
    );
    status = specs.status ?? 1;
  } catch (error) {
    console.error(`e2e: ${error instanceof Error ? error.message : error}`);
    status = 1;
  } finally {
    if (server) await stop(server);
    rmSync(dataDir, { recursive: true, force: true });
  }
  process.exit(status);
}

await main();
