import { type SQL, type SQLWrapper, sql } from 'drizzle-orm';
import { newsletterSubscriptions, newsletterSuppressions } from './newsletter.tables.ts';

/*
 * Who an issue goes to, in one place: an active subscriber on at least one of the issue's lists, whose
 * address is not on the suppression list. The audience count, fixing the audience when sending starts, the
 * re-check before each batch and the mark before each message all use these.
 */

/** A list of ids as one uuid[] parameter (the same on PostgreSQL and PGlite). */
export const uuidArray = (ids: readonly string[]): SQL => sql`${`{${ids.join(',')}}`}::uuid[]`;

/** SQL: the subscriber (its id) is on one of the lists (a uuid[] expression: a column or `uuidArray`). */
export const onAnyList = (subscriberId: SQLWrapper, listIds: SQLWrapper): SQL =>
  sql`exists (select 1 from ${newsletterSubscriptions} x
    where x.subscriber_id = ${subscriberId} and x.list_id = any(${listIds}))`;

/** SQL: the subscriber row `s` (alias) is active and on one of the lists. */
export const receivesLists = (listIds: SQLWrapper): SQL =>
  sql`s.status = 'active' and ${onAnyList(sql`s.id`, listIds)}`;

/** SQL: the address of subscriber row `s` is suppressed (its hash, as `emailHash` computes it, is given). */
export const suppressed = (emailHash: string): SQL =>
  sql`exists (select 1 from ${newsletterSuppressions} p
    where p.organization_id = s.organization_id and p.email_hash = ${emailHash})`;
