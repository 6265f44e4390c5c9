import { setTimeout as sleep } from 'node:timers/promises';
import { and, eq, type SQL, sql } from 'drizzle-orm';
import { DELIVERY_MAX_ATTEMPTS, DELIVERY_RETRY_MINUTES } from '../../../domain/newsletter.ts';
import type { Db } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { defineJob, type JobContext } from '../../platform/jobs.ts';
import type { DeliveryOutcome } from '../../platform/mail.ts';
import { organizationSummary } from '../../platform/organizations.ts';
import { receivesLists, suppressed, uuidArray } from './issue.audience.ts';
import { progressOf } from './issue.progress.ts';
import {
  issueBodyHtml,
  type MailOrganization,
  newsletterEmail,
  prepareIssueMail,
} from './newsletter.mail.ts';
import { newsletterDeliveries, newsletterIssues, newsletterSubscribers } from './newsletter.tables.ts';
import { emailHash } from './subscriptions.service.ts';

/*
 * Sending an issue (issue 7, decision 014), on the worker. The database holds the truth; the job queue only
 * says "look at this issue now".
 *
 * - One worker at a time sends an issue: it holds a lease on the issue row (`sender_id`, `lease_until`,
 *   compared with the database's clock), renewed on a timer while it works, and given up when its slice of
 *   time ends. A worker that dies keeps it until it runs out (NEWSLETTER_LEASE_SECONDS); then any worker may
 *   take over.
 * - The first worker fixes the audience: one delivery row per active subscriber of the issue's lists.
 * - A recipient is marked `sending` (committed) before its message is handed to SMTP, in the same statement
 *   that checks it still receives the issue (active, on a list, not suppressed), and `sent`, `failed`,
 *   `unknown` or back to `pending` right after. A worker that takes over an issue and finds rows still
 *   `sending` cannot know whether those arrived: it marks them `unknown` and does not send them again, so
 *   that nobody receives an issue twice. A message whose connection failed with no reply after it was handed
 *   over is `unknown` too, for the same reason.
 * - Messages leave at the issue's rate (per minute), over the mailer's small pool of SMTP connections.
 * - A recipient's 4xx reply is temporary: it is tried again later, up to DELIVERY_MAX_ATTEMPTS. A refusal
 *   by the relay itself (unreachable, AUTH, MAIL FROM) is nobody's fault in the audience: the slice stops at
 *   once, no try is counted, and the issue waits a minute before the next attempt.
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
/** How long an issue waits after its relay refused or could not be reached. */
const RELAY_BACKOFF_SECONDS = 60;

type SenderContext = Pick<JobContext, 'config' | 'database' | 'mailer' | 'logger' | 'jobs' | 'signal'>;

export type SliceResult =
  /** Every recipient was handled; the issue is `sent`. */
  | 'finished'
  /** Work remains (time up, retries waiting, the relay down, or the worker is stopping). */
  | 'paused'
  /** Another worker holds the lease. */
  | 'busy'
  /** Nothing to send: not due, cancelled, already sent, or unknown. */
  | 'idle'
  /** The issue stopped while this worker sent it (cancelled, or its lease was taken). */
  | 'stopped';

type IssueRow = typeof newsletterIssues.$inferSelect;

interface Claim {
  issue: IssueRow;
  organization: MailOrganization;
  /** Rows found `sending` from a worker that had died. */
  unknown: number;
}

const UNKNOWN_AFTER_CRASH =
  'the worker stopped while handing it to SMTP; not sent again, so that it is never received twice';

