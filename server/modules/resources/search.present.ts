import { sql } from 'drizzle-orm';
import { evaluateEligibility, type PatientFacts } from '../../../domain/eligibility/rules.ts';
import { SDOH_DOMAIN_LABELS, type SdohDomain } from '../../../domain/needs.ts';
import {
  ASSISTANCE_KINDS,
  type AssistanceKind,
  type CostKind,
  EligibilityRules,
} from '../../../domain/resources.ts';
import {
  compileWeeklyHours,
  hoursTodayOn,
  localDate,
  minuteOfWeek,
  openUntilMinute,
  type ScheduleRule,
} from '../../../domain/resources-hours.ts';
import type { ResourceSearchResult } from '../../../domain/schemas/resources.ts';
import type { DbOrTx } from '../../db/client.ts';
import { locationAddressSql } from './resources.service.ts';
import type { SearchFilters } from './search.query.ts';
import type { SearchWord } from './search.text.ts';

/**
 * One page of search results as the worker reads them: the service and its organisation, address, phone,
 * distance, today's hours (computed here from the schedules of the page's results only), the eligibility
 * verdict for the patient, and why each matched.
 */

type Reason = ResourceSearchResult['why'][number];

interface DetailRow {
  id: string;
  service_id: string;
  location_id: string | null;
  service_at_location_id: string | null;
  time_zone: string;
  domains: SdohDomain[];
  languages: string[];
  cost: CostKind;
  assistance_kind: AssistanceKind | null;
  taxonomy_codes: string[];
  has_hours: boolean;
  name: string;
  description: string | null;
  assured_date: string | null;
  eligibility: unknown;
  minimum_age: string | number | null;
  maximum_age: string | number | null;
  org_id: string;
  org_name: string;
  address: string | null;
  phone: string | null;
  /** Where the query's words stand in the document: the weight letters found ('AC'). */
  matched_in: string | null;
  schedules: (ScheduleRule & { level: string })[] | null;
}

const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

const scheduleJson = (where: ReturnType<typeof sql>, level: string) => sql`(
  select json_agg(json_build_object('level', ${level}::text, 'freq', sc.freq, 'byday', sc.byday,
    'bymonthday', sc.bymonthday, 'interval', sc.interval, 'dtstart', sc.dtstart, 'opensAt', sc.opens_at,
    'closesAt', sc.closes_at, 'validFrom', sc.valid_from, 'validTo', sc.valid_to, 'description', sc.description))
  from directory_schedules sc where ${where})`;

/** The page's documents with what a result shows, in one statement. */
async function loadDetails(
  db: DbOrTx,
  ids: readonly string[],
  lexemes: readonly string[],
): Promise<DetailRow[]> {
  return rowsOf<DetailRow>(
    await db.execute(sql`
      select d.id, d.service_id, d.location_id, d.service_at_location_id, d.time_zone, d.domains, d.languages,
        d.cost, d.assistance_kind, d.taxonomy_codes, d.open_hours is not null as has_hours,
        s.name, s.description, s.assured_date::text as assured_date, s.eligibility, s.minimum_age, s.maximum_age,
        o.id as org_id, o.name as org_name,
        ${locationAddressSql(sql`d.location_id`)} as address,
        -- The service's number (at this location first), else the location's. (An organisation-wide number
        -- is not looked up: directory_phones has no index on directory_organization_id.)
        coalesce(
          (select ph.number from directory_phones ph where ph.service_id = d.service_id
            order by (ph.service_at_location_id is not distinct from d.service_at_location_id) desc, ph.id limit 1),
          (select ph.number from directory_phones ph where ph.location_id = d.location_id order by ph.id limit 1)
        ) as phone,
        ${
          lexemes.length
            ? sql`(select string_agg(distinct w, '' order by w) from unnest(d.document) u, unnest(u.weights) w
                 where u.lexeme = any(${sql.param(lexemes)}::text[]))`
            : sql`null`
        } as matched_in,
        coalesce(
          ${scheduleJson(sql`sc.service_at_location_id = d.service_at_location_id`, 'sal')},
          ${scheduleJson(sql`sc.service_id = d.service_id and sc.service_at_location_id is null`, 'service')}
        ) as schedules
      from directory_search_docs d
      join directory_services s on s.id = d.service_id
      join directory_organizations o on o.id = d.directory_organization_id
      where d.id = any(${sql.param(ids)}::uuid[])`),
  );
}

