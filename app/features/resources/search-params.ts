import { SDOH_DOMAINS, type SdohDomain } from '../../../domain/needs.ts';
import { ASSISTANCE_KINDS, type AssistanceKind } from '../../../domain/resources.ts';

/**
 * A directory search as it lives in the address bar: the same parameter names as `GET /api/resources/search`
 * (ResourceSearchQuery), so that a shared or reloaded link runs the same search, plus `needId` (the need a
 * referral will answer, for the referrals feature).
 */
export interface SearchState {
  q: string;
  domain: SdohDomain[];
  taxonomy: string[];
  assistanceKind: AssistanceKind[];
  patientId: string | null;
  needId: string | null;
  zip: string;
  radiusMiles: number | null;
  openNow: boolean;
  /** An instant (ISO 8601), when searching for services open at a chosen time. */
  openAt: string | null;
  language: string[];
  free: boolean;
  eligible: boolean;
  sort: SearchSort;
  page: number;
}

export const SEARCH_SORTS = ['relevance', 'distance', 'name'] as const;
export type SearchSort = (typeof SEARCH_SORTS)[number];

const DOMAINS = new Set<string>(SDOH_DOMAINS);
const KINDS = new Set<string>(Object.keys(ASSISTANCE_KINDS));
const ZIP = /^\d{5}$/;

/** Reads a search from the address's query string; anything malformed is left out rather than sent. */
export function readSearch(params: URLSearchParams): SearchState {
  const radius = Number(params.get('radiusMiles'));
  const page = Number(params.get('page'));
  const sort = params.get('sort');
  const openAt = params.get('openAt');
  return {
    q: params.get('q') ?? '',
    domain: params.getAll('domain').filter((d): d is SdohDomain => DOMAINS.has(d)),
    taxonomy: params.getAll('taxonomy').filter(Boolean),
    assistanceKind: params.getAll('assistanceKind').filter((k): k is AssistanceKind => KINDS.has(k)),
    patientId: params.get('patientId') || null,
    needId: params.get('needId') || null,
    zip: params.get('zip') ?? '',
    radiusMiles: radius > 0 ? radius : null,
    openNow: params.get('openNow') === 'true',
    openAt: openAt && !Number.isNaN(Date.parse(openAt)) ? openAt : null,
    language: params.getAll('language').filter(Boolean),
    free: params.get('cost') === 'free',
    eligible: params.get('eligible') === 'true',
    sort: SEARCH_SORTS.includes(sort as SearchSort) ? (sort as SearchSort) : 'relevance',
    page: Number.isInteger(page) && page > 1 ? page : 1,
  };
}

/** The query string of a search, for the address bar (`withContext`) or the API. */
export function writeSearch(state: SearchState, { forApi = false } = {}): URLSearchParams {
  const params = new URLSearchParams();
  const set = (key: string, value: string | null | undefined) => {
    if (value) params.set(key, value);
  };
  set('q', state.q.trim());
  for (const d of state.domain) params.append('domain', d);
  for (const t of state.taxonomy) params.append('taxonomy', t);
  for (const k of state.assistanceKind) params.append('assistanceKind', k);
  set('patientId', state.patientId);
  if (!forApi) set('needId', state.needId);
  const zip = ZIP.test(state.zip.trim()) ? state.zip.trim() : '';
  // The API measures from the patient's address when it is known, else from the ZIP code.
  set('zip', zip);
  const measurable = Boolean(state.patientId || zip);
  if (state.radiusMiles && (measurable || !forApi)) set('radiusMiles', String(state.radiusMiles));
  if (state.openAt) set('openAt', state.openAt);
  else if (state.openNow) set('openNow', 'true');
  for (const l of state.language) params.append('language', l);
  if (state.free) set('cost', 'free');
  if (state.eligible && state.patientId) set('eligible', 'true');
  if (state.sort !== 'relevance') set('sort', state.sort);
  if (state.page > 1) set('page', String(state.page));
  return params;
}

/** Whether the worker has asked for anything yet (text or a filter); an empty search shows the whole directory. */
export function hasCriteria(state: SearchState): boolean {
  return Boolean(
    state.q.trim() ||
      state.domain.length ||
      state.taxonomy.length ||
      state.assistanceKind.length ||
      state.zip ||
      state.openNow ||
      state.openAt ||
      state.language.length ||
      state.free ||
      state.eligible,
  );
}
