import { and, count, desc, eq, ilike, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DeliveryStatus, IssueStatus } from '../../../domain/newsletter.ts';
import type {
  NewsletterDeliveryPage,
  NewsletterDeliveryQuery,
  NewsletterIssueCreateRequest,
  NewsletterIssuePage,
  NewsletterIssuePreview,
  NewsletterIssueSendRequest,
  NewsletterIssueSummary,
  NewsletterIssueTestSent,
  NewsletterIssueUpdateRequest,
  NewsletterIssueView,
} from '../../../domain/schemas/newsletter.ts';
import type { Config } from '../../config.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { conflict, invalid, notFound, staleVersion } from '../../platform/errors.ts';
import type { JobQueue } from '../../platform/jobs.ts';
import type { Mailer } from '../../platform/mail.ts';
import { organizationSummary } from '../../platform/organizations.ts';
import { escapeLike } from '../../platform/users.service.ts';
import { siteBase } from '../site/layout.ts';
import { SEND_ISSUE_JOB } from './campaign.sender.ts';
import { receivesLists } from './issue.audience.ts';
import { progressOf } from './issue.progress.ts';
import { auditNewsletter as audit } from './newsletter.audit.ts';
import { buildNewsletterEmail, issueBodyHtml, type MailOrganization } from './newsletter.mail.ts';
import {
  newsletterDeliveries,
  newsletterIssues,
  newsletterLists,
  newsletterSubscribers,
} from './newsletter.tables.ts';

/*
 * Newsletter issues as admins work on them (issue 7): a draft is written, previewed as the email it will be,
 * tested on the admin's own address, then sent now or scheduled to the lists chosen. Sending itself is the
 * worker's (campaign.sender.ts): this module only moves the issue to `sending` or `scheduled` and asks for
 * a worker. Every change is audited with ids and counts, never an address.
 */

type IssueRow = typeof newsletterIssues.$inferSelect;

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());

/** Active subscribers of any of each issue's lists now (who it would go to), in one query. */
async function audiencesOf(db: DbOrTx, issueIds: string[]): Promise<Map<string, number>> {
  if (issueIds.length === 0) return new Map();
  const rows = await db
    .select({
      id: newsletterIssues.id,
      n: sql<number>`(select count(*)::int from ${newsletterSubscribers} s
        where s.organization_id = ${newsletterIssues.organizationId}
          and ${receivesLists(newsletterIssues.listIds)})`,
    })
    .from(newsletterIssues)
    .where(inArray(newsletterIssues.id, issueIds));
  return new Map(rows.map((r) => [r.id, r.n]));
}

async function organizationOf(db: DbOrTx, organizationId: string): Promise<MailOrganization> {
  const org = await organizationSummary(db, organizationId);
  if (!org) throw notFound('organisation');
  return org;
}

const archiveUrl = (slug: string, issue: IssueRow) =>
  issue.status === 'sent' ? `${siteBase(slug)}/newsletter/issues/${issue.id}` : null;

/** Issues as admins see them, with their progress and audience (a fixed number of queries). */
async function present(
  db: DbOrTx,
  issues: IssueRow[],
  organizationSlug: string,
): Promise<NewsletterIssueView[]> {
  const ids = issues.map((i) => i.id);
  const [progress, audiences] = await Promise.all([progressOf(db, ids), audiencesOf(db, ids)]);
  return issues.map((issue) => ({
    id: issue.id,
    subject: issue.subject,
    bodyMarkdown: issue.bodyMarkdown,
    listIds: issue.listIds,
    status: issue.status as IssueStatus,
    ratePerMinute: issue.ratePerMinute,
    scheduledAt: iso(issue.scheduledAt),
    startedAt: iso(issue.startedAt),
    finishedAt: iso(issue.finishedAt),
    progress: progress.get(issue.id)!,
    audience: audiences.get(issue.id) ?? 0,
    archiveUrl: archiveUrl(organizationSlug, issue),
    createdBy: issue.createdBy,
    version: issue.version,
    createdAt: iso(issue.createdAt)!,
    updatedAt: iso(issue.updatedAt)!,
  }));
}

const presentOne = async (db: DbOrTx, issue: IssueRow, organizationSlug: string) =>
  (await present(db, [issue], organizationSlug))[0]!;

