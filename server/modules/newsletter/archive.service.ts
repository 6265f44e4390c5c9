import { and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client.ts';
import { newsletterIssues } from './newsletter.tables.ts';

/**
 * The newsletter's public archive (issue 7): issues that were sent, newest first. Only what the public may
 * read leaves here (subject, text, when it went out): never lists, recipients or sending figures.
 */

export interface ArchivedIssue {
  id: string;
  subject: string;
  /** When sending finished (or, for an issue marked sent without that time, when it was last changed). */
  sentAt: Date;
}

export interface ArchivedIssueWithBody extends ArchivedIssue {
  bodyMarkdown: string;
}

const sentAt = sql<Date>`coalesce(${newsletterIssues.finishedAt}, ${newsletterIssues.updatedAt})`;

/** The organisation's sent issues, newest first (at most `limit`). */
export async function sentIssues(db: DbOrTx, organizationId: string, limit = 200): Promise<ArchivedIssue[]> {
  const rows = await db
    .select({ id: newsletterIssues.id, subject: newsletterIssues.subject, sentAt })
    .from(newsletterIssues)
    .where(and(eq(newsletterIssues.organizationId, organizationId), eq(newsletterIssues.status, 'sent')))
    .orderBy(desc(sentAt), desc(newsletterIssues.id))
    .limit(limit);
  return rows.map((r) => ({ ...r, sentAt: new Date(r.sentAt) }));
}

/** One sent issue of the organisation, or null (unknown, another organisation's, or not sent). */
export async function sentIssue(
  db: DbOrTx,
  organizationId: string,
  issueId: string,
): Promise<ArchivedIssueWithBody | null> {
  const [row] = await db
    .select({
      id: newsletterIssues.id,
      subject: newsletterIssues.subject,
      bodyMarkdown: newsletterIssues.bodyMarkdown,
      sentAt,
    })
    .from(newsletterIssues)
    .where(
      and(
        eq(newsletterIssues.id, issueId),
        eq(newsletterIssues.organizationId, organizationId),
        eq(newsletterIssues.status, 'sent'),
      ),
    );
  return row ? { ...row, sentAt: new Date(row.sentAt) } : null;
}
