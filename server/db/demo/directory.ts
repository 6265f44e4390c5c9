import zipcodes from 'zipcodes';
import type { SdohDomain } from '../../../domain/needs.ts';
import {
  directoryAddresses,
  directoryAttributes,
  directoryCostOptions,
  directoryLanguages,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
  directoryTaxonomies,
  directoryTaxonomyTerms,
} from '../../modules/resources/resources.tables.ts';
import type { DbOrTx } from '../client.ts';
import { DAY, MINUTE } from './context.ts';
import {
  BOSTON_AREA,
  HOURS,
  type HoursPattern,
  OTHER_LANGUAGES,
  SERVICE_KINDS,
  type ServiceKind,
  SHARED_SENTENCES,
} from './directory-vocab.ts';
import { type DemoRandom, demoRandom } from './random.ts';
import type { RowWriter } from './writer.ts';

/**
 * The demo department's community resource directory, HSDS-shaped (organizations, services with the needs
 * they address, financial-assistance programs with eligibility rules, locations with addresses and
 * coordinates, service-at-location, phones, schedules, languages, fees, documents to bring, taxonomy), from
 * its own seeded random source so that the rest of the demo does not move when it changes. A few hundred
 * services in the Boston area for the demo; the benchmark asks for 100,000 across Massachusetts.
 */

/** Parents first: the order the writer flushes them in. */
export const DIRECTORY_TABLES = [
  directoryOrganizations,
  directoryTaxonomies,
  directoryTaxonomyTerms,
  directoryLocations,
  directoryAddresses,
  directoryServices,
  directoryServiceAtLocations,
  directoryPhones,
  directorySchedules,
  directoryLanguages,
  directoryCostOptions,
  directoryRequiredDocuments,
  directoryAttributes,
];

/** Services in the demo department's directory. */
export const DEMO_DIRECTORY_SERVICES = 300;
const SOURCE = 'kith-demo';

/** The organisation the end-to-end referral test sends to; its pantry is open long hours every day. */
export const FOOD_PANTRY_NETWORK = {
  name: 'Greater Boston Food Pantry Network',
  referralEmail: 'referrals@foodpantry.example.org',
  pantry: 'Greater Boston Food Pantry — South End',
} as const;

export interface DemoDirectoryService {
  id: string;
  name: string;
  directoryOrganizationId: string;
  domains: SdohDomain[];
  locationIds: string[];
  status: string;
}

export interface DemoDirectory {
  services: DemoDirectoryService[];
}

interface Place {
  zip: string;
  place: string;
  latitude: number;
  longitude: number;
}

/** Where services are: the Boston area for a demo-sized directory, every Massachusetts ZIP for a large one. */
function placesFor(services: number): Place[] {
  const list: Place[] =
    services <= 5000
      ? BOSTON_AREA.map(([zip, place]) => {
          const { latitude, longitude } = zipcodes.lookup(zip)!;
          return { zip, place, latitude, longitude };
        })
      : zipcodes
          .lookupByState('MA')
          .filter((z) => Number.isFinite(z.latitude))
          .sort((a, b) => a.zip.localeCompare(b.zip))
          .map((z) => ({
            zip: z.zip,
            place: titleCase(z.city),
            latitude: z.latitude,
            longitude: z.longitude,
          }));
  return list.map(({ zip, place, latitude, longitude }) => ({ zip, place, latitude, longitude }));
}

const titleCase = (s: string) => s.toLowerCase().replace(/\b\p{L}/gu, (c) => c.toUpperCase());

interface Gen {
  r: DemoRandom;
  w: RowWriter;
  organizationId: string;
  now: number;
  places: Place[];
  seq: { org: number; loc: number; svc: number; row: number };
  terms: Map<string, string>;
  out: DemoDirectoryService[];
}

