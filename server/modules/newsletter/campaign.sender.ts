import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, inArray, sql } from 'drizzle-orm';
import { DELIVERY_MAX_ATTEMPTS, DELIVERY_RETRY_MINUTES } from '../../../domain/newsletter.ts';
import type { Db } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { defineJob, type JobContext } from '../../platform/jobs.ts';
import type { DeliveryOutcome } from '../../platform/mail.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { progressOf } from './issue.progress.ts';
import {
  issueBodyHtml,
  type MailOrganization,
  newsletterEmail,
  prepareIssueMail,
} from './newsletter.mail.ts';
import {
  newsletterDeliveries,
  newsletterIssues,
  newsletterSubscribers,
  newsletterSubscriptions,
  newsletterSuppressions,
} from './newsletter.tables.ts';
import { emailHash } from './subscriptions.service.ts';

/*
 * Sending an issue (issue 7), on the worker. The database holds the truth; the job queue only says "look at
 * this issue now".
 *
 * - One worker at a time sends an issue: it holds a lease on the issue row (`sender_id`, `lease_until`),
 *   renews it while it works, and gives it up when its slice of time ends. A worker that dies keeps it until
 *   the lease runs out (NEWSLETTER_LEASE_SECONDS); then any worker takes over.
 * - The first worker fixes the audience: one delivery row per active subscriber of the issue's lists.
 * - A recipient is marked `sending` (committed) before its message is handed to SMTP, and `sent` (with the
 *   server's reply), `failed`, or back to `pending` for a retry, right after. A worker that takes over an
 *   issue and finds rows still `sending` cannot know whether those arrived: it marks them `unknown` and does
 *   not send them again, so that nobody ever receives an issue twice. A worker stopped with SIGTERM finishes
 *   the messages in hand first, so a planned stop leaves no `unknown`.
 * - Just before sending, each recipient is checked again: still active, still on one of the lists, not
 *   suppressed. Those who left meanwhile are `skipped`.
 * - Messages leave at the issue's rate (per minute), over the mailer's small pool of SMTP connections.
 * - A 4xx reply or a lost connection is temporary: the recipient is tried again later, up to
 *   DELIVERY_MAX_ATTEMPTS. A lost connection also ends the slice (the next message would fare no better).
 * - When no recipient is pending or sending, the issue is `sent` and appears in the public archive.
 */

export const SEND_ISSUE_JOB = 'newsletter.send-issue';
export const DISPATCH_JOB = 'newsletter.dispatch';

/** How long one job sends before it hands over to the next (keeps jobs short and the queue fair). */
const SLICE_MS = 50_000;
/** Recipients read per round trip. */
const BATCH = 100;
/** Messages in flight at once (the mailer's bulk pool has as many connections). */
const PARALLEL = 4;

type SenderContext = Pick<JobContext, 'config' | 'database' | 'mailer' | 'logger' | 'jobs' | 'signal'>;

export type SliceResult =
  /** Every recipient was handled; the issue is `sent`. */
  | 'finished'
  /** Work remains (time up, retries waiting, SMTP unreachable, or the worker is stopping). */
  | 'paused'
  /** Another worker holds the lease. */
  | 'busy'
  /** Nothing to send: not due, cancelled, already sent, or unknown. */
  | 'idle'
  /** The lease was lost while sending (the issue was cancelled, or the lease ran out). */
  | 'stopped';

interface Claim {
  issue: typeof newsletterIssues.$inferSelect;
  organization: MailOrganization;
  /** Rows found `sending` from a worker that had died. */
  unknown: number;
}

/** Takes the issue's lease if it is due and free; the first taker fixes the audience. */
async function claim(
  db: Db,
  issueId: string,
  senderId: string,
  leaseSeconds: number,
): Promise<Claim | SliceResult> {
  return db.transaction(async (tx) => {
    const [issue] = await tx
      .select()
      .from(newsletterIssues)
      .where(eq(newsletterIssues.id, issueId))
      .for('update');
    if (!issue) return 'idle';
    const now = new Date();
    if (issue.status === 'scheduled') {
      if (!issue.scheduledAt || issue.scheduledAt > now) return 'idle';
    } else if (issue.status !== 'sending') {
      return 'idle';
    }
    if (issue.leaseUntil && issue.leaseUntil > now) return 'busy';
    const [organization] = await tx
      .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
      .from(organizations)
      .where(eq(organizations.id, issue.organizationId));
    const [claimed] = await tx
      .update(newsletterIssues)
      .set({
        status: 'sending',
        startedAt: issue.startedAt ?? now,
        senderId,
        leaseUntil: new Date(now.getTime() + leaseSeconds * 1000),
      })
      .where(eq(newsletterIssues.id, issueId))
      .returning();
    let unknown = 0;
    if (!issue.startedAt) {
      if (issue.listIds.length) {
        await tx.execute(sql`
          insert into ${newsletterDeliveries} (id, organization_id, issue_id, subscriber_id, email)
          select gen_random_uuid(), s.organization_id, ${issue.id}, s.id, s.email
          from ${newsletterSubscribers} s
          where s.organization_id = ${issue.organizationId} and s.status = 'active'
            and exists (select 1 from ${newsletterSubscriptions} x
              where x.subscriber_id = s.id
                and x.list_id in (${sql.join(
                  issue.listIds.map((id) => sql`${id}::uuid`),
                  sql`, `,
                )}))
          on conflict (issue_id, subscriber_id) do nothing`);
      }
    } else {
      const doubtful = await tx
        .update(newsletterDeliveries)
        .set({
          status: 'unknown',
          lastError:
            'the worker stopped while handing it to SMTP; not sent again, so that it is never received twice',
          updatedAt: now,
        })
        .where(and(eq(newsletterDeliveries.issueId, issueId), eq(newsletterDeliveries.status, 'sending')))
        .returning({ id: newsletterDeliveries.id });
      unknown = doubtful.length;
    }
    return { issue: claimed!, organization: organization!, unknown };
  });
}

