import { type SQL, sql } from 'drizzle-orm';
import type { BoundingBox, LatLng } from '../../../domain/geo.ts';
import { EARTH_RADIUS_MILES } from '../../../domain/geo.ts';
import type { DbOrTx } from '../../db/client.ts';

/**
 * The statements of a directory search over the read model (docs/decisions/008-directory-search.md):
 * the filters as SQL over `directory_search_docs d`, and the three ways to find a page of matches:
 * `browse` (no text), `rankAll` (the text's rarest word is rare: rank every GIN match with ts_rank) and
 * `walkPostings` (every word is common: read the rarest word's postings best first, check each document,
 * rank a bounded set of candidates).
 */

export interface SearchFilters {
  organizationId: string;
  domains?: readonly string[];
  /** HSDS taxonomy codes; each also matches its children (BD-1800 matches BD-1800.2000). */
  taxonomy?: readonly string[];
  assistanceKinds?: readonly string[];
  within?: { center: LatLng; miles: number; box: BoundingBox };
  /** Open at this instant on each document's own wall clock; `tenantMinute` is it in `tenantZone`. */
  openAt?: { instant: Date; tenantZone: string; tenantMinute: number };
  languages?: readonly string[];
  free?: boolean;
  /** Only services shown to the public (`directory_services.public`): the public site's finder (issue 7). */
  publicOnly?: boolean;
  /** Leave out what the patient is certainly not eligible for (rules the record can check). */
  eligibleFor?: EligibilityFacts;
}

export interface EligibilityFacts {
  age: number | null;
  payers: readonly string[] | null;
  postalCode: string | null;
  /** Yearly household income and the poverty line for the household's size (whole dollars). */
  income: { amount: number; povertyLine: number } | null;
}

export interface Match {
  id: string;
  miles: number | null;
}

export interface MatchPage {
  matches: Match[];
  total: number;
  totalIsCapped: boolean;
}

const p = (value: unknown) => sql.param(value);
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** Great-circle miles from a centre to the document (null without coordinates). */
export function milesFrom(center: LatLng | null): SQL {
  if (!center) return sql`null::float8`;
  const lat = p(center.latitude);
  const lng = p(center.longitude);
  return sql`(2 * ${EARTH_RADIUS_MILES}::float8 * asin(least(1::float8, sqrt(
    power(sin(radians(d.latitude - ${lat}::float8) / 2), 2)
    + cos(radians(${lat}::float8)) * cos(radians(d.latitude)) * power(sin(radians(d.longitude - ${lng}::float8) / 2), 2)))))`;
}

/** The minute of the week of an instant on the document's wall clock (the tenant's zone is worked out once). */
function minuteOfWeekSql(openAt: NonNullable<SearchFilters['openAt']>): SQL {
  const local = sql`(${p(openAt.instant.toISOString())}::timestamptz at time zone d.time_zone)`;
  return sql`(case when d.time_zone = ${openAt.tenantZone} then ${p(openAt.tenantMinute)}::int
    else ((extract(isodow from ${local})::int - 1) * 1440 + extract(hour from ${local})::int * 60
      + extract(minute from ${local})::int) end)`;
}

const regexEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The filters as SQL conditions on `d`, active services of the tenant only: those an index can serve (the
 * tenant, the radius's box, the needs) and the checks each document is then put through, cheapest and
 * most selective first.
 */
function filterParts(f: SearchFilters): { indexable: SQL[]; checks: SQL[] } {
  const indexable: SQL[] = [sql`d.organization_id = ${f.organizationId}`];
  const checks: SQL[] = [sql`d.status = 'active'`];
  if (f.publicOnly) checks.push(sql`d.public`);
  if (f.within) {
    const { box } = f.within;
    indexable.push(
      sql`d.latitude between ${p(box.minLatitude)}::float8 and ${p(box.maxLatitude)}::float8`,
      sql`d.longitude between ${p(box.minLongitude)}::float8 and ${p(box.maxLongitude)}::float8`,
    );
  }
  if (f.openAt) checks.push(sql`d.open_hours @> ${minuteOfWeekSql(f.openAt)}`);
  if (f.domains?.length) checks.push(sql`d.domains && ${p(f.domains)}::text[]`);
  if (f.assistanceKinds?.length) checks.push(sql`d.assistance_kind = any(${p(f.assistanceKinds)}::text[])`);
  if (f.languages?.length) checks.push(sql`d.languages && ${p(f.languages)}::text[]`);
  if (f.free) checks.push(sql`d.cost = 'free'`);
  const e = f.eligibleFor;
  if (e) {
    if (e.age !== null) {
      checks.push(sql`(d.minimum_age is null or d.minimum_age <= ${p(e.age)}::numeric)`);
      checks.push(sql`(d.maximum_age is null or d.maximum_age >= ${p(e.age)}::numeric)`);
    }
    // Income at or below N % of the line, exactly: income × 100 ≤ N × line, in whole dollars.
    if (e.income) {
      checks.push(
        sql`(d.max_poverty_percent is null or ${p(e.income.amount)}::bigint * 100 <= d.max_poverty_percent::bigint * ${p(e.income.povertyLine)}::bigint)`,
      );
    }
    if (e.payers?.length) {
      checks.push(sql`(d.eligible_payers is null or d.eligible_payers && ${p(e.payers)}::text[])`);
    }
    if (e.postalCode) {
      checks.push(
        sql`(d.eligible_postal_codes is null or ${p(e.postalCode)} = any(d.eligible_postal_codes))`,
      );
    }
  }
  if (f.taxonomy?.length) {
    const patterns = f.taxonomy.map((code) => `^${regexEscape(code)}([.-]|$)`);
    checks.push(
      sql`exists (select 1 from unnest(d.taxonomy_codes) c where c ~* any(${p(patterns)}::text[]))`,
    );
  }
  if (f.within) checks.push(sql`${milesFrom(f.within.center)} <= ${p(f.within.miles)}::float8`);
  return { indexable, checks };
}

/**
 * The filters as one condition on `d`. Left to the planner, every condition may drive the search. Driven by
 * the radius (`geoDriven`), the box is the only condition an index serves and the rest is one expression
 * checked in order on each document in the box (`extra` first: the words).
 */
export function filterSql(f: SearchFilters, geoDriven = false, extra: SQL | null = null): SQL {
  const { indexable, checks } = filterParts(f);
  if (!geoDriven) return sql.join([...indexable, ...(extra ? [extra] : []), ...checks], sql` and `);
  // Cheap checks before the words and the distance; AND inside one expression keeps its order.
  const ordered = [...checks.slice(0, -1), ...(extra ? [extra] : []), ...checks.slice(-1)];
  return sql`${sql.join(indexable, sql` and `)} and (${sql.join(ordered, sql` and `)}) is true`;
}

export type SortBy = 'relevance' | 'distance' | 'name';

const serviceName = sql`(select s.name from directory_services s where s.id = d.service_id)`;

function orderSql(sort: SortBy, rank: SQL | null, miles: SQL): SQL {
  const byRank = rank ? sql`${rank} desc, ` : sql``;
  if (sort === 'distance') return sql`${miles} asc nulls last, ${byRank}d.id`;
  if (sort === 'name') return sql`lower(${serviceName}), d.id`;
  return sql`${byRank}${miles} asc nulls last, d.id`;
}

export interface PageRequest {
  offset: number;
  limit: number;
  sort: SortBy;
  origin: LatLng | null;
}

/** Every match of the filters (no text), in order, counted exactly. */
export async function browse(db: DbOrTx, f: SearchFilters, page: PageRequest): Promise<MatchPage> {
  const miles = milesFrom(page.origin);
  const rows = rowsOf<{ id: string; miles: number | null; total: number }>(
    await db.execute(sql`
      select d.id, ${miles} as miles, (count(*) over ())::int as total
      from directory_search_docs d
      where ${filterSql(f)}
      order by ${orderSql(page.sort, null, miles)}
      limit ${page.limit} offset ${page.offset}`),
  );
  return {
    matches: rows,
    total: rows[0]?.total ?? (page.offset ? await countAll(db, f, null) : 0),
    totalIsCapped: false,
  };
}

/** ts_rank with the default weights (name 1, organisation/taxonomy/need 0.4, description 0.2, rest 0.1), over log length. */
const rankOf = (tsquery: string) => sql`ts_rank(d.document, ${tsquery}::tsquery, 1)`;

/** Every document that holds all the words and passes the filters, ranked (the rarest word is rare). */
export async function rankAll(
  db: DbOrTx,
  f: SearchFilters,
  tsquery: string,
  page: PageRequest,
): Promise<MatchPage> {
  const miles = milesFrom(page.origin);
  const rank = rankOf(tsquery);
  const rows = rowsOf<{ id: string; miles: number | null; total: number }>(
    await db.execute(sql`
      select d.id, ${miles} as miles, (count(*) over ())::int as total
      from directory_search_docs d
      where d.document @@ ${tsquery}::tsquery and ${filterSql(f)}
      order by ${orderSql(page.sort, rank, miles)}
      limit ${page.limit} offset ${page.offset}`),
  );
  return {
    matches: rows,
    // Past the last page the window count has no row to ride on; on the first page, nothing matched.
    total: rows[0]?.total ?? (page.offset ? await countAll(db, f, tsquery) : 0),
    totalIsCapped: false,
  };
}

/**
 * Every match within the radius, ranked, read from the location index alone: for common words whose walk
 * found too little (the filters are selective, often "open now" at night), the documents in the box are
 * fewer than the word's, and documents written by neighbourhood lie on few pages.
 */
export async function rankWithin(
  db: DbOrTx,
  f: SearchFilters,
  tsquery: string,
  page: PageRequest,
): Promise<MatchPage> {
  const miles = milesFrom(page.origin);
  const rank = rankOf(tsquery);
  const words = sql`d.document @@ ${tsquery}::tsquery`;
  return db.transaction(async (tx) => {
    // The box's documents lie together (search.docs.ts): read them page by page (a bitmap scan), not row by
    // row in the index's order, which the planner prefers and which measured 1.7 times slower.
    await tx.execute(sql`select set_config('enable_indexscan', 'off', true)`);
    const rows = rowsOf<{ id: string; miles: number | null; total: number }>(
      await tx.execute(sql`
        select d.id, ${miles} as miles, (count(*) over ())::int as total
        from directory_search_docs d
        where ${filterSql(f, true, words)}
        order by ${orderSql(page.sort, rank, miles)}
        limit ${page.limit} offset ${page.offset}`),
    );
    return {
      matches: rows,
      total: rows[0]?.total ?? (page.offset ? await countAll(tx, f, tsquery, true) : 0),
      totalIsCapped: false,
    };
  });
}

async function countAll(
  db: DbOrTx,
  f: SearchFilters,
  tsquery: string | null,
  geoDriven = false,
): Promise<number> {
  const rows = rowsOf<{ n: number }>(
    await db.execute(sql`
      select count(*)::int as n from directory_search_docs d
      where ${filterSql(f, geoDriven, tsquery ? sql`d.document @@ ${tsquery}::tsquery` : null)}`),
  );
  return rows[0]?.n ?? 0;
}

/**
 * Reads the rarest word's postings best first (directory_search_terms_rank_idx), checks each document for
 * the other words and the filters, and stops at `candidates` matches or after `budget` postings; ranks the
 * candidates with ts_rank. Null when the budget ran out before a full page was found (the filters are
 * selective: ranking every match is then cheap, and right).
 */
export async function walkPostings(
  db: DbOrTx,
  f: SearchFilters,
  walk: {
    term: string;
    docCount: number;
    tsquery: string;
    singleWord: boolean;
    candidates: number;
    budget: number;
  },
  page: PageRequest,
): Promise<MatchPage | null> {
  const miles = milesFrom(page.origin);
  const rank = rankOf(walk.tsquery);
  const rows = rowsOf<{ id: string | null; miles: number | null; found: number }>(
    await db.execute(sql`
      with walk as materialized (
        select d.id, d.document, d.latitude, d.longitude, d.service_id
        from (
          select t.doc_id from directory_search_terms t
          where t.organization_id = ${f.organizationId} and t.term = ${walk.term}
          order by t.weight desc nulls last
          limit ${walk.budget}
        ) t
        cross join lateral (
          select d.* from directory_search_docs d
          where d.id = t.doc_id ${walk.singleWord ? sql`` : sql`and d.document @@ ${walk.tsquery}::tsquery`}
            and ${filterSql(f)}
          offset 0
        ) d
        limit ${walk.candidates}
      )
      select pg.id, pg.miles, (select count(*) from walk)::int as found
      from (select 1) one
      left join lateral (
        select d.id, ${miles} as miles from walk d
        order by ${orderSql(page.sort, rank, miles)}
        limit ${page.limit} offset ${page.offset}
      ) pg on true`),
  );
  const found = rows[0]?.found ?? 0;
  const matches = rows.flatMap(({ id, miles: m }) => (id === null ? [] : [{ id, miles: m }]));
  const exhausted = walk.docCount <= walk.budget;
  if (found < page.offset + page.limit && !exhausted && found < walk.candidates) return null;
  // Fewer candidates than asked and every posting read: that is all of them.
  const complete = found < walk.candidates && exhausted;
  return { matches, total: found, totalIsCapped: !complete };
}