const at = (g: Gen) => g.now - 400 * DAY + g.seq.row++ * MINUTE;
const provenance = (g: Gen, kind: string, n: number) => ({
  organizationId: g.organizationId,
  source: SOURCE,
  externalId: `${kind}-${n}`,
});
const phoneNumber = (r: DemoRandom) =>
  `(${r.pick(['617', '857', '781', '508', '978'])}) 555-01${String(r.int(0, 99)).padStart(2, '0')}`;
const slug = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '')
    .slice(0, 24);

/**
 * Writes a directory of `services` services into the writer, flushing it through `db` as it goes so that a
 * large one does not sit in memory. Same seed and `now`, same rows.
 */
export async function writeDemoDirectory(
  db: DbOrTx,
  w: RowWriter,
  opts: { seed: number; now: number; organizationId: string; services: number },
): Promise<DemoDirectory> {
  const g: Gen = {
    r: demoRandom(opts.seed ^ 0x0d12ec70),
    w,
    organizationId: opts.organizationId,
    now: opts.now,
    places: placesFor(opts.services),
    seq: { org: 0, loc: 0, svc: 0, row: 0 },
    terms: new Map(),
    out: [],
  };
  writeTaxonomy(g);
  foodPantryNetwork(g);
  const kinds = SERVICE_KINDS.map((k) => [k.weight, k] as const);
  while (g.seq.svc < opts.services) {
    organization(g, g.r.weighted(kinds), opts.services - g.seq.svc);
    if (w.pending >= 50_000) await w.flush(db);
  }
  await w.flush(db);
  return { services: g.out };
}

function writeTaxonomy(g: Gen): void {
  const taxonomyId = g.r.id(at(g));
  g.w.add(directoryTaxonomies, {
    id: taxonomyId,
    ...provenance(g, 'taxonomy', 1),
    name: 'Kith demo taxonomy (AIRS-style codes)',
    description: 'Service categories for the demo directory.',
  });
  for (const kind of SERVICE_KINDS) {
    if (g.terms.has(kind.taxonomy.code)) continue;
    const id = g.r.id(at(g));
    g.terms.set(kind.taxonomy.code, id);
    g.w.add(directoryTaxonomyTerms, {
      id,
      ...provenance(g, 'term', g.terms.size),
      code: kind.taxonomy.code,
      name: kind.taxonomy.name,
      taxonomy: 'Kith demo taxonomy',
      taxonomyId,
    });
  }
}

function addOrganization(g: Gen, name: string, referralEmail: string | null) {
  const n = ++g.seq.org;
  const id = g.r.id(at(g));
  const domain = `${slug(name)}.example.org`;
  g.w.add(directoryOrganizations, {
    id,
    ...provenance(g, 'org', n),
    name,
    description: `${name} serves residents of the area.`,
    email: `info@${domain}`,
    website: `https://${domain}`,
    taxStatus: '501(c)(3)',
    referralEmail,
  });
  return { id, domain };
}

function addLocation(g: Gen, orgId: string, place: Place, name: string, opts: { placed?: boolean } = {}) {
  const n = ++g.seq.loc;
  const id = g.r.id(at(g));
  const placed = opts.placed ?? g.r.chance(0.95);
  // Within about half a mile of the ZIP's centre.
  const jitter = () => (g.r.faker.number.float() - 0.5) * 0.014;
  g.w.add(directoryLocations, {
    id,
    ...provenance(g, 'loc', n),
    directoryOrganizationId: orgId,
    locationType: 'physical',
    name,
    latitude: placed ? Number((place.latitude + jitter()).toFixed(6)) : null,
    longitude: placed ? Number((place.longitude + jitter()).toFixed(6)) : null,
    transportation: g.r.chance(0.4) ? 'Near bus and subway stops.' : null,
  });
  g.w.add(directoryAddresses, {
    id: g.r.id(at(g)),
    ...provenance(g, 'addr', n),
    locationId: id,
    address1: g.r.faker.location.streetAddress(),
    city: place.place,
    stateProvince: 'MA',
    postalCode: place.zip,
    country: 'US',
    addressType: 'physical',
  });
  // The organisation's number at this location.
  g.w.add(directoryPhones, {
    id: g.r.id(at(g)),
    ...provenance(g, 'loc-phone', n),
    directoryOrganizationId: orgId,
    locationId: id,
    number: phoneNumber(g.r),
    type: 'voice',
  });
  return id;
}