/** Hands out send times `60 000 / rate` ms apart; waits end early when the worker is stopping. */
function pacer(ratePerMinute: number, signal: AbortSignal) {
  const interval = 60_000 / ratePerMinute;
  let next = Date.now();
  return async () => {
    const at = next;
    next = Math.max(next, Date.now() - interval) + interval;
    const wait = at - Date.now();
    if (wait > 0) await sleep(wait, undefined, { signal }).catch(() => {});
  };
}

type DueRow = { id: string; subscriberId: string | null; email: string };

/** Why a recipient is no longer sent to (null: send). */
async function recheck(
  db: Db,
  issue: Claim['issue'],
  rows: DueRow[],
): Promise<Map<string, { tokenVersion: number } | string>> {
  const ids = rows.flatMap((r) => (r.subscriberId ? [r.subscriberId] : []));
  const subscribers = ids.length
    ? await db
        .select({
          id: newsletterSubscribers.id,
          email: newsletterSubscribers.email,
          status: newsletterSubscribers.status,
          tokenVersion: newsletterSubscribers.tokenVersion,
          onLists: sql<boolean>`exists (select 1 from ${newsletterSubscriptions}
            where ${newsletterSubscriptions.subscriberId} = ${newsletterSubscribers.id}
              and ${inArray(newsletterSubscriptions.listId, issue.listIds)})`,
        })
        .from(newsletterSubscribers)
        .where(inArray(newsletterSubscribers.id, ids))
    : [];
  const hashes = subscribers.map((s) => emailHash(s.email));
  const suppressed = new Set(
    hashes.length
      ? (
          await db
            .select({ hash: newsletterSuppressions.emailHash })
            .from(newsletterSuppressions)
            .where(
              and(
                eq(newsletterSuppressions.organizationId, issue.organizationId),
                inArray(newsletterSuppressions.emailHash, hashes),
              ),
            )
        ).map((r) => r.hash)
      : [],
  );
  const byId = new Map(subscribers.map((s) => [s.id, s]));
  const verdicts = new Map<string, { tokenVersion: number } | string>();
  for (const row of rows) {
    const s = row.subscriberId ? byId.get(row.subscriberId) : undefined;
    if (!s) verdicts.set(row.id, 'the subscriber was erased before it was sent');
    else if (s.status !== 'active') verdicts.set(row.id, 'unsubscribed before it was sent');
    else if (!s.onLists) verdicts.set(row.id, "left the issue's lists before it was sent");
    else if (suppressed.has(emailHash(s.email)))
      verdicts.set(row.id, 'the address is on the suppression list');
    else verdicts.set(row.id, { tokenVersion: s.tokenVersion });
  }
  return verdicts;
}

/** Writes what became of one recipient: sent, kept, failed for good, or pending again for a retry. */
async function record(db: Db, deliveryId: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
  const now = new Date();
  let set: Partial<typeof newsletterDeliveries.$inferInsert>;
  if (outcome.status === 'sent') {
    set = { status: 'sent', sentAt: now, lastError: null, nextAttemptAt: null };
  } else if (outcome.status === 'kept') {
    set = {
      status: 'kept',
      sentAt: now,
      lastError: 'no SMTP_URL is set: kept in the mail outbox',
      nextAttemptAt: null,
    };
  } else if (!outcome.temporary) {
    set = { status: 'failed', lastError: outcome.reply, nextAttemptAt: null };
  } else if (attempts >= DELIVERY_MAX_ATTEMPTS) {
    set = {
      status: 'failed',
      lastError: `${outcome.reply} (gave up after ${attempts} tries)`,
      nextAttemptAt: null,
    };
  } else {
    const minutes = DELIVERY_RETRY_MINUTES[Math.min(attempts, DELIVERY_RETRY_MINUTES.length) - 1]!;
    set = {
      status: 'pending',
      lastError: outcome.reply,
      nextAttemptAt: new Date(now.getTime() + minutes * 60_000),
    };
  }
  await db
    .update(newsletterDeliveries)
    .set({ ...set, updatedAt: now })
    .where(eq(newsletterDeliveries.id, deliveryId));
}

