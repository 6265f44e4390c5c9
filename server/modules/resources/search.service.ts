import type { z } from 'zod';
import { povertyLine } from '../../../domain/eligibility/poverty.ts';
import { ageOn, guidelineFor, type PatientFacts } from '../../../domain/eligibility/rules.ts';
import { boundingBox } from '../../../domain/geo.ts';
import { SEARCH_RADIUS_MILES } from '../../../domain/resources.ts';
import { localDate, minuteOfWeek } from '../../../domain/resources-hours.ts';
import type { PayerType } from '../../../domain/schemas/patients.ts';
import type { ResourceSearchQuery, ResourceSearchResponse } from '../../../domain/schemas/resources.ts';
import type { Db } from '../../db/client.ts';
import { type PatientRow, requirePatient } from '../../platform/access.ts';
import type { Actor, RequestOrigin } from '../../platform/actor.ts';
import { invalid } from '../../platform/errors.ts';
import { zip5, zipCentroid } from './geo.ts';
import { INDEX_TUNING } from './search.index.ts';
import { presentResults } from './search.present.ts';
import {
  browse,
  type MatchPage,
  type PageRequest,
  rankAll,
  rankWithin,
  type SearchFilters,
  type SortBy,
  walkPostings,
} from './search.query.ts';
import { directoryStats, estimateFilters } from './search.stats.ts';
import { analyseQuery, queryWords, type SearchWord, tsqueryOf } from './search.text.ts';

/**
 * Directory search (docs/decisions/008-directory-search.md). The plan follows the lexicon: a query whose
 * rarest word is in at most `rareWordDocs` documents ranks all its matches (GIN); a query of common words
 * only walks the rarest word's postings best first and ranks at most `candidates` of them, counting the
 * total up to that many; when the walk finds less than a page (the filters are selective), every match
 * within the radius, or else of the words, is ranked.
 */
export interface SearchTuning {
  rareWordDocs: number;
  candidates: number;
  /** Postings read at most (a common word keeps no more: search.index.ts). */
  walkBudget: number;
}
export const SEARCH_TUNING: SearchTuning = {
  rareWordDocs: INDEX_TUNING.rareWordDocs,
  candidates: 300,
  walkBudget: INDEX_TUNING.postingsPerWord,
};

/** What the record knows for eligibility and where the patient lives. */
export function patientFacts(patient: PatientRow, today: string): PatientFacts {
  const address = (patient.address ?? null) as { postalCode?: string; state?: string } | null;
  const insurance = Array.isArray(patient.insurance)
    ? (patient.insurance as { payerType?: PayerType }[])
    : [];
  const payerTypes = [
    ...new Set(insurance.map((c) => c.payerType).filter((p): p is PayerType => Boolean(p))),
  ];
  return {
    age: ageOn(patient.birthDate, today),
    payerTypes: payerTypes.length ? payerTypes : null,
    householdSize: patient.householdSize ?? null,
    householdIncome: patient.householdIncome ?? null,
    postalCode: zip5(address?.postalCode),
    county: null,
    state: address?.state ?? null,
  };
}

/** The filters a patient's facts allow in SQL: only rules the record can check exclude anything. */
function eligibilityFilter(facts: PatientFacts, year: number): SearchFilters['eligibleFor'] {
  const guideline = guidelineFor(year, facts.state);
  const income =
    guideline && facts.householdSize !== null && facts.householdIncome !== null && facts.householdSize >= 1
      ? {
          amount: facts.householdIncome,
          povertyLine: povertyLine(facts.householdSize, guideline.year, guideline.area)!,
        }
      : null;
  return { age: facts.age, payers: facts.payerTypes, postalCode: facts.postalCode, income };
}

export interface SearchOptions {
  now?: Date;
  tuning?: SearchTuning;
}