function schedules(g: Gen, pattern: HoursPattern, owner: Record<string, string>) {
  for (const rule of pattern) {
    g.w.add(directorySchedules, {
      id: g.r.id(at(g)),
      ...provenance(g, 'sched', g.seq.row),
      ...owner,
      freq: rule.freq ?? null,
      byday: rule.byday ?? null,
      opensAt: rule.opensAt ?? null,
      closesAt: rule.closesAt ?? null,
    });
  }
}

interface ServicePlan {
  kind: ServiceKind;
  name: string;
  orgId: string;
  locationIds: string[];
  hours: HoursPattern;
  status?: string;
  description?: string;
}

function addService(g: Gen, plan: ServicePlan): string {
  const { kind, r } = { kind: plan.kind, r: g.r };
  const n = ++g.seq.svc;
  const id = r.id(at(g));
  const shared =
    !kind.domains.includes('food-insecurity') && r.chance(0.55) ? ` ${r.pick(SHARED_SENTENCES)}` : '';
  const status =
    plan.status ??
    r.weighted([
      [94, 'active'],
      [4, 'inactive'],
      [2, 'temporarily closed'],
    ] as const);
  g.w.add(directoryServices, {
    id,
    ...provenance(g, 'svc', n),
    directoryOrganizationId: plan.orgId,
    name: plan.name,
    description: plan.description ?? `${r.pick(kind.descriptions)}${shared}`,
    status,
    applicationProcess: kind.applicationProcess ?? null,
    eligibilityDescription: kind.eligibilityDescription ?? null,
    feesDescription: r.chance(0.2) && kind.free === 1 ? 'Free' : null,
    interpretationServices: r.chance(0.5) ? 'Phone interpreters for any language.' : null,
    domains: [...kind.domains],
    assistanceKind: kind.assistanceKind ?? null,
    eligibility: kind.eligibility ?? {},
    assuredDate: new Date(g.now - r.int(5, 700) * DAY).toISOString().slice(0, 10),
  });
  g.out.push({
    id,
    name: plan.name,
    directoryOrganizationId: plan.orgId,
    domains: [...kind.domains],
    locationIds: plan.locationIds,
    status,
  });
  const sals = plan.locationIds.map((locationId, i) => {
    const salId = r.id(at(g));
    g.w.add(directoryServiceAtLocations, {
      id: salId,
      ...provenance(g, 'sal', n * 10 + i),
      serviceId: id,
      locationId,
    });
    return salId;
  });
  // Hours at the service at each location, or for the service as a whole.
  if (sals.length && r.chance(0.8))
    for (const salId of sals) schedules(g, plan.hours, { serviceAtLocationId: salId });
  else schedules(g, plan.hours, { serviceId: id });
  if (!plan.locationIds.length || r.chance(0.5)) {
    g.w.add(directoryPhones, {
      id: r.id(at(g)),
      ...provenance(g, 'svc-phone', n),
      serviceId: id,
      number: phoneNumber(r),
      type: 'voice',
    });
  }
  const languages = ['en', ...OTHER_LANGUAGES.filter(([, p]) => r.chance(p)).map(([code]) => code)];
  languages.forEach((code, i) => {
    g.w.add(directoryLanguages, {
      id: r.id(at(g)),
      ...provenance(g, 'lang', n * 10 + i),
      serviceId: id,
      code,
    });
  });
  if (r.chance(kind.free)) {
    g.w.add(directoryCostOptions, {
      id: r.id(at(g)),
      ...provenance(g, 'cost', n),
      serviceId: id,
      option: 'Free',
      currency: 'USD',
      amount: 0,
    });
  } else if (r.chance(0.6)) {
    g.w.add(directoryCostOptions, {
      id: r.id(at(g)),
      ...provenance(g, 'cost', n),
      serviceId: id,
      option: 'Sliding scale fee',
      currency: 'USD',
      amount: r.int(5, 40),
    });
  }
  (kind.documents ?? []).forEach((document, i) => {
    if (r.chance(0.7)) {
      g.w.add(directoryRequiredDocuments, {
        id: r.id(at(g)),
        ...provenance(g, 'doc', n * 10 + i),
        serviceId: id,
        document,
      });
    }
  });
  g.w.add(directoryAttributes, {
    id: r.id(at(g)),
    ...provenance(g, 'attr', n),
    linkExternalId: `svc-${n}`,
    linkEntity: 'service',
    linkType: 'service_category',
    taxonomyTermId: g.terms.get(kind.taxonomy.code)!,
  });
  return id;
}