/**
 * One slice of sending an issue (see the module's comment): claims it, sends until the slice's time is up,
 * nothing is due, or the worker stops, then finishes the issue or hands it to the next job.
 */
export async function sendIssueSlice(
  ctx: SenderContext,
  issueId: string,
  opts: { sliceMs?: number } = {},
): Promise<SliceResult> {
  const { database, config, mailer, signal } = ctx;
  const db = database.db;
  const senderId = newId();
  const leaseMs = config.newsletter.leaseSeconds * 1000;
  const claimed = await claim(db, issueId, senderId, config.newsletter.leaseSeconds);
  if (typeof claimed === 'string') return claimed;
  const { issue, organization } = claimed;
  if (claimed.unknown)
    ctx.logger.warn(
      { issueId, unknown: claimed.unknown },
      'took over an issue: deliveries in doubt are not resent',
    );

  const prepared = prepareIssueMail(issue.subject, issueBodyHtml(issue.bodyMarkdown, config.publicUrl));
  const host = new URL(config.publicUrl).hostname;
  const deadline = Date.now() + (opts.sliceMs ?? SLICE_MS);
  const pace = pacer(issue.ratePerMinute, signal);
  let leaseRenewedAt = Date.now();
  let renewing: Promise<boolean> | null = null;
  let lost = false;
  let unreachable = false;

  /** Renews the lease once half of it is spent; false when it is no longer ours or the issue stopped. */
  const holdLease = async (): Promise<boolean> => {
    if (lost) return false;
    if (Date.now() - leaseRenewedAt < leaseMs / 2) return true;
    renewing ??= (async () => {
      const renewed = await db
        .update(newsletterIssues)
        .set({ leaseUntil: new Date(Date.now() + leaseMs) })
        .where(
          and(
            eq(newsletterIssues.id, issueId),
            eq(newsletterIssues.senderId, senderId),
            eq(newsletterIssues.status, 'sending'),
          ),
        )
        .returning({ id: newsletterIssues.id });
      leaseRenewedAt = Date.now();
      if (!renewed.length) lost = true;
      return !lost;
    })().finally(() => {
      renewing = null;
    });
    return renewing;
  };

  const keepGoing = () => !signal.aborted && !lost && !unreachable && Date.now() < deadline;

  const sendOne = async (row: DueRow, tokenVersion: number) => {
    await pace();
    if (!keepGoing() || !(await holdLease())) return;
    // Committed before the message leaves: a crash from here on leaves the row `sending`, never resent.
    const [marked] = await db
      .update(newsletterDeliveries)
      .set({ status: 'sending', attempts: sql`${newsletterDeliveries.attempts} + 1`, updatedAt: new Date() })
      .where(and(eq(newsletterDeliveries.id, row.id), eq(newsletterDeliveries.status, 'pending')))
      .returning({ attempts: newsletterDeliveries.attempts });
    if (!marked) return; // cancelled meanwhile
    const mail = newsletterEmail(
      config,
      organization,
      { id: row.subscriberId!, email: row.email, tokenVersion },
      prepared,
    );
    const outcome = await mailer.deliver({ ...mail, messageId: `<${row.id}@${host}>` });
    await record(db, row.id, marked.attempts, outcome);
    if (outcome.status === 'refused' && outcome.connection) unreachable = true;
  };

  while (keepGoing()) {
    const due: DueRow[] = await db
      .select({
        id: newsletterDeliveries.id,
        subscriberId: newsletterDeliveries.subscriberId,
        email: newsletterDeliveries.email,
      })
      .from(newsletterDeliveries)
      .where(
        and(
          eq(newsletterDeliveries.issueId, issueId),
          eq(newsletterDeliveries.status, 'pending'),
          sql`(${newsletterDeliveries.nextAttemptAt} is null or ${newsletterDeliveries.nextAttemptAt} <= now())`,
        ),
      )
      .orderBy(newsletterDeliveries.id)
      .limit(BATCH);
    if (due.length === 0) break;
    const verdicts = await recheck(db, issue, due);
    const leaving = due.filter((r) => typeof verdicts.get(r.id) === 'string');
    for (const row of leaving) {
      await db
        .update(newsletterDeliveries)
        .set({ status: 'skipped', lastError: verdicts.get(row.id) as string, updatedAt: new Date() })
        .where(and(eq(newsletterDeliveries.id, row.id), eq(newsletterDeliveries.status, 'pending')));
    }
    const sending = due.filter((r) => typeof verdicts.get(r.id) !== 'string');
    let next = 0;
    const lane = async () => {
      while (next < sending.length && keepGoing()) {
        const row = sending[next++]!;
        await sendOne(row, (verdicts.get(row.id) as { tokenVersion: number }).tokenVersion);
      }
    };
    // Every lane finishes the message it holds before the loop looks at `keepGoing` again.
    const results = await Promise.allSettled(Array.from({ length: PARALLEL }, lane));
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) {
      await release(db, issueId, senderId);
      throw (failure as PromiseRejectedResult).reason;
    }
  }

  if (lost) return 'stopped';
  const [left] = await db
    .select({
      open: sql<number>`count(*) filter (where ${newsletterDeliveries.status} in ('pending', 'sending'))::int`,
      nextAt: sql<
        string | null
      >`min(${newsletterDeliveries.nextAttemptAt}) filter (where ${newsletterDeliveries.status} = 'pending')`,
      dueNow: sql<number>`count(*) filter (where ${newsletterDeliveries.status} = 'pending'
        and (${newsletterDeliveries.nextAttemptAt} is null or ${newsletterDeliveries.nextAttemptAt} <= now()))::int`,
    })
    .from(newsletterDeliveries)
    .where(eq(newsletterDeliveries.issueId, issueId));
  if ((left?.open ?? 0) === 0) {
    const progress = (await progressOf(db, [issueId])).get(issueId)!;
    await db
      .update(newsletterIssues)
      .set({
        status: 'sent',
        finishedAt: new Date(),
        progress,
        senderId: null,
        leaseUntil: null,
        updatedAt: new Date(),
      })
      .where(
        and(
          eq(newsletterIssues.id, issueId),
          eq(newsletterIssues.senderId, senderId),
          eq(newsletterIssues.status, 'sending'),
        ),
      );
    ctx.logger.info({ issueId, ...progress }, 'newsletter issue sent');
    return 'finished';
  }
  await release(db, issueId, senderId);
  // A stopping worker asks for nothing: the dispatch of whichever worker runs next finds the issue.
  if (!signal.aborted) {
    const startAfter = unreachable
      ? new Date(Date.now() + 60_000)
      : left!.dueNow > 0 || !left!.nextAt
        ? undefined
        : new Date(left!.nextAt);
    await ctx.jobs.send(SEND_ISSUE_JOB, { issueId }, startAfter ? { startAfter } : {});
  }
  return 'paused';
}