/** Takes the issue's lease if it is due and free; the first taker fixes the audience. */
async function claim(
  db: Db,
  issueId: string,
  senderId: string,
  leaseSeconds: number,
): Promise<Claim | SliceResult> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({
        issue: newsletterIssues,
        due: sql<boolean>`${newsletterIssues.scheduledAt} is not null and ${newsletterIssues.scheduledAt} <= now()`,
        leased: sql<boolean>`${newsletterIssues.leaseUntil} is not null and ${newsletterIssues.leaseUntil} > now()`,
      })
      .from(newsletterIssues)
      .where(eq(newsletterIssues.id, issueId))
      .for('update');
    if (!found) return 'idle';
    const { issue } = found;
    if (issue.status === 'scheduled' ? !found.due : issue.status !== 'sending') return 'idle';
    if (found.leased) return 'busy';
    const organization = await organizationSummary(tx, issue.organizationId);
    const [claimed] = await tx
      .update(newsletterIssues)
      .set({
        status: 'sending',
        startedAt: sql`coalesce(${newsletterIssues.startedAt}, now())`,
        senderId,
        leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})`,
      })
      .where(eq(newsletterIssues.id, issueId))
      .returning();
    let unknown = 0;
    if (!issue.startedAt) {
      await tx.execute(sql`
        insert into ${newsletterDeliveries} (id, organization_id, issue_id, subscriber_id, email)
        select gen_random_uuid(), s.organization_id, ${issue.id}, s.id, s.email
        from ${newsletterSubscribers} s
        where s.organization_id = ${issue.organizationId} and ${receivesLists(uuidArray(issue.listIds))}
        on conflict (issue_id, subscriber_id) do nothing`);
    } else {
      unknown = (await markInDoubt(tx, issueId)).length;
    }
    return { issue: claimed!, organization: organization!, unknown };
  });
}

/** Rows left `sending` by a worker that is gone become `unknown` (see the module's comment). */
const markInDoubt = (db: Pick<Db, 'update'>, issueId: string) =>
  db
    .update(newsletterDeliveries)
    .set({ status: 'unknown', lastError: UNKNOWN_AFTER_CRASH, updatedAt: new Date() })
    .where(and(eq(newsletterDeliveries.issueId, issueId), eq(newsletterDeliveries.status, 'sending')))
    .returning({ id: newsletterDeliveries.id });

/**
 * Send times `60 000 / rate` ms apart. `take` hands out the next one, or null when it falls after the
 * deadline (the slot is not spent); `wait` sleeps until it, ending early when the worker is stopping.
 */
export function pacer(ratePerMinute: number, deadline: number, signal: AbortSignal) {
  const interval = 60_000 / ratePerMinute;
  let next = Date.now();
  return {
    take(): number | null {
      const at = Math.max(next, Date.now() - interval);
      if (at > deadline) return null;
      next = at + interval;
      return at;
    },
    async wait(at: number) {
      const ms = at - Date.now();
      if (ms > 0) await sleep(ms, undefined, { signal }).catch(() => {});
    },
  };
}

type DueRow = { id: string; subscriberId: string | null; email: string };

/** The rows of a plain SQL statement (both drivers answer `{ rows }`). */
const rowsOf = async <T>(db: Db, query: SQL): Promise<T[]> =>
  ((await db.execute(query)) as unknown as { rows: T[] }).rows;

/** Why each of these recipients no longer receives the issue (absent: it does). */
async function leavers(db: Db, issue: IssueRow, rows: DueRow[]): Promise<Map<string, string>> {
  const ids = rows.flatMap((r) => (r.subscriberId ? [r.subscriberId] : []));
  const found = ids.length
    ? await rowsOf<{ id: string; email: string; status: string; receives: boolean }>(
        db,
        sql`select s.id, s.email, s.status, (${receivesLists(uuidArray(issue.listIds))}) as receives
            from ${newsletterSubscribers} s where s.id = any(${uuidArray(ids)})`,
      )
    : [];
  const byId = new Map(found.map((s) => [s.id, s]));
  const hashes = [...byId.values()].map((s) => emailHash(s.email));
  const suppressedHashes = new Set(
    hashes.length
      ? (
          await rowsOf<{ email_hash: string }>(
            db,
            sql`select email_hash from newsletter_suppressions
                where organization_id = ${issue.organizationId}
                  and email_hash in (${sql.join(
                    hashes.map((h) => sql`${h}`),
                    sql`, `,
                  )})`,
          )
        ).map((r) => r.email_hash)
      : [],
  );
  const reasons = new Map<string, string>();
  for (const row of rows) {
    const s = row.subscriberId ? byId.get(row.subscriberId) : undefined;
    if (!s) reasons.set(row.id, 'the subscriber was erased before it was sent');
    else if (s.status !== 'active') reasons.set(row.id, 'unsubscribed before it was sent');
    else if (!s.receives) reasons.set(row.id, "left the issue's lists before it was sent");
    else if (suppressedHashes.has(emailHash(s.email)))
      reasons.set(row.id, 'the address is on the suppression list');
  }
  return reasons;
}

/**
 * Marks one recipient `sending` if it still receives the issue, in one committed statement, and returns
 * what its message needs (the address and link version as they are now), or null.
 */
async function markSending(db: Db, issue: IssueRow, row: DueRow) {
  const [marked] = await rowsOf<{ attempts: number; email: string; token_version: number }>(
    db,
    sql`
    update ${newsletterDeliveries} d
    set status = 'sending', attempts = d.attempts + 1, updated_at = now()
    from ${newsletterSubscribers} s
    where d.id = ${row.id} and d.status = 'pending' and s.id = d.subscriber_id
      and ${receivesLists(uuidArray(issue.listIds))} and not ${suppressed(emailHash(row.email))}
    returning d.attempts, s.email, s.token_version`,
  );
  return marked
    ? { attempts: marked.attempts, email: marked.email, tokenVersion: marked.token_version }
    : null;
}

/** The row's next state after its message was handed over (or not). */
function nextState(outcome: DeliveryOutcome, attempts: number) {
  switch (outcome.status) {
    case 'sent':
      return { status: 'sent', sentAt: new Date(), lastError: null, nextAttemptAt: null };
    case 'kept':
      return { status: 'kept', sentAt: new Date(), lastError: 'no SMTP_URL is set: kept in the mail outbox' };
    case 'unknown':
      return {
        status: 'unknown',
        lastError: `no answer after the message was handed over (${outcome.reply}); not sent again, so that it is never received twice`,
      };
    case 'refused':
      if (outcome.scope === 'relay') {
        // Not this recipient's doing: back in line, and the try is not counted.
        return { status: 'pending', attempts: attempts - 1, lastError: outcome.reply, nextAttemptAt: null };
      }
      if (!outcome.temporary) return { status: 'failed', lastError: outcome.reply, nextAttemptAt: null };
      if (attempts >= DELIVERY_MAX_ATTEMPTS) {
        return {
          status: 'failed',
          lastError: `${outcome.reply} (gave up after ${attempts} tries)`,
          nextAttemptAt: null,
        };
      }
      return {
        status: 'pending',
        lastError: outcome.reply,
        nextAttemptAt: new Date(
          Date.now() +
            DELIVERY_RETRY_MINUTES[Math.min(attempts, DELIVERY_RETRY_MINUTES.length) - 1]! * 60_000,
        ),
      };
  }
}

/**
 * Writes what became of one recipient, only if it is still `sending` (a worker that took over may have
 * marked it `unknown`). A recipient due for another try after its issue was cancelled is `skipped` instead.
 */
async function record(db: Db, deliveryId: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
  const { status, ...rest } = nextState(outcome, attempts);
  await db
    .update(newsletterDeliveries)
    .set({
      ...rest,
      status:
        status === 'pending'
          ? sql`case when (select i.status from ${newsletterIssues} i where i.id = ${newsletterDeliveries.issueId}) = 'sending'
              then 'pending' else 'skipped' end`
          : status,
      updatedAt: new Date(),
    })
    .where(and(eq(newsletterDeliveries.id, deliveryId), eq(newsletterDeliveries.status, 'sending')));
}

/**
 * One slice of sending an issue (see the module's comment): claims it, sends until the slice's time is up,
 * nothing is due, the relay fails, the issue stops or the worker stops, then finishes the issue or hands it
 * to the next job.
 */
export async function sendIssueSlice(
  ctx: SenderContext,
  issueId: string,
  opts: { sliceMs?: number } = {},
): Promise<SliceResult> {
  const { database, config, mailer, signal } = ctx;
  const db = database.db;
  const senderId = newId();
  const leaseSeconds = config.newsletter.leaseSeconds;
  const claimed = await claim(db, issueId, senderId, leaseSeconds);
  if (typeof claimed === 'string') return claimed;
  const { issue, organization } = claimed;
  if (claimed.unknown) {
    ctx.logger.warn(
      { issueId, unknown: claimed.unknown },
      'took over an issue: deliveries in doubt are not resent',
    );
  }

  const prepared = prepareIssueMail(issue.subject, issueBodyHtml(issue.bodyMarkdown, config.publicUrl));
  const host = new URL(config.publicUrl).hostname;
  const deadline = Date.now() + (opts.sliceMs ?? SLICE_MS);
  const pace = pacer(issue.ratePerMinute, deadline, signal);
  /** Why this slice stops taking recipients: the issue stopped, or the relay failed (its reply). */
  let stopped = false;
  let relayDown: string | null = null;

  // The lease is renewed on a timer, also while a message waits for a slow relay. A cancelled issue keeps
  // its lease until the messages in hand are recorded; an issue whose lease was taken stops at once.
  const renew = async () => {
    const [row] = await db
      .update(newsletterIssues)
      .set({ leaseUntil: sql`now() + make_interval(secs => ${leaseSeconds})` })
      .where(and(eq(newsletterIssues.id, issueId), eq(newsletterIssues.senderId, senderId)))
      .returning({ status: newsletterIssues.status });
    if (row?.status !== 'sending') stopped = true;
  };
  const renewing = setInterval(
    () => {
      renew().catch((error: Error) => {
        ctx.logger.error({ err: { type: error.name }, issueId }, 'could not renew the sending lease');
      });
    },
    (leaseSeconds * 1000) / 3,
  );

  const keepGoing = () => !signal.aborted && !stopped && !relayDown && Date.now() < deadline;

  const sendOne = async (row: DueRow) => {
    const at = pace.take();
    if (at === null) return;
    await pace.wait(at);
    if (!keepGoing()) return;
    // Committed before the message leaves: a crash from here on leaves the row `sending`, never resent.
    const marked = await markSending(db, issue, row);
    if (!marked) return; // left, cancelled or suppressed meanwhile: the next batch says why
    let outcome: DeliveryOutcome;
    try {
      const mail = newsletterEmail(
        config,
        organization,
        { id: row.subscriberId!, email: marked.email, tokenVersion: marked.tokenVersion },
        prepared,
      );
      outcome = await mailer.deliver({ ...mail, messageId: `<${row.id}@${host}>` });
    } catch (error) {
      // Nothing left: the row goes back in line, its try not counted.
      await record(db, row.id, marked.attempts, {
        status: 'refused',
        scope: 'relay',
        temporary: true,
        reply: 'not sent: an error in Kith',
      });
      throw error;
    }
    await record(db, row.id, marked.attempts, outcome);
    if (outcome.status === 'refused' && outcome.scope === 'relay') relayDown ??= outcome.reply;
  };

  try {
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
      const reasons = await leavers(db, issue, due);
      for (const [id, reason] of reasons) {
        await db
          .update(newsletterDeliveries)
          .set({ status: 'skipped', lastError: reason, updatedAt: new Date() })
          .where(and(eq(newsletterDeliveries.id, id), eq(newsletterDeliveries.status, 'pending')));
      }
      const sending = due.filter((r) => !reasons.has(r.id));
      let next = 0;
      const lane = async () => {
        while (next < sending.length && keepGoing()) await sendOne(sending[next++]!);
      };
      // Every lane finishes the message it holds before the loop looks at `keepGoing` again.
      const results = await Promise.allSettled(Array.from({ length: PARALLEL }, lane));
      const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failure) throw failure.reason;
    }
  } catch (error) {
    clearInterval(renewing);
    await release(db, issueId, senderId);
    throw error;
  }
  clearInterval(renewing);
  return finishSlice(ctx, issueId, senderId, { stopped, relayDown });
}

/** After a slice: the issue is sent, stopped, or waits for its next slice (asked for here). */
async function finishSlice(
  ctx: SenderContext,
  issueId: string,
  senderId: string,
  state: { stopped: boolean; relayDown: string | null },
): Promise<SliceResult> {
  const db = ctx.database.db;
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
  if (!state.relayDown && (left?.open ?? 0) === 0) {
    const progress = (await progressOf(db, [issueId])).get(issueId)!;
    const [sent] = await db
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
      )
      .returning({ id: newsletterIssues.id });
    if (sent) {
      ctx.logger.info({ issueId, ...progress }, 'newsletter issue sent');
      return 'finished';
    }
  }
  if (state.relayDown) {
    // Nobody takes the issue for a minute (the lease stays, without a sender): the relay gets time.
    await db
      .update(newsletterIssues)
      .set({ senderId: null, leaseUntil: sql`now() + make_interval(secs => ${RELAY_BACKOFF_SECONDS})` })
      .where(and(eq(newsletterIssues.id, issueId), eq(newsletterIssues.senderId, senderId)));
    ctx.logger.warn({ issueId }, 'the mail relay refused or could not be reached: sending waits a minute');
  } else {
    await release(db, issueId, senderId);
  }
  if (state.stopped) return 'stopped';
  // A stopping worker asks for nothing: the dispatch of whichever worker runs next finds the issue.
  if (!ctx.signal.aborted) {
    const startAfter = state.relayDown
      ? new Date(Date.now() + RELAY_BACKOFF_SECONDS * 1000 + 1000)
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
 * Each gets a job; a second job for the same issue finds it busy or idle and returns. Cancelled issues whose
 * worker died with messages in hand get those marked `unknown`.
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
  const stranded = await ctx.database.query<{ id: string }>(
    `select i.id from newsletter_issues i
     where i.status = 'cancelled' and (i.lease_until is null or i.lease_until < now())
       and exists (select 1 from newsletter_deliveries d where d.issue_id = i.id and d.status = 'sending')`,
  );
  for (const row of stranded) await markInDoubt(ctx.database.db, row.id);
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