/**
 * Location-level schedules, read only for results whose hours come from their location (weekly hours
 * compiled, but none of the service's own): the schedules table has no index on location_id.
 */
async function locationSchedules(db: DbOrTx, locationIds: string[]): Promise<Map<string, ScheduleRule[]>> {
  if (!locationIds.length) return new Map();
  const rows = rowsOf<ScheduleRule & { location_id: string }>(
    await db.execute(sql`
      select sc.location_id, sc.freq, sc.byday, sc.bymonthday, sc.interval, sc.dtstart::text as dtstart,
        sc.opens_at as "opensAt", sc.closes_at as "closesAt", sc.valid_from::text as "validFrom",
        sc.valid_to::text as "validTo", sc.description
      from directory_schedules sc
      where sc.location_id = any(${sql.param(locationIds)}::uuid[]) and sc.service_at_location_id is null`),
  );
  const out = new Map<string, ScheduleRule[]>();
  for (const row of rows) out.set(row.location_id, [...(out.get(row.location_id) ?? []), row]);
  return out;
}

/** "name", "name and description", from the weights a word was found with. */
function whereMatched(letters: string | null): string {
  const parts = [
    letters?.includes('A') && 'name',
    letters?.includes('B') && 'organisation or category',
    letters?.includes('C') && 'description',
    letters?.includes('D') && 'eligibility or how to apply',
  ].filter(Boolean) as string[];
  if (!parts.length) return '';
  return ` in the ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : parts[0]}`;
}

const languageNames = new Intl.DisplayNames(['en'], { type: 'language' });
const languageName = (code: string) => {
  try {
    return languageNames.of(code) ?? code;
  } catch {
    return code;
  }
};
const roundMiles = (m: number) => (m < 10 ? Math.round(m * 10) / 10 : Math.round(m));

/** The service's rules with its HSDS age limits folded in. */
function rulesOf(row: DetailRow): EligibilityRules {
  const parsed = EligibilityRules.safeParse(row.eligibility ?? {});
  const rules: EligibilityRules = parsed.success ? { ...parsed.data } : {};
  const min = row.minimum_age === null ? undefined : Math.ceil(Number(row.minimum_age));
  const max = row.maximum_age === null ? undefined : Math.floor(Number(row.maximum_age));
  if (min !== undefined) rules.minAge = Math.max(rules.minAge ?? min, min);
  if (max !== undefined) rules.maxAge = Math.min(rules.maxAge ?? max, max);
  return rules;
}

export interface PresentContext {
  now: Date;
  filters: SearchFilters;
  words: readonly SearchWord[];
  origin: { zip: string; label: string; fromPatient: boolean } | null;
  patient: PatientFacts | null;
  year: number;
}

