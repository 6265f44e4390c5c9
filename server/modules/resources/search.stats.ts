import { sql } from 'drizzle-orm';
import { haversineMiles } from '../../../domain/geo.ts';
import { minuteOfWeek, type WeekRange } from '../../../domain/resources-hours.ts';
import type { DbOrTx } from '../../db/client.ts';
import type { SearchFilters } from './search.query.ts';

/**
 * Planner statistics for directory search: how many documents the tenant has and a sample of about
 * SAMPLE_SIZE of them, kept in memory for a few minutes. A search evaluates its filters on the sample to
 * estimate how many documents pass them (all of them, and the radius alone), which decides whether walking
 * a common word's postings will fill a page cheaply or whether the radius (or the words' index) should drive
 * the search instead (docs/decisions/008). The estimate only chooses the plan: every plan returns the same
 * matches.
 */

const SAMPLE_SIZE = 1200;
const FRESH_MS = 5 * 60_000;

interface SampleDoc {
  public: boolean;
  domains: string[];
  latitude: number | null;
  longitude: number | null;
  timeZone: string;
  hours: WeekRange[] | null;
  languages: string[];
  cost: string;
  assistanceKind: string | null;
  taxonomy: string[];
  minimumAge: number | null;
  maximumAge: number | null;
  maxPovertyPercent: number | null;
  payers: string[] | null;
  postalCodes: string[] | null;
  lexemes: Set<string>;
}

export interface DirectoryStats {
  /** Active documents of the tenant. */
  docs: number;
  sample: SampleDoc[];
}

const cache = new Map<string, { stats: Promise<DirectoryStats>; at: number }>();
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

/** `{[540,1020),[1980,2460)}` → ranges. */
function parseMultirange(text: string | null): WeekRange[] | null {
  if (text === null) return null;
  return [...text.matchAll(/[[(](\d+),(\d+)[\])]/g)].map((m) => [Number(m[1]), Number(m[2])] as const);
}

async function load(db: DbOrTx, organizationId: string): Promise<DirectoryStats> {
  const [count] = rowsOf<{ n: number }>(
    await db.execute(
      // Every document, active or not: the location index answers alone.
      sql`select count(*)::int as n from directory_search_docs where organization_id = ${organizationId}`,
    ),
  );
  const docs = count?.n ?? 0;
  // A row sample of a large directory (documents are stored by neighbourhood, so a page sample would see a
  // few neighbourhoods only); all of a small one.
  const percent = Math.min(100, Number(((SAMPLE_SIZE * 110) / Math.max(1, docs)).toFixed(3)));
  const rows = rowsOf<{
    public: boolean;
    domains: string[];
    latitude: number | null;
    longitude: number | null;
    time_zone: string;
    open_hours: string | null;
    languages: string[];
    cost: string;
    assistance_kind: string | null;
    taxonomy_codes: string[];
    minimum_age: string | null;
    maximum_age: string | null;
    max_poverty_percent: number | null;
    eligible_payers: string[] | null;
    eligible_postal_codes: string[] | null;
    lexemes: string[];
  }>(
    await db.execute(sql`
      select d.public, d.domains, d.latitude, d.longitude, d.time_zone, d.open_hours::text as open_hours, d.languages, d.cost,
        d.assistance_kind, d.taxonomy_codes, d.minimum_age::text, d.maximum_age::text, d.max_poverty_percent,
        d.eligible_payers, d.eligible_postal_codes, tsvector_to_array(d.document) as lexemes
      from directory_search_docs d ${percent < 100 ? sql.raw(`tablesample bernoulli (${percent}) repeatable (1)`) : sql``}
      where d.organization_id = ${organizationId} and d.status = 'active'
      limit ${SAMPLE_SIZE * 2}`),
  );
  return {
    docs,
    sample: rows.map((r) => ({
      public: r.public,
      domains: r.domains,
      latitude: r.latitude,
      longitude: r.longitude,
      timeZone: r.time_zone,
      hours: parseMultirange(r.open_hours),
      languages: r.languages,
      cost: r.cost,
      assistanceKind: r.assistance_kind,
      taxonomy: r.taxonomy_codes,
      minimumAge: r.minimum_age === null ? null : Number(r.minimum_age),
      maximumAge: r.maximum_age === null ? null : Number(r.maximum_age),
      maxPovertyPercent: r.max_poverty_percent,
      payers: r.eligible_payers,
      postalCodes: r.eligible_postal_codes,
      lexemes: new Set(r.lexemes),
    })),
  };
}

/** The tenant's statistics, loaded at most every few minutes (a stale copy serves while a fresh one loads). */
export async function directoryStats(db: DbOrTx, organizationId: string): Promise<DirectoryStats> {
  const held = cache.get(organizationId);
  const now = Date.now();
  if (held && now - held.at < FRESH_MS) return held.stats;
  const fresh = load(db, organizationId);
  const entry = { stats: fresh, at: now };
  cache.set(organizationId, entry);
  fresh.catch(() => {
    if (cache.get(organizationId) === entry) cache.delete(organizationId);
  });
  if (held) {
    // Serve the stale statistics; the fresh ones replace them when loaded.
    return held.stats;
  }
  return fresh;
}

