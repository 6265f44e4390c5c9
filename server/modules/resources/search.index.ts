import { eq, type SQL, sql } from 'drizzle-orm';
import { localDate } from '../../../domain/resources-hours.ts';
import type { DbOrTx } from '../../db/client.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { forServices, insertDocs, placesOf } from './search.docs.ts';
import { forgetDirectoryStats } from './search.stats.ts';

export { SEARCH_CONFIG } from './search.docs.ts';

/**
 * The search read model (docs/decisions/008-directory-search.md):
 * - `directory_search_docs`: one row per service at a location (its id is the service_at_location id) and
 *   one per service offered nowhere in particular (its id is the service id), projected from the HSDS tables
 *   (search.docs.ts);
 * - `directory_search_lexicon`: every word (stemmed lexeme) of the tenant's documents with how many documents
 *   hold it, for planning and typo correction;
 * - `directory_search_terms`: impact-ordered postings of the *common* words (in more than `rareWordDocs`
 *   documents), the only ones a search walks, and of each only its best `postingsPerWord` documents (a
 *   search reads no further); a rare word's few documents are ranked from the GIN index. Postings of every
 *   word of every document were 24 rows per document (2.5 million at 100,000 services), each insert
 *   checked by two foreign keys: too slow to load.
 */

/** Where the index draws the line between rare and common words, and how many postings a common word keeps. */
export interface IndexTuning {
  /** A word in at most this many documents is rare: its matches are all ranked; above it, its postings are walked. */
  rareWordDocs: number;
  /** Each common word keeps its best this many documents in postings: a search reads no further. */
  postingsPerWord: number;
}
export const INDEX_TUNING: IndexTuning = { rareWordDocs: 2000, postingsPerWord: 2000 };

const p = (value: unknown) => sql.param(value);
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;
const DOC_BATCH = 10_000;

/**
 * Rebuilds the search read model (directory_search_docs, directory_search_terms, directory_search_lexicon)
 * for the given services of a tenant, or for all of its services when `serviceIds` is omitted. Call it in the
 * same transaction as the change. Returns the number of search documents written.
 */
export async function reindexSearchDocs(
  tx: DbOrTx,
  organizationId: string,
  serviceIds?: readonly string[],
  tuning: IndexTuning = INDEX_TUNING,
): Promise<number> {
  const ids = serviceIds ? [...new Set(serviceIds)] : null;
  if (ids && !ids.length) return 0;
  const [org] = await tx
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  if (!org) throw new Error(`no organisation ${organizationId}`);

  forgetDirectoryStats(organizationId);
  // Most of a large directory (a first import): rebuilding it whole is cheaper than word by word.
  if (ids && ids.length > 1000) {
    const [all] = rowsOf<{ n: number }>(
      await tx.execute(
        sql`select count(*)::int as n from directory_services where organization_id = ${organizationId}`,
      ),
    );
    if (ids.length * 2 >= (all?.n ?? 0)) return reindexSearchDocs(tx, organizationId, undefined, tuning);
  }
  const places = await placesOf(tx, organizationId, ids, localDate(new Date(), org.timeZone));
  if (!ids) {
    // One connection throughout (a temporary table is used), even when given the pool.
    return tx.transaction(async (inner) => {
      await inner.execute(sql`delete from directory_search_terms where organization_id = ${organizationId}`);
      await inner.execute(sql`delete from directory_search_docs where organization_id = ${organizationId}`);
      await insertDocs(inner, organizationId, org.timeZone, places);
      await rebuildLexicon(inner, organizationId, tuning, places.length);
      return places.length;
    });
  }
  const removed = await removeDocs(tx, organizationId, ids);
  await insertDocs(tx, organizationId, org.timeZone, places);
  const added = await wordCounts(
    tx,
    sql`d.organization_id = ${organizationId} and d.service_id = any(${p(ids)}::uuid[])`,
  );
  await applyLexiconChange(
    tx,
    organizationId,
    removed,
    added,
    sql`d.service_id = any(${p(ids)}::uuid[])`,
    tuning,
  );
  return places.length;
}

/**
 * Removes the search documents of these services (with their postings) and corrects the lexicon: for a
 * caller about to delete a service's locations, whose documents still point at them. A later
 * `reindexSearchDocs` of the services writes them again.
 */
export async function removeSearchDocs(
  tx: DbOrTx,
  organizationId: string,
  serviceIds: readonly string[],
  tuning: IndexTuning = INDEX_TUNING,
): Promise<void> {
  if (!serviceIds.length) return;
  const removed = await removeDocs(tx, organizationId, [...new Set(serviceIds)]);
  await applyLexiconChange(tx, organizationId, removed, new Map(), null, tuning);
}

/** How many of the selected documents hold each word. */
async function wordCounts(tx: DbOrTx, where: SQL): Promise<Map<string, number>> {
  const rows = rowsOf<{ term: string; n: number }>(
    await tx.execute(sql`
      select u.lexeme as term, count(*)::int as n
      from directory_search_docs d cross join lateral unnest(d.document) u
      where ${where} group by u.lexeme`),
  );
  return new Map(rows.map((r) => [r.term, r.n]));
}

