import { DEFAULT_NEWSLETTER_LISTS, NEWSLETTER_CONSENT_TEXT } from '../../../domain/newsletter.ts';
import {
  newsletterDeliveries,
  newsletterIssues,
  newsletterLists,
  newsletterSubscribers,
  newsletterSubscriptions,
} from '../../modules/newsletter/newsletter.tables.ts';
import type { DbOrTx } from '../client.ts';

/**
 * The demo department's newsletter (issue 7): readers on the default lists (addresses on example.org, a
 * domain reserved for examples, which accepts no mail), two issues sent in past months (in the public
 * archive, with their delivery records), and a draft for the admin to finish, preview, test and send.
 */

const READERS = 48;
const DAY = 86_400_000;

export const DEMO_ISSUES = [
  {
    subject: 'Caregiver support, this autumn',
    daysAgo: 61,
    bodyMarkdown: `## Caregiver support group

Caring for someone after a hospital stay is hard work. Our caregiver group meets **every Tuesday at 6 PM** in the Family Room (Main Building, 2nd floor) and online. No need to sign up: come when you can.

## Respite care

Need a few hours or a few days? Ask your social worker about respite programmes in your town; some are free for family caregivers of older adults.

## Benefits clinic

Volunteers from the legal aid society help with SNAP, fuel assistance and MassHealth forms on the first Thursday of each month, 10 AM to 2 PM, in room 2150.`,
  },
  {
    subject: 'Winter: heating help and holiday hours',
    daysAgo: 19,
    bodyMarkdown: `## Heating assistance is open

Fuel assistance applications for the winter are open now. Bring a recent utility bill and proof of income; our social workers can help you apply.

## Holiday hours

The social work office is closed on public holidays. The social worker on call can be paged through any nurse, at any hour.

## In a crisis

Call **911**, or call or text **988**, at any hour.`,
  },
] as const;

export const DEMO_DRAFT = {
  subject: 'New: the family resource room',
  bodyMarkdown: `## A room for families

From next month, the family resource room on the 2nd floor is open on weekdays from 9 AM to 5 PM: computers, a printer, a quiet corner and a social worker to help you find what you need.

## Volunteers wanted

We are looking for volunteers to welcome families. Write to socialwork@riverside.example.`,
};

export async function writeDemoNewsletter(
  db: DbOrTx,
  opts: { organizationId: string; adminId: string; now: number; id: (atMs: number) => string },
): Promise<void> {
  // The default lists, with ids from the seed (the same seed, the same ids).
  const lists = await db
    .insert(newsletterLists)
    .values(
      DEFAULT_NEWSLETTER_LISTS.map((list, position) => ({
        ...list,
        id: opts.id(opts.now - 200 * DAY + position),
        organizationId: opts.organizationId,
        position,
        createdAt: new Date(opts.now - 200 * DAY),
      })),
    )
    .returning();
  const readers = Array.from({ length: READERS }, (_, i) => {
    // One new reader every three days, the last a week and a half ago.
    const since = opts.now - (150 - i * 3) * DAY;
    return {
      id: opts.id(since),
      organizationId: opts.organizationId,
      email: `reader${String(i + 1).padStart(2, '0')}@example.org`,
      status: 'active',
      consentText: NEWSLETTER_CONSENT_TEXT,
      consentAt: new Date(since),
      consentPage: `/site/riverside/`,
      confirmedAt: new Date(since + 3_600_000),
      createdAt: new Date(since),
      updatedAt: new Date(since + 3_600_000),
    };
  });
  await db.insert(newsletterSubscribers).values(readers);
  // Everyone on the first list (caregivers); every third reader on each of the others too.
  await db
    .insert(newsletterSubscriptions)
    .values(
      readers.flatMap((reader, i) =>
        lists
          .filter((_, k) => k === 0 || i % 3 === k - 1)
          .map((list) => ({ subscriberId: reader.id, listId: list.id, createdAt: reader.confirmedAt })),
      ),
    );
  const caregivers = lists[0]!;
  for (const issue of DEMO_ISSUES) {
    const sentAt = opts.now - issue.daysAgo * DAY;
    const audience = readers.filter((r) => r.createdAt.getTime() < sentAt);
    const id = opts.id(sentAt - DAY);
    await db.insert(newsletterIssues).values({
      id,
      organizationId: opts.organizationId,
      subject: issue.subject,
      bodyMarkdown: issue.bodyMarkdown,
      listIds: [caregivers.id],
      status: 'sent',
      scheduledAt: new Date(sentAt),
      startedAt: new Date(sentAt),
      finishedAt: new Date(sentAt + 120_000),
      ratePerMinute: 600,
      progress: { recipients: audience.length, sent: audience.length },
      createdBy: opts.adminId,
      version: 2,
      createdAt: new Date(sentAt - DAY),
      updatedAt: new Date(sentAt + 120_000),
    });
    if (audience.length) {
      await db.insert(newsletterDeliveries).values(
        audience.map((reader, i) => ({
          id: opts.id(sentAt + i * 100),
          organizationId: opts.organizationId,
          issueId: id,
          subscriberId: reader.id,
          email: reader.email,
          status: 'sent',
          attempts: 1,
          sentAt: new Date(sentAt + i * 100),
          updatedAt: new Date(sentAt + i * 100),
        })),
      );
    }
  }
  await db.insert(newsletterIssues).values({
    id: opts.id(opts.now - DAY),
    organizationId: opts.organizationId,
    ...DEMO_DRAFT,
    listIds: [caregivers.id],
    createdBy: opts.adminId,
    createdAt: new Date(opts.now - DAY),
    updatedAt: new Date(opts.now - DAY),
  });
}