/** Forgets the statistics (tests, and after a reindex in this process). */
export function forgetDirectoryStats(organizationId?: string): void {
  if (organizationId) cache.delete(organizationId);
  else cache.clear();
}

type Check = (doc: SampleDoc) => boolean;

/** The radius as a check on a sampled document (null without one). */
function geoCheck(f: SearchFilters): Check | null {
  if (!f.within) return null;
  const { box, center, miles } = f.within;
  return (doc) =>
    doc.latitude !== null &&
    doc.longitude !== null &&
    doc.latitude >= box.minLatitude &&
    doc.latitude <= box.maxLatitude &&
    doc.longitude >= box.minLongitude &&
    doc.longitude <= box.maxLongitude &&
    haversineMiles(center, { latitude: doc.latitude, longitude: doc.longitude }) <= miles;
}

/** The SQL filters (search.query.ts `filterSql`) but the radius, as checks on a sampled document. */
function filterChecks(f: SearchFilters): Check[] {
  const checks: Check[] = [];
  if (f.publicOnly) checks.push((doc) => doc.public);
  const any = (wanted: readonly string[] | undefined, of: (doc: SampleDoc) => readonly string[] | null) => {
    if (!wanted?.length) return;
    const set = new Set(wanted);
    checks.push((doc) => of(doc)?.some((v) => set.has(v)) ?? false);
  };
  any(f.domains, (doc) => doc.domains);
  any(f.languages, (doc) => doc.languages);
  any(f.assistanceKinds, (doc) => (doc.assistanceKind ? [doc.assistanceKind] : null));
  if (f.taxonomy?.length) {
    const codes = f.taxonomy.map((t) => t.toUpperCase());
    checks.push((doc) => doc.taxonomy.some((c) => codes.some((t) => c.toUpperCase().startsWith(t))));
  }
  if (f.free) checks.push((doc) => doc.cost === 'free');
  if (f.openAt) {
    const { instant } = f.openAt;
    const minutes = new Map<string, number>();
    checks.push((doc) => {
      let minute = minutes.get(doc.timeZone);
      if (minute === undefined) {
        minute = minuteOfWeek(instant, doc.timeZone);
        minutes.set(doc.timeZone, minute);
      }
      const m = minute;
      return doc.hours?.some(([start, end]) => start <= m && m < end) ?? false;
    });
  }
  const e = f.eligibleFor;
  if (e) {
    const { age, income, payers, postalCode } = e;
    if (age !== null) {
      checks.push(
        (doc) =>
          (doc.minimumAge === null || age >= doc.minimumAge) &&
          (doc.maximumAge === null || age <= doc.maximumAge),
      );
    }
    if (income) {
      checks.push(
        (doc) =>
          doc.maxPovertyPercent === null || income.amount * 100 <= doc.maxPovertyPercent * income.povertyLine,
      );
    }
    if (payers?.length)
      checks.push((doc) => doc.payers === null || doc.payers.some((p) => payers.includes(p)));
    if (postalCode) checks.push((doc) => doc.postalCodes === null || doc.postalCodes.includes(postalCode));
  }
  return checks;
}

export interface FilterEstimate {
  /** Share of the tenant's documents that pass every filter (the words aside). */
  all: number;
  /** Share within the radius (1 without one). */
  within: number;
  /**
   * Share of the documents holding the rarest word that also hold the other words and pass every filter:
   * counted on the sample's documents that hold the word, when there are enough of them; else the filters'
   * share times the other words' (as if independent).
   */
  walk: number;
}

/** Sample documents holding the rarest word needed to trust their share rather than assume independence. */
const ENOUGH = 25;

/** The shares of documents that pass the filters (and the words), from the sample. */
export function estimateFilters(
  stats: DirectoryStats,
  f: SearchFilters,
  words: { rarest: string; others: readonly { lexeme: string; docCount: number }[] } | null = null,
): FilterEstimate {
  const { sample } = stats;
  const geo = geoCheck(f);
  const checks = filterChecks(f);
  const independent = (share: number) =>
    share * (words?.others ?? []).reduce((p, w) => p * Math.min(1, w.docCount / Math.max(1, stats.docs)), 1);
  // Nothing filters: every document passes (and the words are taken as independent).
  if (!sample.length || (!geo && !checks.length)) return { all: 1, within: 1, walk: independent(1) };
  let all = 0;
  let within = 0;
  let holding = 0;
  let holdingPass = 0;
  for (const doc of sample) {
    const holds = words !== null && doc.lexemes.has(words.rarest);
    if (holds) holding += 1;
    if (geo && !geo(doc)) continue;
    within += 1;
    if (!checks.every((check) => check(doc))) continue;
    all += 1;
    if (holds && words!.others.every((w) => doc.lexemes.has(w.lexeme))) holdingPass += 1;
  }
  // Half a document for an empty count: "rare", not "none".
  const share = (n: number, of: number) => Math.max(n, 0.5) / of;
  const allShare = share(all, sample.length);
  return {
    all: allShare,
    within: share(within, sample.length),
    walk: holding >= ENOUGH ? share(holdingPass, holding) : independent(allShare),
  };
}