async function issueOf(db: DbOrTx, organizationId: string, issueId: string, lock = false) {
  const query = db
    .select()
    .from(newsletterIssues)
    .where(and(eq(newsletterIssues.id, issueId), eq(newsletterIssues.organizationId, organizationId)));
  const [issue] = lock ? await query.for('update') : await query;
  if (!issue) throw notFound('newsletter issue');
  return issue;
}

/** The chosen lists must be the organisation's and still offered. */
async function checkLists(db: DbOrTx, organizationId: string, listIds: string[]): Promise<string[]> {
  const unique = [...new Set(listIds)];
  if (unique.length === 0) return unique;
  const found = await db
    .select({ id: newsletterLists.id })
    .from(newsletterLists)
    .where(
      and(
        eq(newsletterLists.organizationId, organizationId),
        inArray(newsletterLists.id, unique),
        isNull(newsletterLists.retiredAt),
      ),
    );
  if (found.length !== unique.length) {
    throw invalid([
      { field: 'listIds', message: 'must be lists of this organisation that are still offered' },
    ]);
  }
  return unique;
}

const notDraft = (status: string) =>
  conflict('issue-not-draft', `This issue is ${status}: only a draft can be changed`, {
    issueStatus: status,
  });

/** A page of the organisation's issues, newest first. */
export async function listIssues(
  db: Db,
  actor: Actor,
  q: { status?: IssueStatus; page: number; pageSize: number },
): Promise<NewsletterIssuePage> {
  const where: SQL[] = [eq(newsletterIssues.organizationId, actor.organizationId)];
  if (q.status) where.push(eq(newsletterIssues.status, q.status));
  const [rows, [total], org] = await Promise.all([
    db
      .select()
      .from(newsletterIssues)
      .where(and(...where))
      .orderBy(desc(newsletterIssues.createdAt), desc(newsletterIssues.id))
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(newsletterIssues)
      .where(and(...where)),
    organizationOf(db, actor.organizationId),
  ]);
  const items: NewsletterIssueSummary[] = (await present(db, rows, org.slug)).map(
    ({ bodyMarkdown: _, ...summary }) => summary,
  );
  return { items, page: q.page, pageSize: q.pageSize, total: total?.n ?? 0 };
}

export async function getIssue(db: Db, actor: Actor, issueId: string): Promise<NewsletterIssueView> {
  const [issue, org] = await Promise.all([
    issueOf(db, actor.organizationId, issueId),
    organizationOf(db, actor.organizationId),
  ]);
  return presentOne(db, issue, org.slug);
}

export async function createIssue(
  db: Db,
  config: Config,
  actor: Actor,
  origin: RequestOrigin,
  input: NewsletterIssueCreateRequest,
): Promise<NewsletterIssueView> {
  const org = await organizationOf(db, actor.organizationId);
  const issue = await db.transaction(async (tx) => {
    const listIds = await checkLists(tx, actor.organizationId, input.listIds);
    const [created] = await tx
      .insert(newsletterIssues)
      .values({
        organizationId: actor.organizationId,
        subject: input.subject,
        bodyMarkdown: input.bodyMarkdown,
        listIds,
        ratePerMinute: input.ratePerMinute ?? config.newsletter.ratePerMinute,
        createdBy: actor.userId,
      })
      .returning();
    await audit(tx, actor, origin, {
      action: 'newsletter.issue.create',
      recordKind: 'newsletter_issue',
      recordId: created!.id,
    });
    return created!;
  });
  return presentOne(db, issue, org.slug);
}

export async function updateIssue(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
  input: NewsletterIssueUpdateRequest,
): Promise<NewsletterIssueView> {
  const org = await organizationOf(db, actor.organizationId);
  const issue = await db.transaction(async (tx) => {
    const current = await issueOf(tx, actor.organizationId, issueId, true);
    if (current.status !== 'draft') throw notDraft(current.status);
    if (current.version !== input.version) throw staleVersion(current.version);
    const listIds = await checkLists(tx, actor.organizationId, input.listIds);
    const [updated] = await tx
      .update(newsletterIssues)
      .set({
        subject: input.subject,
        bodyMarkdown: input.bodyMarkdown,
        listIds,
        ratePerMinute: input.ratePerMinute,
        version: current.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(newsletterIssues.id, issueId))
      .returning();
    await audit(tx, actor, origin, {
      action: 'newsletter.issue.update',
      recordKind: 'newsletter_issue',
      recordId: issueId,
      detail: { version: updated!.version, lists: listIds.length },
    });
    return updated!;
  });
  return presentOne(db, issue, org.slug);
}

/** Deletes a draft (an issue that was scheduled, sent or cancelled stays, for its record). */
export async function deleteIssue(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await issueOf(tx, actor.organizationId, issueId, true);
    if (current.status !== 'draft') throw notDraft(current.status);
    await tx.delete(newsletterIssues).where(eq(newsletterIssues.id, issueId));
    await audit(tx, actor, origin, {
      action: 'newsletter.issue.delete',
      recordKind: 'newsletter_issue',
      recordId: issueId,
    });
  });
}