/** One organisation with its locations and one to four services (the first of its own kind). */
function organization(g: Gen, kind: ServiceKind, left: number): void {
  const { r } = g;
  const home = r.pick(g.places);
  const name = r.pick(kind.orgNames).replace('{place}', home.place);
  const org = addOrganization(g, name, r.chance(0.4) ? `referrals@${slug(name)}.example.org` : null);
  const locations = [addLocation(g, org.id, home, name)];
  if (r.chance(0.15)) {
    const other = r.chance(0.5) ? home : r.pick(g.places);
    locations.push(addLocation(g, org.id, other, `${name} — ${other.place}`));
  }
  if (r.chance(0.1)) {
    g.w.add(directoryLanguages, {
      id: r.id(at(g)),
      ...provenance(g, 'loc-lang', g.seq.loc),
      locationId: locations[0]!,
      code: r.pick(OTHER_LANGUAGES)[0],
    });
  }
  const count = Math.min(
    left,
    r.weighted([
      [50, 1],
      [30, 2],
      [15, 3],
      [5, 4],
    ] as const),
  );
  for (let i = 0; i < count; i++) {
    const serviceKind = i === 0 ? kind : r.weighted(SERVICE_KINDS.map((k) => [k.weight, k] as const));
    const where = serviceKind.remote
      ? []
      : r.chance(0.2) && locations.length > 1
        ? locations
        : [r.pick(locations)];
    addService(g, {
      kind: serviceKind,
      name: r.pick(serviceKind.names).replace('{place}', home.place),
      orgId: org.id,
      locationIds: where,
      hours: r.chance(0.05) ? HOURS.none : r.pick(serviceKind.hours),
    });
  }
}

/** The organisation the e2e test refers to, with a referral email and a pantry open long hours daily. */
function foodPantryNetwork(g: Gen): void {
  const southEnd = g.places.find((p) => p.zip === '02118') ?? g.places[0]!;
  const org = addOrganization(g, FOOD_PANTRY_NETWORK.name, FOOD_PANTRY_NETWORK.referralEmail);
  const location = addLocation(g, org.id, southEnd, 'South End Distribution Center', { placed: true });
  const pantry = SERVICE_KINDS.find((k) => k.key === 'pantry')!;
  const snap = SERVICE_KINDS.find((k) => k.key === 'snap')!;
  addService(g, {
    kind: pantry,
    name: FOOD_PANTRY_NETWORK.pantry,
    orgId: org.id,
    locationIds: [location],
    hours: [{ freq: 'DAILY', opensAt: '06:00', closesAt: '23:59' }],
    status: 'active',
    description:
      'Free groceries for anyone who needs them: fresh produce, canned goods, bread, dairy and baby food. ' +
      'Open every day from early morning to midnight; no appointment needed.',
  });
  addService(g, {
    kind: snap,
    name: 'SNAP Application Help at the Food Pantry',
    orgId: org.id,
    locationIds: [location],
    hours: HOURS.office,
    status: 'active',
  });
  addService(g, {
    kind: pantry,
    name: 'Mobile Food Market',
    orgId: org.id,
    locationIds: [location],
    hours: HOURS.monthlyMarket,
    status: 'active',
  });
}