/** A page of the directory for the query; the patient (when given) is read through the access check. */
export async function searchDirectory(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  q: ResourceSearchQuery,
  opts: SearchOptions = {},
): Promise<z.infer<typeof ResourceSearchResponse>> {
  // The need-to-know check (and the audit of the read, without the words searched), beside the words' analysis.
  const patient = q.patientId
    ? requirePatient(db, actor, origin, q.patientId, 'read', {
        action: 'resource.search',
        recordKind: 'patient',
        recordId: q.patientId,
        detail: { filters: filterNames(q) },
      }).then((access) => access.patient)
    : Promise.resolve(null);
  return runSearch(db, actor.organizationId, q, patient, false, opts);
}

/**
 * What the public site's resource finder may ask (issue 7): words, need, ZIP and distance, language, free,
 * open now. Nothing that reads a patient (no `patientId`, no eligibility) can be given.
 */
export type PublicDirectoryQuery = Pick<
  ResourceSearchQuery,
  'q' | 'domain' | 'zip' | 'radiusMiles' | 'openNow' | 'language' | 'cost' | 'page' | 'pageSize'
>;

/** A page of the directory's public, active services, for anyone (no actor, nothing audited). */
export async function searchPublicDirectory(
  db: Db,
  organizationId: string,
  q: PublicDirectoryQuery,
  opts: SearchOptions = {},
): Promise<z.infer<typeof ResourceSearchResponse>> {
  // Field by field, so that nothing else the caller's object carries reaches the search.
  const query: ResourceSearchQuery = {
    q: q.q,
    domain: q.domain,
    zip: q.zip,
    radiusMiles: q.radiusMiles,
    openNow: q.openNow,
    language: q.language,
    cost: q.cost,
    page: q.page,
    pageSize: q.pageSize,
  };
  return runSearch(db, organizationId, query, Promise.resolve(null), true, opts);
}

async function runSearch(
  db: Db,
  organizationId: string,
  q: ResourceSearchQuery,
  patientRead: Promise<PatientRow | null>,
  publicOnly: boolean,
  opts: SearchOptions,
): Promise<z.infer<typeof ResourceSearchResponse>> {
  const now = opts.now ?? new Date();
  const [analysed, patient] = await Promise.all([
    analyseQuery(db, organizationId, queryWords(q.q)),
    patientRead,
  ]);
  const today = localDate(now, analysed.timeZone);
  const year = Number(today.slice(0, 4));
  const facts = patient ? patientFacts(patient, today) : null;

  const place = q.zip
    ? { centroid: zipCentroid(q.zip), fromPatient: false }
    : facts
      ? { centroid: facts.postalCode ? zipCentroid(facts.postalCode) : null, fromPatient: true }
      : null;
  const radius = q.radiusMiles ?? (q.zip ? SEARCH_RADIUS_MILES.default : undefined);
  if (radius !== undefined && !place?.centroid) {
    throw invalid([
      place?.fromPatient
        ? { field: 'query.radiusMiles', message: 'the patient has no home ZIP code to measure from' }
        : { field: 'query.zip', message: 'is not a ZIP code we can place' },
    ]);
  }
  const center = place?.centroid ?? null;

  const openInstant = q.openAt ? new Date(q.openAt) : q.openNow ? now : null;
  const filters: SearchFilters = {
    organizationId,
    ...(publicOnly ? { publicOnly } : {}),
    domains: q.domain,
    taxonomy: q.taxonomy,
    assistanceKinds: q.assistanceKind,
    languages: q.language,
    free: q.cost === 'free',
    ...(center && radius !== undefined
      ? { within: { center, miles: radius, box: boundingBox(center, radius) } }
      : {}),
    ...(openInstant
      ? {
          openAt: {
            instant: openInstant,
            tenantZone: analysed.timeZone,
            tenantMinute: minuteOfWeek(openInstant, analysed.timeZone),
          },
        }
      : {}),
    ...(q.eligible && facts ? { eligibleFor: eligibilityFilter(facts, year) } : {}),
  };

  const searched = analysed.words.filter((w) => w.lexeme !== null);
  const sort: SortBy =
    q.sort === 'distance' && !center
      ? 'relevance'
      : (q.sort ?? (searched.length ? 'relevance' : center ? 'distance' : 'name'));
  const page: PageRequest = { offset: (q.page - 1) * q.pageSize, limit: q.pageSize, sort, origin: center };
  const found = await findMatches(db, filters, searched, page, opts.tuning ?? SEARCH_TUNING);

  const items = await presentResults(db, found.matches, {
    now,
    filters,
    words: searched,
    origin: center && place ? { zip: center.zip, label: center.label, fromPatient: place.fromPatient } : null,
    patient: facts,
    year,
  });
  return {
    items,
    page: q.page,
    pageSize: q.pageSize,
    total: found.total,
    totalIsCapped: found.totalIsCapped,
    corrections: searched.filter((w) => w.correctedTo).map((w) => ({ from: w.typed, to: w.correctedTo! })),
    origin: center ? { zip: center.zip, label: center.label } : null,
  };
}

