import { type SQL, sql } from 'drizzle-orm';
import { SDOH_DOMAIN_LABELS } from '../../../domain/needs.ts';
import { ASSISTANCE_KINDS } from '../../../domain/resources.ts';
import {
  compileWeeklyHours,
  type ScheduleRule,
  toMultirangeLiteral,
} from '../../../domain/resources-hours.ts';
import type { DbOrTx } from '../../db/client.ts';
import { zipCentroids } from './geo.ts';

/**
 * The search documents of the read model (search.index.ts): where each service is offered, with what
 * JavaScript works out for it (hours compiled by domain/resources-hours.ts, the same code that shows them;
 * ZIP centroids for locations without coordinates), written by one set-based statement per batch.
 */

/** The text search configuration of documents and queries. */
export const SEARCH_CONFIG = 'english';
const config = sql.raw(`'${SEARCH_CONFIG}'::regconfig`);

const p = (value: unknown) => sql.param(value);
const rowsOf = <T>(result: unknown) => (result as { rows: T[] }).rows;

export const forServices = (ids: string[] | null, column: SQL) =>
  ids ? sql`and ${column} = any(${p(ids)}::uuid[])` : sql``;

/** One search document to write: where the service is offered, with what JavaScript worked out for it. */
export interface Place {
  docId: string;
  serviceId: string;
  locationId: string | null;
  salId: string | null;
  latitude: number | null;
  longitude: number | null;
  zip: string | null;
  city: string | null;
  hours: string | null;
  locationLanguages: string[];
}

/**
 * Every place the services are offered (a service at a location, or the service alone), with its
 * coordinates (the location's, else its ZIP's centroid), its weekly hours compiled from the schedules that
 * apply (those of the service at the location, else of the service, else of the location; only those
 * valid today) and the location's languages.
 */
export async function placesOf(
  tx: DbOrTx,
  organizationId: string,
  ids: string[] | null,
  today: string,
): Promise<Place[]> {
  const rows = rowsOf<{
    doc_id: string;
    service_id: string;
    location_id: string | null;
    sal_id: string | null;
    latitude: number | null;
    longitude: number | null;
    zip: string | null;
    city: string | null;
  }>(
    await tx.execute(sql`
      with places as (
        select sal.id as doc_id, sal.service_id, sal.location_id, sal.id as sal_id
        from directory_service_at_locations sal
        where sal.organization_id = ${organizationId} ${forServices(ids, sql`sal.service_id`)}
        union all
        select s.id, s.id, null::uuid, null::uuid from directory_services s
        where s.organization_id = ${organizationId} ${forServices(ids, sql`s.id`)}
          and not exists (select 1 from directory_service_at_locations sal where sal.service_id = s.id)
      )
      select p.*, l.latitude, l.longitude, a.zip, a.city
      from places p
      left join directory_locations l on l.id = p.location_id
      left join lateral (
        select left(ad.postal_code, 5) as zip, ad.city from directory_addresses ad where ad.location_id = p.location_id
        order by (ad.address_type = 'physical') desc, ad.id limit 1
      ) a on true`),
  );
  const schedules = rowsOf<
    ScheduleRule & { sal: string | null; service: string | null; location: string | null }
  >(
    await tx.execute(sql`
      select s.service_at_location_id as sal, s.service_id as service, s.location_id as location,
        s.freq, s.byday, s.bymonthday, s.interval, s.dtstart::text as dtstart, s.opens_at as "opensAt",
        s.closes_at as "closesAt", s.valid_from::text as "validFrom", s.valid_to::text as "validTo"
      from directory_schedules s
      where s.organization_id = ${organizationId}
        ${
          ids
            ? sql`and (s.service_id = any(${p(ids)}::uuid[])
                or s.service_at_location_id in (select sal.id from directory_service_at_locations sal where sal.service_id = any(${p(ids)}::uuid[]))
                or s.location_id in (select sal.location_id from directory_service_at_locations sal where sal.service_id = any(${p(ids)}::uuid[])))`
            : sql``
        }`),
  );
  const languages = rowsOf<{ location_id: string; code: string }>(
    await tx.execute(sql`
      select g.location_id, lower(g.code) as code from directory_languages g
      where g.organization_id = ${organizationId} and g.location_id is not null and g.code is not null
        ${ids ? sql`and g.location_id in (select sal.location_id from directory_service_at_locations sal where sal.service_id = any(${p(ids)}::uuid[]))` : sql``}`),
  );

  // Schedules by where they hang; a schedule given with a service and a location is that service there.
  const group = <K>(list: readonly K[], keyOf: (k: K) => string | null) => {
    const out = new Map<string, K[]>();
    for (const item of list) {
      const key = keyOf(item);
      if (key === null) continue;
      const bucket = out.get(key);
      if (bucket) bucket.push(item);
      else out.set(key, [item]);
    }
    return out;
  };
  const atSal = group(schedules, (s) => s.sal);
  const atServiceHere = group(schedules, (s) =>
    !s.sal && s.service && s.location ? `${s.service}:${s.location}` : null,
  );
  const ofService = group(schedules, (s) => (!s.sal && s.service && !s.location ? s.service : null));
  const ofLocation = group(schedules, (s) => (!s.sal && !s.service ? s.location : null));
  const locationLanguages = group(languages, (g) => g.location_id);
  const centroids = zipCentroids(
    rows.filter((r) => r.latitude === null || r.longitude === null).map((r) => r.zip),
  );

  return rows.map((r) => {
    const applying =
      (r.sal_id && atSal.get(r.sal_id)) ||
      (r.location_id && atServiceHere.get(`${r.service_id}:${r.location_id}`)) ||
      ofService.get(r.service_id) ||
      (r.location_id && ofLocation.get(r.location_id)) ||
      [];
    const ranges = compileWeeklyHours(applying, today);
    const placed = r.latitude !== null && r.longitude !== null;
    const centroid = placed || !r.zip ? null : centroids.get(r.zip);
    return {
      docId: r.doc_id,
      serviceId: r.service_id,
      locationId: r.location_id,
      salId: r.sal_id,
      latitude: placed ? r.latitude : (centroid?.latitude ?? null),
      longitude: placed ? r.longitude : (centroid?.longitude ?? null),
      zip: r.zip,
      city: r.city,
      hours: ranges ? toMultirangeLiteral(ranges) : null,
      locationLanguages: [
        ...new Set((r.location_id && locationLanguages.get(r.location_id)?.map((g) => g.code)) || []),
      ],
    };
  });
}