/**
 * The email a subscriber would get from this text, as it would be sent (both parts, the footer, the links):
 * images uploaded to this site are addressed from `siteOrigin` (the staff app's own origin, which its
 * content policy lets images load from). The links in the footer are examples and lead nowhere.
 */
export async function previewIssue(
  db: Db,
  config: Config,
  actor: Actor,
  issueId: string,
  input: { subject: string; bodyMarkdown: string },
  siteOrigin: string,
): Promise<NewsletterIssuePreview> {
  const [, org] = await Promise.all([
    issueOf(db, actor.organizationId, issueId),
    organizationOf(db, actor.organizationId),
  ]);
  const mail = buildNewsletterEmail(
    { ...config, publicUrl: siteOrigin },
    org,
    { id: '00000000-0000-7000-8000-000000000000', email: 'reader@example.org', tokenVersion: 0 },
    input.subject,
    issueBodyHtml(input.bodyMarkdown, siteOrigin),
  );
  return { subject: mail.subject, html: mail.html ?? '', text: mail.text };
}

/**
 * Sends the saved issue to the admin's own address, marked as a test in its subject. It goes through the
 * outbox like any single mail (kept there with no SMTP_URL). Its unsubscribe links are signed for nobody.
 */
export async function sendTestIssue(
  db: Db,
  config: Config,
  mailer: Mailer,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
): Promise<NewsletterIssueTestSent> {
  const [issue, org] = await Promise.all([
    issueOf(db, actor.organizationId, issueId),
    organizationOf(db, actor.organizationId),
  ]);
  if (!issue.bodyMarkdown.trim()) throw invalid([{ field: 'bodyMarkdown', message: 'is empty' }]);
  const mail = buildNewsletterEmail(
    config,
    org,
    { id: '00000000-0000-7000-8000-000000000000', email: actor.email, tokenVersion: 0 },
    `[Test] ${issue.subject}`,
    issueBodyHtml(issue.bodyMarkdown, config.publicUrl),
  );
  const result = await mailer.send(mail);
  await audit(db, actor, origin, {
    action: 'newsletter.issue.test',
    recordKind: 'newsletter_issue',
    recordId: issueId,
    detail: { status: result.status },
  });
  return { to: actor.email, status: result.status };
}

/**
 * Sends the issue now or schedules it. It must be a draft at the version read, with a subject, a body and
 * lists. The audience is fixed when sending starts (not here), so that a scheduled issue reaches whoever is
 * subscribed at its time. A worker is asked for after the commit; if that fails, the minute's dispatch
 * (campaign.sender.ts) finds the issue anyway.
 */
export async function sendIssue(
  db: Db,
  jobs: JobQueue,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
  input: NewsletterIssueSendRequest,
  now = new Date(),
): Promise<NewsletterIssueView> {
  const at = input.at ? new Date(input.at) : null;
  if (at && at.getTime() <= now.getTime()) {
    throw invalid([{ field: 'at', message: 'must be in the future (leave it out to send now)' }]);
  }
  if (at && at.getTime() > now.getTime() + 366 * 86_400_000) {
    throw invalid([{ field: 'at', message: 'must be within a year' }]);
  }
  const org = await organizationOf(db, actor.organizationId);
  const issue = await db.transaction(async (tx) => {
    const current = await issueOf(tx, actor.organizationId, issueId, true);
    if (current.status !== 'draft') throw notDraft(current.status);
    if (current.version !== input.version) throw staleVersion(current.version);
    const missing = [];
    if (!current.bodyMarkdown.trim()) missing.push({ field: 'bodyMarkdown', message: 'is empty' });
    if (current.listIds.length === 0) missing.push({ field: 'listIds', message: 'choose at least one list' });
    if (missing.length) throw invalid(missing, 'The issue is not ready to send');
    await checkLists(tx, actor.organizationId, current.listIds);
    const [updated] = await tx
      .update(newsletterIssues)
      .set({
        status: at ? 'scheduled' : 'sending',
        scheduledAt: at,
        version: current.version + 1,
        updatedAt: now,
      })
      .where(eq(newsletterIssues.id, issueId))
      .returning();
    await audit(tx, actor, origin, {
      action: at ? 'newsletter.issue.schedule' : 'newsletter.issue.send',
      recordKind: 'newsletter_issue',
      recordId: issueId,
      detail: { lists: current.listIds.length, at: (at ?? now).toISOString() },
    });
    return updated!;
  });
  await jobs.send(SEND_ISSUE_JOB, { issueId }, at ? { startAfter: at } : {}).catch(() => {
    // The dispatch every minute picks it up.
  });
  return presentOne(db, issue, org.slug);
}