/** Postings a walk should read at most when it expects to fill its candidates (a probe reads a document). */
const PROBE_CAP = 500;

/**
 * Chooses how to find the page (decision 008). Without words: the filters alone. A rare word: rank all of
 * its matches. Only common words: walk the rarest word's postings when the sample says that the filters
 * let enough of them through to fill a page within the walk's budget, asking for as many candidates as
 * about PROBE_CAP postings should give; otherwise, or when the walk comes back short, rank every match
 * within the radius when the radius holds fewer documents than the word, else every match of the words.
 */
async function findMatches(
  db: Db,
  filters: SearchFilters,
  words: readonly SearchWord[],
  page: PageRequest,
  tuning: SearchTuning,
): Promise<MatchPage> {
  if (!words.length) return browse(db, filters, page);
  // A word neither in the directory nor near one of its words matches nothing.
  if (words.some((w) => w.docCount === 0)) return { matches: [], total: 0, totalIsCapped: false };
  const tsquery = tsqueryOf(words);
  const rarest = words.reduce((a, b) => (b.docCount < a.docCount ? b : a));
  if (rarest.docCount <= tuning.rareWordDocs || page.sort !== 'relevance')
    return rankAll(db, filters, tsquery, page);

  const stats = await directoryStats(db, filters.organizationId);
  const otherWords = words
    .filter((w) => w.lexeme !== rarest.lexeme)
    .map((w) => ({ lexeme: w.lexeme!, docCount: w.docCount }));
  const share = estimateFilters(stats, filters, { rarest: rarest.lexeme!, others: otherWords });
  const lexemes = new Set(words.map((w) => w.lexeme));
  // The share of the rarest word's postings that pass everything else.
  const passing = share.walk;
  const needed = page.offset + page.limit;
  const readable = Math.min(tuning.walkBudget, rarest.docCount);
  const fallback = () =>
    filters.within && share.within * stats.docs < rarest.docCount
      ? rankWithin(db, filters, tsquery, page)
      : rankAll(db, filters, tsquery, page);
  if (readable * passing < needed * 1.5 && rarest.docCount > tuning.walkBudget) return fallback();
  const walked = await walkPostings(
    db,
    filters,
    {
      term: rarest.lexeme!,
      docCount: rarest.docCount,
      tsquery,
      singleWord: lexemes.size === 1,
      candidates: Math.max(needed, Math.min(tuning.candidates, Math.floor(PROBE_CAP * passing))),
      budget: tuning.walkBudget,
    },
    page,
  );
  return walked ?? fallback();
}

/** Which filters a search used, for the audit record (never the words searched). */
function filterNames(q: ResourceSearchQuery): string[] {
  const names: [string, unknown][] = [
    ['domain', q.domain?.length],
    ['taxonomy', q.taxonomy?.length],
    ['assistanceKind', q.assistanceKind?.length],
    ['distance', q.radiusMiles ?? q.zip],
    ['open', q.openNow || q.openAt],
    ['language', q.language?.length],
    ['cost', q.cost],
    ['eligible', q.eligible],
    ['text', q.q],
  ];
  return names.filter(([, used]) => Boolean(used)).map(([name]) => name);
}