/** The results of a page, in the order of `matches`. */
export async function presentResults(
  db: DbOrTx,
  matches: readonly { id: string; miles: number | null }[],
  ctx: PresentContext,
): Promise<ResourceSearchResult[]> {
  if (!matches.length) return [];
  const lexemes = [...new Set(ctx.words.filter((w) => w.lexeme).map((w) => w.lexeme!))];
  const rows = await loadDetails(
    db,
    matches.map((m) => m.id),
    lexemes,
  );
  const fromLocation = await locationSchedules(
    db,
    rows.filter((r) => !r.schedules && r.has_hours && r.location_id).map((r) => r.location_id!),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  const clock = zoneClock();
  return matches.flatMap((m) => {
    const row = byId.get(m.id);
    if (!row) return [];
    const schedules =
      row.schedules ?? (row.location_id ? fromLocation.get(row.location_id) : undefined) ?? [];
    const eligibility = ctx.patient ? evaluateEligibility(rulesOf(row), ctx.patient, ctx.year) : null;
    return [
      {
        id: row.id,
        serviceId: row.service_id,
        locationId: row.location_id,
        name: row.name,
        organization: { id: row.org_id, name: row.org_name },
        description: row.description,
        // Only the codes the contract knows (an import may carry others).
        domains: row.domains.filter((d) => d in SDOH_DOMAIN_LABELS),
        assistanceKind:
          row.assistance_kind && row.assistance_kind in ASSISTANCE_KINDS ? row.assistance_kind : null,
        address: row.address,
        phone: row.phone,
        distanceMiles: m.miles === null ? null : roundMiles(m.miles),
        hoursToday: hoursTodayOn(
          schedules,
          clock.date(ctx.now, row.time_zone),
          clock.minute(ctx.now, row.time_zone),
        ),
        languages: row.languages,
        cost: row.cost,
        eligibility,
        why: reasonsFor(row, m.miles, schedules, eligibility, ctx, clock),
        assuredDate: row.assured_date,
      },
    ];
  });
}

/** Local dates and minutes of the week, worked out once per instant and zone for a page (most share one zone). */
function zoneClock() {
  const memo = new Map<string, { date: string; minute: number }>();
  const read = (at: Date, zone: string) => {
    const key = `${at.getTime()} ${zone}`;
    let hit = memo.get(key);
    if (!hit) {
      hit = { date: localDate(at, zone), minute: minuteOfWeek(at, zone) };
      memo.set(key, hit);
    }
    return hit;
  };
  return {
    date: (at: Date, zone: string) => read(at, zone).date,
    minute: (at: Date, zone: string) => read(at, zone).minute,
  };
}
type ZoneClock = ReturnType<typeof zoneClock>;

function reasonsFor(
  row: DetailRow,
  miles: number | null,
  schedules: readonly ScheduleRule[],
  eligibility: ReturnType<typeof evaluateEligibility> | null,
  ctx: PresentContext,
  clock: ZoneClock,
): Reason[] {
  const why: Reason[] = [];
  const f = ctx.filters;
  const typed = ctx.words.filter((w) => w.lexeme && w.docCount > 0);
  if (typed.length) {
    const quoted = typed.map((w) => `“${w.correctedTo ?? w.typed}”`).join(' ');
    why.push({ kind: 'text', text: `Matches ${quoted}${whereMatched(row.matched_in)}` });
    for (const w of typed.filter((w) => w.correctedTo)) {
      why.push({ kind: 'corrected', text: `“${w.typed}” read as “${w.correctedTo}”` });
    }
  }
  if (f.domains?.length) {
    const hit = row.domains.filter((d) => f.domains!.includes(d));
    if (hit.length)
      why.push({
        kind: 'domain',
        text: `Addresses ${hit.map((d) => SDOH_DOMAIN_LABELS[d].toLowerCase()).join(', ')}`,
      });
  }
  if (f.taxonomy?.length) {
    const hit = row.taxonomy_codes.filter((c) =>
      f.taxonomy!.some((t) => c.toUpperCase().startsWith(t.toUpperCase())),
    );
    if (hit.length) why.push({ kind: 'taxonomy', text: `Listed under ${hit.join(', ')}` });
  }
  if (miles !== null && ctx.origin) {
    const from = ctx.origin.fromPatient
      ? `the patient’s home ZIP ${ctx.origin.zip}`
      : `ZIP ${ctx.origin.zip}`;
    const within = f.within ? ` (within ${f.within.miles} mi)` : '';
    why.push({ kind: 'distance', text: `${roundMiles(miles)} mi from ${from}${within}` });
  }
  if (f.openAt) {
    const ranges = compileWeeklyHours(schedules, clock.date(f.openAt.instant, row.time_zone)) ?? [];
    const until = openUntilMinute(ranges, clock.minute(f.openAt.instant, row.time_zone));
    const when = Math.abs(f.openAt.instant.getTime() - ctx.now.getTime()) < 60_000 ? 'Open now' : 'Open then';
    why.push({ kind: 'open', text: until ? `${when}, ${until.replace(/^open /, '')}` : when });
  }
  if (f.languages?.length) {
    const hit = row.languages.filter((l) => f.languages!.includes(l));
    if (hit.length) why.push({ kind: 'language', text: `Offered in ${hit.map(languageName).join(', ')}` });
  }
  if (f.free) why.push({ kind: 'cost', text: 'Free' });
  if (eligibility && f.eligibleFor) {
    const text =
      eligibility.verdict === 'eligible'
        ? `Eligible: ${eligibility.reasons.join('; ')}`
        : eligibility.verdict === 'possibly'
          ? `Possibly eligible: ${eligibility.reasons[0]}`
          : eligibility.verdict === 'no-rules'
            ? 'No eligibility rules listed'
            : `Not eligible: ${eligibility.reasons[0]}`;
    why.push({ kind: 'eligibility', text });
  }
  return why;
}
