import { parseArgs } from 'node:util';
import { ROLES, type Role } from '../../domain/roles.ts';
import { Email } from '../../domain/schemas/common.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { backupDatabase, restoreDatabase } from '../db/backup.ts';
import type { Database } from '../db/client.ts';
import { EmbeddedDatabaseBusy } from '../db/embedded-lock.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { verifyAuditChain } from '../platform/audit/audit.service.ts';
import { assertAcceptablePassword } from '../platform/auth/passwords.ts';
import { AppError } from '../platform/errors.ts';
import { AUDIT_CHAIN_LANES } from '../platform/platform.tables.ts';
import { createUser, ensureOrganization, findUserByEmail, issueApiToken } from '../platform/users.service.ts';

const USAGE = `Usage: npm run kith -- <command> [options]

  create-user --email E --password P --role R [--name N] [--org SLUG] [--service]
        Creates a user (the organisation SLUG, default "default", is created when missing).
        Roles: ${ROLES.join(', ')}. --service creates an integration account with no password.
  create-token --email E --name N [--expires-in-days D]
        Issues an API token for the user and prints it once.
  audit verify
        Checks the audit log's hash chain, lane by lane; exits 1 naming the first broken record.
  backup FILE      Writes a backup of the database to FILE.
  restore FILE     Replaces the database with the backup in FILE.
  migrate          Applies pending database migrations.
  resources import PATH [--source NAME] [--org SLUG]
        Imports an Open Referral HSDS directory: a datapackage (CSV files with datapackage.json) or HSDS 3.0
        JSON. Reports rows read, created, updated and rejected; running it again updates in place.
  resources export DIR [--source NAME] [--org SLUG]
        Writes the directory back as an HSDS 3.0 datapackage (CSV + datapackage.json).
  mllp             Runs the HL7 v2 ADT feed's MLLP listener alone (HL7_PORT, default 2575), beside the
                   server on the same PostgreSQL database; stops on SIGTERM after answering messages in hand.
  worker           Works the job queues (reminders, notification emails) without serving HTTP,
                   beside the server on the same PostgreSQL database; stops on SIGTERM.
`;

const cliOrigin = { ip: null, userAgent: 'kith-cli' };

async function withDatabase<T>(fn: (database: Database) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(loadConfig());
  try {
    return await fn(database);
  } finally {
    await database.close();
  }
}

async function createUserCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      org: { type: 'string', default: 'default' },
      service: { type: 'boolean', default: false },
    },
  });
  const email = Email.safeParse(values.email ?? '');
  if (!email.success) return fail('--email must be a valid email address');
  if (!values.role || !ROLES.includes(values.role as Role))
    return fail(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.service && !values.password)
    return fail('--password is required (or --service for an integration account)');
  // Refuse a weak password before touching the database.
  if (values.password) assertAcceptablePassword(values.password, 'password', email.data);
  return withDatabase(async ({ db }) => {
    const org = await ensureOrganization(db, values.org!);
    const user = await createUser(
      db,
      {
        organizationId: org.id,
        email: email.data,
        displayName: values.name ?? email.data,
        role: values.role as Role,
        kind: values.service ? 'service' : 'person',
        password: values.password,
      },
      { actor: null, origin: cliOrigin },
    );
    console.log(
      `created ${user.kind === 'service' ? 'service account' : 'user'} ${user.email} (${user.role}) in organisation "${org.slug}"`,
    );
    return 0;
  });
}

async function createTokenCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, 'expires-in-days': { type: 'string' } },
  });
  if (!values.email || !values.name) return fail('--email and --name are required');
  const days = values['expires-in-days'] ? Number.parseInt(values['expires-in-days'], 10) : undefined;
  if (days !== undefined && !(days > 0)) return fail('--expires-in-days must be a positive number');
  return withDatabase(async ({ db }) => {
    const user = await findUserByEmail(db, values.email!);
    if (!user) return fail(`no user with the email ${values.email}`);
    const { token } = await issueApiToken(
      db,
      { organizationId: user.organizationId, userId: user.id, name: values.name!, expiresInDays: days },
      { actor: null, origin: cliOrigin },
    );
    console.log(token);
    console.error(
      'This token is shown once: keep it in your secret store. Send it as "Authorization: Bearer <token>".',
    );
    return 0;
  });
}

async function auditVerifyCommand(): Promise<number> {
  return withDatabase(async ({ db }) => {
    const verdict = await verifyAuditChain(db);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.checked} records verified in ${AUDIT_CHAIN_LANES} lanes`);
      return 0;
    }
    const { seq, id, chain, chainSeq, reason } = verdict.broken;
    const where =
      seq === null
        ? `in lane ${chain}`
        : `at record ${seq} (record ${chainSeq} of lane ${chain}${id ? `, id ${id}` : ''})`;
    console.error(
      `audit chain BROKEN ${where}: ${reason}. ${verdict.checked} records checked before it, lane by lane, are intact.`,
    );
    return 1;
  });
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'create-user':
      return createUserCommand(rest);
    case 'create-token':
      return createTokenCommand(rest);
    case 'audit':
      if (rest[0] !== 'verify') return fail(USAGE);
      return auditVerifyCommand();
    case 'backup':
      if (!rest[0]) return fail('backup needs a FILE');
      await backupDatabase(loadConfig(), rest[0]);
      console.log(`backup written to ${rest[0]}`);
      return 0;
    case 'restore': {
      if (!rest[0]) return fail('restore needs a FILE');
      const { keptAs } = await restoreDatabase(loadConfig(), rest[0]);
      console.log(`restored from ${rest[0]}${keptAs ? `; the previous database is kept in ${keptAs}` : ''}`);
      return 0;
    }
    case 'resources': {
      const { resourcesCommand } = await import('./resources.ts');
      return resourcesCommand(rest);
    }
    case 'worker': {
      const { runWorker } = await import('../worker.ts');
      await runWorker();
      return 0;
    }
    case 'mllp': {
      const { runMllp } = await import('./mllp.ts');
      await runMllp();
      return 0;
    }
    case 'migrate':
      return withDatabase(async () => {
        console.log('migrations applied');
        return 0;
      });
    default:
      console.log(USAGE);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  if (error instanceof AppError) {
    const fields = Array.isArray(error.extra.errors)
      ? error.extra.errors
          .map((e: { field: string; message: string }) => ` ${e.field} ${e.message}.`)
          .join('')
      : '';
    console.error(`${error.title}.${fields}`);
  } else if (error instanceof ConfigError || error instanceof EmbeddedDatabaseBusy) {
    console.error(error.message);
  } else {
    console.error(error instanceof Error ? error.message : String(error));
  }
  process.exitCode = 1;
}
