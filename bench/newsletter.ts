// npm run bench -- newsletter: sending one newsletter issue to a large audience (issue 7).
//
// 1. A fresh database (`kith_bench_newsletter` on the server of BENCH_DATABASE_URL / DATABASE_URL, else PGlite
//    in a temporary directory) with one organisation, one list and BENCH_NEWSLETTER_SUBSCRIBERS active
//    subscribers (default 20,000).
// 2. A real SMTP server in this process (smtp-server) that accepts every message and counts it.
// 3. One issue at the highest rate allowed (60,000 per minute), sent by the worker's own code
//    (sendIssueSlice) slice after slice until it is `sent`, as one worker would.
// Prints one JSON line: the time to fix the audience, messages/s, statements per message, outcomes.
import { cpus, tmpdir } from 'node:os';
import { eq } from 'drizzle-orm';
import pino from 'pino';
import { SMTPServer } from 'smtp-server';
import { MAX_SEND_RATE_PER_MINUTE } from '../domain/newsletter.ts';
import { loadConfig } from '../server/config.ts';
import { sendIssueSlice } from '../server/modules/newsletter/campaign.sender.ts';
import {
  newsletterDeliveries,
  newsletterIssues,
  newsletterLists,
} from '../server/modules/newsletter/newsletter.tables.ts';
import { createMailer } from '../server/platform/mail.ts';
import { organizations } from '../server/platform/platform.tables.ts';
import { freshTarget, open } from './adt.ts';
import { note } from './replay.ts';

const SUBSCRIBERS = Number(process.env.BENCH_NEWSLETTER_SUBSCRIBERS ?? 20_000);

export async function runNewsletterBench(): Promise<void> {
  const target = await freshTarget('kith_bench_newsletter');
  let statements = 0;
  const database = await open(target, () => {
    statements++;
  });
  let accepted = 0;
  const smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      stream.on('data', () => {});
      stream.on('end', () => {
        accepted++;
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as { port: number }).port;
  try {
    await database.migrate();
    const [org] = await database.db
      .insert(organizations)
      .values({ slug: 'bench-news', name: 'Riverside (bench)' })
      .returning();
    const [list] = await database.db
      .insert(newsletterLists)
      .values({ organizationId: org!.id, slug: 'caregivers', name: 'Caregivers' })
      .returning();
    note(`newsletter: seeding ${SUBSCRIBERS} subscribers (${target.kind})`);
    await database.query(
      `with made as (
         insert into newsletter_subscribers (id, organization_id, email, status, consent_text, consent_at, confirmed_at)
         select gen_random_uuid(), $1, 'reader-' || n || '@readers.example', 'active', 'bench', now(), now()
         from generate_series(1, $3::int) n returning id)
       insert into newsletter_subscriptions (subscriber_id, list_id) select id, $2 from made`,
      [org!.id, list!.id, SUBSCRIBERS],
    );
    const [issue] = await database.db
      .insert(newsletterIssues)
      .values({
        organizationId: org!.id,
        subject: 'Caregiver news (bench)',
        bodyMarkdown:
          '## This month\n\nThe **caregiver support group** meets on Tuesdays at 6 pm in the family room.\n\n- Respite care\n- Benefits clinic\n\n[Our services](https://example.org/services)',
        listIds: [list!.id],
        status: 'sending',
        scheduledAt: new Date(),
        ratePerMinute: MAX_SEND_RATE_PER_MINUTE,
      })
      .returning();

    const config = loadConfig({
      NODE_ENV: 'test',
      KITH_DATA_DIR: tmpdir(),
      SESSION_SECRET: 'bench-session-secret-0123456789abcdefghijkl',
      PUBLIC_URL: 'https://kith.bench.example',
      SMTP_URL: `smtp://127.0.0.1:${port}`,
    });
    const logger = pino({ level: 'silent' });
    const mailer = createMailer(database.db, config.smtpUrl, config.mailFrom, logger);
    const ctx = {
      config,
      database,
      mailer,
      logger,
      // Each slice asks for the next through the queue; here the loop below is the next.
      jobs: { send: async () => null } as never,
      signal: new AbortController().signal,
    };

    let t0 = performance.now();
    await sendIssueSlice(ctx, issue!.id, { sliceMs: 0 });
    const audienceMs = performance.now() - t0;
    const before = statements;
    t0 = performance.now();
    let slices = 0;
    for (;;) {
      slices++;
      const result = await sendIssueSlice(ctx, issue!.id);
      if (result === 'finished') break;
      if (result !== 'paused') throw new Error(`slice ended ${result}`);
    }
    const seconds = (performance.now() - t0) / 1000;
    const rows = await database.db
      .select({ status: newsletterDeliveries.status })
      .from(newsletterDeliveries)
      .where(eq(newsletterDeliveries.issueId, issue!.id));
    const outcomes: Record<string, number> = {};
    for (const r of rows) outcomes[r.status] = (outcomes[r.status] ?? 0) + 1;
    mailer.close();
    const line = {
      scenario: 'newsletter.send',
      engine: target.kind,
      cores: cpus().length,
      subscribers: SUBSCRIBERS,
      audienceFixedMs: Math.round(audienceMs),
      slices,
      seconds: Math.round(seconds * 10) / 10,
      messagesPerSecond: Math.round(SUBSCRIBERS / seconds),
      rateCapPerSecond: MAX_SEND_RATE_PER_MINUTE / 60,
      statementsPerMessage: Math.round(((statements - before) / SUBSCRIBERS) * 100) / 100,
      smtpAccepted: accepted,
      outcomes,
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await database.close();
    await target.drop();
  }
}