/**
 * A scheduled issue goes back to draft. A sending one is stopped: it becomes `cancelled`, and whoever was
 * not handed to SMTP yet is `skipped`. The worker notices at its next step (it renews its lease on a
 * `sending` issue only) and stops; what it was handing over at that moment completes.
 */
export async function cancelIssue(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
  input: { version: number },
): Promise<NewsletterIssueView> {
  const org = await organizationOf(db, actor.organizationId);
  const issue = await db.transaction(async (tx) => {
    const current = await issueOf(tx, actor.organizationId, issueId, true);
    if (current.version !== input.version) throw staleVersion(current.version);
    if (current.status !== 'scheduled' && current.status !== 'sending') {
      throw conflict('issue-not-cancellable', `This issue is ${current.status}: there is nothing to stop`, {
        issueStatus: current.status,
      });
    }
    const wasSending = current.status === 'sending';
    let skipped = 0;
    if (wasSending) {
      const rows = await tx
        .update(newsletterDeliveries)
        .set({ status: 'skipped', lastError: 'the issue was cancelled', updatedAt: new Date() })
        .where(and(eq(newsletterDeliveries.issueId, issueId), eq(newsletterDeliveries.status, 'pending')))
        .returning({ id: newsletterDeliveries.id });
      skipped = rows.length;
    }
    const [updated] = await tx
      .update(newsletterIssues)
      .set(
        wasSending
          ? {
              status: 'cancelled',
              finishedAt: new Date(),
              version: current.version + 1,
              updatedAt: new Date(),
            }
          : { status: 'draft', scheduledAt: null, version: current.version + 1, updatedAt: new Date() },
      )
      .where(eq(newsletterIssues.id, issueId))
      .returning();
    await audit(tx, actor, origin, {
      action: wasSending ? 'newsletter.issue.cancel' : 'newsletter.issue.unschedule',
      recordKind: 'newsletter_issue',
      recordId: issueId,
      detail: { skipped },
    });
    return updated!;
  });
  return presentOne(db, issue, org.slug);
}

/** A page of an issue's recipients with their status (audited: who looked, how many matched). */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  issueId: string,
  q: NewsletterDeliveryQuery,
): Promise<NewsletterDeliveryPage> {
  await issueOf(db, actor.organizationId, issueId);
  const where: SQL[] = [
    eq(newsletterDeliveries.issueId, issueId),
    eq(newsletterDeliveries.organizationId, actor.organizationId),
  ];
  if (q.status) where.push(eq(newsletterDeliveries.status, q.status));
  if (q.q) where.push(ilike(newsletterDeliveries.email, `%${escapeLike(q.q)}%`));
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(newsletterDeliveries)
      .where(and(...where))
      .orderBy(newsletterDeliveries.email, newsletterDeliveries.id)
      .limit(q.pageSize)
      .offset((q.page - 1) * q.pageSize),
    db
      .select({ n: count() })
      .from(newsletterDeliveries)
      .where(and(...where)),
  ]);
  await audit(db, actor, origin, {
    action: 'newsletter.deliveries.list',
    recordKind: 'newsletter_issue',
    recordId: issueId,
    detail: { status: q.status ?? null, search: Boolean(q.q), page: q.page, total: total?.n ?? 0 },
  });
  return {
    items: rows.map((r) => ({
      id: r.id,
      email: r.email,
      status: r.status as DeliveryStatus,
      attempts: r.attempts,
      nextAttemptAt: iso(r.nextAttemptAt),
      lastError: r.lastError,
      sentAt: iso(r.sentAt),
      updatedAt: iso(r.updatedAt)!,
    })),
    page: q.page,
    pageSize: q.pageSize,
    total: total?.n ?? 0,
  };
}