const domainCodes = Object.keys(SDOH_DOMAIN_LABELS);
const domainLabels = Object.values(SDOH_DOMAIN_LABELS);
const assistanceCodes = Object.keys(ASSISTANCE_KINDS);
const assistanceLabels = Object.values(ASSISTANCE_KINDS);

/** "Free", "free of charge", "no fee", "no cost", "no charge". */
const SAYS_FREE = String.raw`\m(free|no (fee|fees|cost|charge))\M`;

/** A text[] as a PostgreSQL array literal, to travel inside an array of arrays. */
const arrayLiteral = (values: readonly string[]) =>
  `{${values.map((v) => `"${v.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`;

/**
 * Documents near each other are written next to each other (bands of 0.05° of latitude, about 3.5 miles,
 * then by longitude): a search within a radius then reads a few runs of table pages instead of one page
 * per document.
 */
function byNeighbourhood(a: Place, b: Place): number {
  const band = (x: Place) => (x.latitude === null ? Number.POSITIVE_INFINITY : Math.floor(x.latitude / 0.05));
  return band(a) - band(b) || (a.longitude ?? 0) - (b.longitude ?? 0) || (a.docId < b.docId ? -1 : 1);
}

/**
 * Writes the documents of the places, in batches of one statement each. The places drive the statement
 * (an unnest of arrays, one per column) and everything else is read by primary key or index per place, so
 * the plan stays linear whatever the planner believes about freshly loaded tables.
 */