/** Gives the lease up (only if still ours), so that the next job need not wait for it to run out. */
async function release(db: Db, issueId: string, senderId: string) {
  await db
    .update(newsletterIssues)
    .set({ senderId: null, leaseUntil: null })
    .where(and(eq(newsletterIssues.id, issueId), eq(newsletterIssues.senderId, senderId)));
}

/**
 * Issues that need a worker and may have lost their job: scheduled ones whose time has come, and sending
 * ones without a live lease that have something due (or whose last worker died before finishing them).
 * Each gets a job; a second job for the same issue finds it busy or idle and returns.
 */
export async function dispatchDueIssues(ctx: Pick<SenderContext, 'database' | 'jobs'>): Promise<number> {
  const rows = await ctx.database.query<{ id: string }>(
    `select i.id from newsletter_issues i
     where (i.status = 'scheduled' and i.scheduled_at <= now())
        or (i.status = 'sending' and (i.lease_until is null or i.lease_until < now()) and (
              i.started_at is null
           or exists (select 1 from newsletter_deliveries d where d.issue_id = i.id and (d.status = 'sending'
                or (d.status = 'pending' and (d.next_attempt_at is null or d.next_attempt_at <= now()))))
           or not exists (select 1 from newsletter_deliveries d
                where d.issue_id = i.id and d.status in ('pending', 'sending'))))`,
  );
  for (const row of rows) await ctx.jobs.send(SEND_ISSUE_JOB, { issueId: row.id });
  return rows.length;
}

export const campaignJobs = [
  defineJob<{ issueId: string }>({
    name: SEND_ISSUE_JOB,
    batchSize: 1,
    // A slice takes under a minute; a job still active after this was on a worker that died.
    expireInSeconds: 300,
    retryLimit: 5,
    handler: async (jobs, ctx) => {
      for (const job of jobs) await sendIssueSlice(ctx, job.data.issueId);
    },
  }),
  defineJob({
    name: DISPATCH_JOB,
    cron: '* * * * *',
    // A worker that starts resumes what a stopped one left, without waiting for the minute.
    runAtStart: true,
    policy: 'singleton',
    batchSize: 1,
    // The next minute's run does the same.
    retryLimit: 0,
    handler: async (_jobs, ctx) => {
      await dispatchDueIssues(ctx);
    },
  }),
];
