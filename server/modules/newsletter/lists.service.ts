import { and, asc, eq, isNull } from 'drizzle-orm';
import { DEFAULT_NEWSLETTER_LISTS } from '../../../domain/newsletter.ts';
import type { DbOrTx } from '../../db/client.ts';
import { newsletterLists } from './newsletter.tables.ts';

export interface OfferedList {
  id: string;
  slug: string;
  name: string;
  description: string;
}

/**
 * The lists offered on the sign-up form, in order. An organisation that has none yet gets the default lists
 * (domain/newsletter.ts) the first time they are asked for.
 */
export async function listsOffered(db: DbOrTx, organizationId: string): Promise<OfferedList[]> {
  const read = () =>
    db
      .select({
        id: newsletterLists.id,
        slug: newsletterLists.slug,
        name: newsletterLists.name,
        description: newsletterLists.description,
      })
      .from(newsletterLists)
      .where(and(eq(newsletterLists.organizationId, organizationId), isNull(newsletterLists.retiredAt)))
      .orderBy(asc(newsletterLists.position), asc(newsletterLists.name));
  const lists = await read();
  if (lists.length > 0) return lists;
  const [any] = await db
    .select({ id: newsletterLists.id })
    .from(newsletterLists)
    .where(eq(newsletterLists.organizationId, organizationId))
    .limit(1);
  if (any) return lists; // every list retired: nothing is offered
  await db
    .insert(newsletterLists)
    .values(DEFAULT_NEWSLETTER_LISTS.map((l, i) => ({ ...l, organizationId, position: i })))
    .onConflictDoNothing();
  return read();
}
