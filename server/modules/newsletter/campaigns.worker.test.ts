import { type ChildProcess, spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../test/database.ts';
import { buildUser, type Client, signIn, type TestContext } from '../../test/harness.ts';
import type { TestSmtp } from '../../test/smtp.ts';
import { seedActiveSubscribers, startNewsletterApp, TEST_PUBLIC_URL } from './newsletter.fixtures.ts';
import { newsletterDeliveries, newsletterIssues, newsletterLists } from './newsletter.tables.ts';

/*
 * Issues sent by the job queue's workers, and what happens when a worker stops half-way: stopped (SIGTERM,
 * a deploy) it finishes the messages in hand; killed (SIGKILL, a crash) it leaves at most the messages it was
 * handing over in doubt, which are never sent again. Either way the next worker resumes, and nobody receives
 * the issue twice.
 */

const MAIN = join(import.meta.dirname, '../../main.ts');

let smtp: TestSmtp;
let t: TestContext;
let admin: Client;
let org: Awaited<ReturnType<typeof buildUser>>['organization'];
let list: string;
let seeded = 0;

/** Every recipient's address as the SMTP server received it (one entry per message). */
const receivedBy = (subject: string) =>
  smtp.received
    .filter((m) => m.subject === subject)
    .map((m) => (Array.isArray(m.to) ? '' : (m.to?.value[0]?.address ?? '').toLowerCase()));

async function issueTo(count: number, subject: string) {
  const prefix = `w${++seeded}x${Date.now().toString(36)}`;
  await seedActiveSubscribers(t, org.id, list, count, prefix);
  const created = await admin.post('/api/newsletter/issues', {
    subject,
    bodyMarkdown: `## ${subject}\n\nNews for caregivers.`,
    listIds: [list],
    ratePerMinute: 60_000,
  });
  expect(created.statusCode, created.body).toBe(201);
  const issue = created.json();
  const addresses = Array.from({ length: count }, (_, i) => `${prefix}-${i + 1}@readers.example`);
  return { issue, addresses };
}

const send = async (issue: { id: string; version: number }) => {
  const res = await admin.post(`/api/newsletter/issues/${issue.id}/send`, { version: issue.version });
  expect(res.statusCode, res.body).toBe(200);
};

const deliveryCounts = async (issueId: string) => {
  const rows = await t.database.db
    .select({ status: newsletterDeliveries.status })
    .from(newsletterDeliveries)
    .where(eq(newsletterDeliveries.issueId, issueId));
  const counts: Record<string, number> = {};
  for (const r of rows) counts[r.status] = (counts[r.status] ?? 0) + 1;
  return counts;
};

const issueStatus = async (issueId: string) =>
  (await t.database.db.select().from(newsletterIssues).where(eq(newsletterIssues.id, issueId)))[0]!.status;

/** How many messages each address received; every address of the audience appears, with 0 if none. */
function tally(addresses: string[], received: string[]) {
  const counts = new Map(addresses.map((a) => [a, 0]));
  for (const to of received) counts.set(to, (counts.get(to) ?? 0) + 1);
  return counts;
}

let stop: () => Promise<void>;
beforeAll(async () => {
  ({ t, smtp, close: stop } = await startNewsletterApp({ NEWSLETTER_LEASE_SECONDS: '5' }));
  const user = await buildUser(t, { role: 'admin', totpSecret: generateSecret() });
  org = user.organization;
  admin = await signIn(t, user);
});
afterAll(() => stop());
beforeEach(async () => {
  const [made] = await t.database.db
    .insert(newsletterLists)
    .values({ organizationId: org.id, slug: `w-${++seeded}`, name: `Worker list ${seeded}` })
    .returning();
  list = made!.id;
});

describe(`sending through the job queue (${testEngine})`, () => {
  it('sends an issue on the worker, and resumes after the worker is stopped half-way', {
    timeout: 120_000,
  }, async () => {
    const { issue, addresses } = await issueTo(600, 'Worker issue, stopped and started');
    await send(issue);
    // Sending started this process's queue for sending only; it becomes a worker now.
    await t.app.kith.jobs.stop();
    await t.app.kith.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
    await expect
      .poll(() => receivedBy(issue.subject).length, { timeout: 60_000, interval: 20 })
      .toBeGreaterThan(100);
    await t.app.kith.jobs.stop();

    // A planned stop finishes the messages in hand: nothing is left in doubt, and the issue waits.
    const stopped = await deliveryCounts(issue.id);
    expect(stopped.sending ?? 0).toBe(0);
    expect(stopped.unknown ?? 0).toBe(0);
    expect(stopped.sent).toBe(receivedBy(issue.subject).length);
    expect(stopped.pending).toBeGreaterThan(0);
    expect(await issueStatus(issue.id)).toBe('sending');

    // The next worker to start finds the issue (its start-up dispatch) and finishes it.
    await t.app.kith.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
    await expect.poll(() => issueStatus(issue.id), { timeout: 60_000 }).toBe('sent');
    await t.app.kith.jobs.stop();
    const counts = tally(addresses, receivedBy(issue.subject));
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(await deliveryCounts(issue.id)).toEqual({ sent: 600 });
  });
});

describe.skipIf(testEngine !== 'postgres')(
  'a worker process stopped, then killed, half-way (PostgreSQL)',
  () => {
    const workers: ChildProcess[] = [];
    afterAll(() => {
      for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    });

    /** `kith worker` on the test's database and SMTP server, as a deployment runs it. */
    function startWorker() {
      const child = spawn(process.execPath, [MAIN, 'worker'], {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: tmpdir(),
          NODE_ENV: 'test',
          LOG_LEVEL: 'warn',
          DATABASE_URL: t.database.url!,
          SESSION_SECRET: t.config.sessionSecret,
          SMTP_URL: smtp.url,
          PUBLIC_URL: TEST_PUBLIC_URL,
          NEWSLETTER_LEASE_SECONDS: '5',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      workers.push(child);
      let stderr = '';
      child.stderr!.on('data', (c) => {
        stderr += c;
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      );
      return { child, exited, stderr: () => stderr };
    }

    it('sends to 5,000 subscribers across three workers, and each receives the issue at most once', {
      timeout: 300_000,
    }, async () => {
      const { issue, addresses } = await issueTo(5000, 'Five thousand readers');
      await send(issue);
      const got = () => receivedBy(issue.subject).length;

      // The first worker is stopped (SIGTERM) after about 1,500: it finishes what it holds and exits cleanly.
      const first = startWorker();
      await expect.poll(got, { timeout: 120_000, interval: 20 }).toBeGreaterThanOrEqual(1500);
      first.child.kill('SIGTERM');
      expect(await first.exited).toEqual({ code: 0, signal: null });
      expect(first.stderr()).toBe('');
      const afterStop = await deliveryCounts(issue.id);
      expect(afterStop.sending ?? 0).toBe(0);
      expect(afterStop.unknown ?? 0).toBe(0);
      expect(afterStop.sent).toBe(got());
      expect(got()).toBeLessThan(5000);

      // The second is killed (SIGKILL) after about 3,500, in the middle of whatever it was doing.
      const second = startWorker();
      await expect.poll(got, { timeout: 120_000, interval: 10 }).toBeGreaterThanOrEqual(3500);
      second.child.kill('SIGKILL');
      expect((await second.exited).signal).toBe('SIGKILL');
      expect(got()).toBeLessThan(5000);

      // The third starts once the dead worker's lease has run out, and finishes the issue.
      await new Promise((r) => setTimeout(r, 5_500));
      const third = startWorker();
      await expect.poll(() => issueStatus(issue.id), { timeout: 120_000 }).toBe('sent');
      third.child.kill('SIGTERM');
      expect(await third.exited).toEqual({ code: 0, signal: null });

      const final = await deliveryCounts(issue.id);
      const counts = tally(addresses, receivedBy(issue.subject));
      // Nobody received it twice, and nobody outside the audience received it.
      expect(Math.max(...counts.values())).toBe(1);
      expect(counts.size).toBe(5000);
      // At most the messages in the killed worker's hands (its SMTP pool's 4) are in doubt; every other
      // recipient was sent the issue and received it exactly once.
      const unknown = final.unknown ?? 0;
      expect(unknown).toBeLessThanOrEqual(4);
      expect(final).toEqual({ sent: 5000 - unknown, ...(unknown ? { unknown } : {}) });
      const doubtful = await t.database.db
        .select({ email: newsletterDeliveries.email, status: newsletterDeliveries.status })
        .from(newsletterDeliveries)
        .where(eq(newsletterDeliveries.issueId, issue.id));
      for (const row of doubtful) {
        if (row.status === 'sent') expect(counts.get(row.email)).toBe(1);
      }
      const missing = [...counts.values()].filter((n) => n === 0).length;
      expect(missing).toBeLessThanOrEqual(unknown);
    });
  },
);