/** Deletes the services' documents and their postings; returns the words they held, counted. */
async function removeDocs(tx: DbOrTx, organizationId: string, ids: string[]): Promise<Map<string, number>> {
  const counts = await wordCounts(
    tx,
    sql`d.organization_id = ${organizationId} and d.service_id = any(${p(ids)}::uuid[])`,
  );
  await tx.execute(sql`
    delete from directory_search_terms t using directory_search_docs d
    where d.id = t.doc_id and d.organization_id = ${organizationId} and d.service_id = any(${p(ids)}::uuid[])`);
  await tx.execute(
    sql`delete from directory_search_docs where organization_id = ${organizationId} ${forServices(ids, sql`service_id`)}`,
  );
  return counts;
}

/**
 * The posting rows of the selected documents for the selected words. A posting weighs what ts_rank gives
 * the document for that word alone (the weights of where it stands, over the log of the document's length:
 * the ranking of a one-word search), so that a word's postings read in weight order are its documents in
 * rank order. Equal weights are told apart by a hash of the document id, at most a thousandth of the
 * weight, so that a word's best N documents are the documents above one weight.
 */
function postingRows(docs: SQL, words: SQL, from: SQL = sql`directory_search_docs d`): SQL {
  return sql`
    select d.organization_id, u.lexeme as term, d.id as doc_id,
      (ts_rank(d.document, quote_literal(u.lexeme)::tsquery, 1)
        * (1 + (hashtext(d.id::text) & 1023) * 1e-6::float8))::real as weight
    from ${from}
    cross join lateral unnest(d.document) u
    where ${docs} and ${words}`;
}

/** The best `keep` rows of each word among the given rows. */
const bestOf = (rows: SQL, keep: number) => sql`
  insert into directory_search_terms (organization_id, term, doc_id, weight)
  select organization_id, term, doc_id, weight from (
    select r.*, row_number() over (partition by r.term order by r.weight desc, r.doc_id) as n from (${rows}) r
  ) ranked
  where n <= ${keep}
  on conflict (doc_id, term) do nothing`;

/**
 * The lexicon and the common words' postings of the whole tenant, from its documents. Each common word's
 * lightest kept weight is read from its postings (a 10 % sample of a large directory's): the weight above
 * which about `postingsPerWord` documents lie; every posting at or above it is then written, in batches of documents
 * so that no statement runs long. Whatever the sample's error, a word's postings hold every document that
 * weighs at least as much as its lightest posting, which is all a search needs.
 */
export async function rebuildLexicon(
  tx: DbOrTx,
  organizationId: string,
  tuning: IndexTuning,
  documents: number,
): Promise<void> {
  const { rareWordDocs, postingsPerWord } = tuning;
  // Fresh documents: give the planner their statistics before reading them back.
  if (documents > 20_000) await tx.execute(sql`analyze directory_search_docs`);
  const batches = await docBatches(tx, organizationId);
  await tx.execute(sql`delete from directory_search_lexicon where organization_id = ${organizationId}`);
  for (const batch of batches) {
    await tx.execute(sql`
      insert into directory_search_lexicon as x (organization_id, term, doc_count)
      select ${organizationId}, u.lexeme, count(*)::int
      from directory_search_docs d cross join lateral unnest(d.document) u
      where ${batch}
      group by u.lexeme
      on conflict (organization_id, term) do update set doc_count = x.doc_count + excluded.doc_count`);
  }
  const common = rowsOf<{ term: string; doc_count: number }>(
    await tx.execute(sql`
      select term, doc_count from directory_search_lexicon
      where organization_id = ${organizationId} and doc_count > ${rareWordDocs}`),
  );
  if (!common.length) return;
  const floors = rowsOf<{ term: string; floor: number | null }>(
    await tx.execute(sql`
      select r.term,
        percentile_disc(greatest(0, 1 - ${postingsPerWord}::float8 / c.doc_count)) within group (order by r.weight)
          as floor
      from (${postingRows(
        sql`d.organization_id = ${organizationId}`,
        sql`true`,
        documents > 20_000
          ? sql`directory_search_docs d tablesample bernoulli (10) repeatable (7)`
          : sql`directory_search_docs d`,
      )}) r
      join unnest(${p(common.map((c) => c.term))}::text[], ${p(common.map((c) => c.doc_count))}::int[])
        as c(term, doc_count) on c.term = r.term
      group by r.term, c.doc_count`),
  );
  const terms = floors.map((f) => f.term);
  const minimum = floors.map((f) => f.floor ?? 0);
  for (const batch of batches) {
    await tx.execute(sql`
      insert into directory_search_terms (organization_id, term, doc_id, weight)
      select r.organization_id, r.term, r.doc_id, r.weight
      from (${postingRows(batch, sql`true`)}) r
      join unnest(${p(terms)}::text[], ${p(minimum)}::real[]) as f(term, floor) on f.term = r.term
      where r.weight >= f.floor`);
  }
}