export async function insertDocs(
  tx: DbOrTx,
  organizationId: string,
  tenantZone: string,
  places: readonly Place[],
): Promise<number> {
  const BATCH = 5000;
  const ordered = [...places].sort(byNeighbourhood);
  for (let i = 0; i < ordered.length; i += BATCH) {
    const batch = ordered.slice(i, i + BATCH);
    const col = <T>(f: (p: Place) => T) => p(batch.map(f));
    await tx.execute(sql`
      insert into directory_search_docs (
        id, organization_id, service_id, location_id, service_at_location_id, directory_organization_id, status,
        public, domains, taxonomy_codes, languages, latitude, longitude, postal_code, time_zone, open_hours, cost,
        assistance_kind, minimum_age, maximum_age, max_poverty_percent, eligible_payers, eligible_postal_codes,
        document, updated_at)
      select pl.doc_id, s.organization_id, s.id, l.id, pl.sal_id, s.directory_organization_id, s.status, s.public,
        s.domains, coalesce(tax.codes, '{}'),
        array(select distinct c from unnest(coalesce(langs.codes, '{}') || pl.loc_langs::text[]) c order by c),
        pl.latitude, pl.longitude, pl.zip, coalesce(l.time_zone, ${tenantZone}), pl.hours::int4multirange,
        case when coalesce(co.free, false) or coalesce(s.fees_description ~* ${SAYS_FREE}, false) then 'free'
             when co.fee then 'fee' else 'unknown' end,
        s.assistance_kind,
        greatest(s.minimum_age, (s.eligibility->>'minAge')::numeric),
        least(s.maximum_age, (s.eligibility->>'maxAge')::numeric),
        (s.eligibility->>'maxPovertyPercent')::int,
        case when jsonb_typeof(s.eligibility->'payers') = 'array'
          then array(select jsonb_array_elements_text(s.eligibility->'payers')) end,
        case when jsonb_typeof(s.eligibility->'postalCodes') = 'array'
          then array(select jsonb_array_elements_text(s.eligibility->'postalCodes')) end,
        setweight(to_tsvector(${config}, s.name), 'A')
          || setweight(to_tsvector(${config}, concat_ws(' ', o.name, tax.names,
               (select string_agg(dl.label, ' ') from unnest(${p(domainCodes)}::text[], ${p(domainLabels)}::text[]) as dl(code, label)
                 where dl.code = any(s.domains)),
               (select kl.label from unnest(${p(assistanceCodes)}::text[], ${p(assistanceLabels)}::text[]) as kl(code, label)
                 where kl.code = s.assistance_kind))), 'B')
          || setweight(to_tsvector(${config}, concat_ws(' ', s.alternate_name, s.description, o.alternate_name,
               l.name, sal.description, pl.city)), 'C')
          || setweight(to_tsvector(${config}, concat_ws(' ', s.eligibility_description, s.application_process)), 'D'),
        now()
      from unnest(${col((x) => x.docId)}::uuid[], ${col((x) => x.serviceId)}::uuid[], ${col((x) => x.locationId)}::uuid[],
          ${col((x) => x.salId)}::uuid[], ${col((x) => x.latitude)}::float8[], ${col((x) => x.longitude)}::float8[],
          ${col((x) => x.zip)}::text[], ${col((x) => x.city)}::text[], ${col((x) => x.hours)}::text[],
          ${col((x) => arrayLiteral(x.locationLanguages))}::text[])
        as pl(doc_id, service_id, location_id, sal_id, latitude, longitude, zip, city, hours, loc_langs)
      join directory_services s on s.id = pl.service_id
      join directory_organizations o on o.id = s.directory_organization_id
      left join directory_locations l on l.id = pl.location_id
      left join directory_service_at_locations sal on sal.id = pl.sal_id
      left join lateral (
        select array_agg(distinct lower(g.code)) as codes from directory_languages g
        where g.service_id = s.id and g.code is not null
      ) langs on true
      left join lateral (
        select array_agg(distinct coalesce(t.code, t.external_id)) as codes, string_agg(distinct t.name, ' ') as names
        from directory_attributes a join directory_taxonomy_terms t on t.id = a.taxonomy_term_id
        where a.organization_id = s.organization_id and a.source = s.source and a.link_entity = 'service'
          and a.link_external_id = s.external_id
      ) tax on true
      left join lateral (
        select bool_or(c.amount = 0 or c.option ~* ${SAYS_FREE}) as free, bool_or(c.amount > 0) as fee
        from directory_cost_options c where c.service_id = s.id
      ) co on true
      where s.organization_id = ${organizationId}`);
  }
  return places.length;
}