/** The tenant's documents in ranges of ids of DOC_BATCH documents, as conditions on `d`. */
async function docBatches(tx: DbOrTx, organizationId: string): Promise<SQL[]> {
  const bounds = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select id::text from (
        select id, row_number() over (order by id) as n from directory_search_docs
        where organization_id = ${organizationId}
      ) x where n % ${DOC_BATCH} = 0`),
  ).map((r) => r.id);
  const edges = ['00000000-0000-0000-0000-000000000000', ...bounds];
  return edges.map((from, i) => {
    const to = edges[i + 1];
    return sql`d.organization_id = ${organizationId} and d.id > ${from}::uuid${to ? sql` and d.id <= ${to}::uuid` : sql``}`;
  });
}

/**
 * Applies the words removed and added by a partial reindex to the lexicon (relative updates, so that two
 * transactions touching the same word both count), and keeps each common word's postings holding every
 * document that weighs at least as much as its lightest posting: the new documents' postings that reach it
 * (all of them while the word has fewer than `postingsPerWord`), the best documents of a word that has just
 * become common, none of a word that has just become rare.
 */
async function applyLexiconChange(
  tx: DbOrTx,
  organizationId: string,
  removed: Map<string, number>,
  added: Map<string, number>,
  newDocs: SQL | null,
  tuning: IndexTuning,
): Promise<void> {
  const { rareWordDocs, postingsPerWord } = tuning;
  const deltas = new Map<string, number>();
  for (const [term, n] of removed) deltas.set(term, -n);
  for (const [term, n] of added) deltas.set(term, (deltas.get(term) ?? 0) + n);
  const changed = [...deltas].filter(([, d]) => d !== 0);
  const counts = changed.length
    ? rowsOf<{ term: string; doc_count: number }>(
        await tx.execute(sql`
          insert into directory_search_lexicon as x (organization_id, term, doc_count)
          select ${organizationId}, c.term, c.delta
          from unnest(${p(changed.map(([t]) => t))}::text[], ${p(changed.map(([, d]) => d))}::int[]) as c(term, delta)
          on conflict (organization_id, term) do update set doc_count = x.doc_count + excluded.doc_count
          returning x.term, x.doc_count`),
      )
    : [];
  const now = new Map(counts.map((r) => [r.term, r.doc_count]));
  const gone = counts.filter((r) => r.doc_count <= 0).map((r) => r.term);
  if (gone.length) {
    await tx.execute(sql`
      delete from directory_search_lexicon
      where organization_id = ${organizationId} and term = any(${p(gone)}::text[]) and doc_count <= 0`);
  }
  const becameCommon: string[] = [];
  const becameRare: string[] = [];
  for (const [term, delta] of changed) {
    const after = now.get(term) ?? 0;
    const before = after - delta;
    if (after > rareWordDocs && before <= rareWordDocs) becameCommon.push(term);
    if (after <= rareWordDocs && before > rareWordDocs) becameRare.push(term);
  }
  if (becameRare.length) {
    await tx.execute(sql`
      delete from directory_search_terms
      where organization_id = ${organizationId} and term = any(${p(becameRare)}::text[])`);
  }
  if (newDocs) {
    // The new documents' common words: all their postings where the word's postings were complete (held
    // every other document), else those that reach the word's lightest posting.
    const common = rowsOf<{ term: string; doc_count: number; held: number }>(
      await tx.execute(sql`
        select x.term, x.doc_count, (select count(*)::int from directory_search_terms t
          where t.organization_id = x.organization_id and t.term = x.term) as held
        from directory_search_lexicon x
        where x.organization_id = ${organizationId} and x.term = any(${p([...added.keys()])}::text[])
          and x.doc_count > ${rareWordDocs} and x.term <> all(${p(becameCommon)}::text[])`),
    );
    const complete = common
      .filter((c) => c.held + (added.get(c.term) ?? 0) >= c.doc_count)
      .map((c) => c.term);
    const lightest = sql`(select t.weight from directory_search_terms t
      where t.organization_id = ${organizationId} and t.term = r.term order by t.weight limit 1)`;
    if (common.length) {
      await tx.execute(sql`
        insert into directory_search_terms (organization_id, term, doc_id, weight)
        select r.organization_id, r.term, r.doc_id, r.weight from (${postingRows(
          sql`d.organization_id = ${organizationId} and ${newDocs}`,
          sql`u.lexeme = any(${p(common.map((c) => c.term))}::text[])`,
        )}) r
        where r.term = any(${p(complete)}::text[]) or r.weight >= ${lightest}
        on conflict (doc_id, term) do nothing`);
    }
  }
  if (becameCommon.length) {
    const query = becameCommon.map((t) => `'${t.replace(/'/g, "''")}'`).join(' | ');
    await tx.execute(
      bestOf(
        postingRows(
          sql`d.organization_id = ${organizationId} and d.document @@ ${p(query)}::tsquery`,
          sql`u.lexeme = any(${p(becameCommon)}::text[])`,
        ),
        postingsPerWord,
      ),
    );
  }
}
