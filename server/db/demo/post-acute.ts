import zipcodes from 'zipcodes';
import type { PostAcuteCapability, PostAcuteKind, RatingMeasure } from '../../../domain/placement.ts';
import type { EligibilityRules } from '../../../domain/resources.ts';
import { postAcuteRatings } from '../../modules/discharge/discharge.tables.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryServiceAtLocations,
  directoryServices,
} from '../../modules/resources/resources.tables.ts';
import type { DbOrTx } from '../client.ts';
import { DAY, MINUTE } from './context.ts';
import { demoRandom } from './random.ts';

/**
 * The demo department's post-acute providers (issue 6): skilled nursing facilities, home health agencies,
 * inpatient rehabilitation, long-term acute care, hospice and medical equipment suppliers around Boston and
 * the towns the demo patients live in, as directory services with a post-acute kind, what they can take on,
 * the coverage they accept, and CMS Care Compare style star ratings (demo figures, not CMS's). Fixed names
 * and places, ids from their own seeded source, so that the rest of the demo does not move when it changes.
 * Written before the directory's search read model is built, so they are found in the directory too.
 */

const SOURCE = 'kith-demo-post-acute';
export const DEMO_RATING_SOURCE = 'CMS Care Compare (demo figures)';

type Stars = 1 | 2 | 3 | 4 | 5;

export interface DemoProvider {
  name: string;
  kind: PostAcuteKind;
  zip: string;
  place: string;
  street: string;
  capabilities: PostAcuteCapability[];
  /** The coverage it takes; any when absent. */
  payers?: EligibilityRules['payers'];
  minAge?: number;
  /** Overall, health inspections, staffing, quality measures; none for kinds CMS does not star here. */
  stars?: [Stars, Stars, Stars, Stars];
  referralEmail: string;
  financialInterest?: string;
  status?: 'active' | 'inactive';
}

const MEDICARE_AND_MEDICAID = [
  'medicare',
  'medicare-advantage',
  'medicaid',
  'commercial',
  'va-tricare',
] as const;
const NO_MEDICAID = ['medicare', 'medicare-advantage', 'commercial'] as const;

/** Twenty providers, six kinds; a few close to the hospital, most a short drive away. */
export const DEMO_POST_ACUTE_PROVIDERS: readonly DemoProvider[] = [
  // Skilled nursing facilities.
  {
    name: 'South End Skilled Nursing and Rehabilitation',
    kind: 'snf',
    zip: '02118',
    place: 'Boston',
    street: '410 Shawmut Avenue',
    capabilities: ['daily-therapy', 'wound-care', 'iv-therapy', 'medicaid-beds'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 4, 3, 5],
    referralEmail: 'admissions@southendsnf.example.org',
  },
  {
    name: 'Jamaica Plain Center for Nursing Care',
    kind: 'snf',
    zip: '02130',
    place: 'Jamaica Plain',
    street: '12 Centre Street',
    capabilities: ['memory-care', 'daily-therapy', 'medicaid-beds', 'behavioral-health'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [3, 2, 4, 3],
    referralEmail: 'intake@jpnursing.example.org',
  },
  {
    name: 'Riverside Transitional Care Unit',
    kind: 'snf',
    zip: '02139',
    place: 'Cambridge',
    street: '55 Pearl Street',
    capabilities: ['daily-therapy', 'iv-therapy', 'wound-care', 'dialysis', 'tracheostomy'],
    payers: [...NO_MEDICAID],
    stars: [5, 4, 5, 5],
    referralEmail: 'tcu-admissions@riversidetcu.example.org',
    financialInterest: 'Owned by Riverside General Hospital’s parent health system.',
  },
  {
    name: 'Quincy Bay Nursing Home',
    kind: 'snf',
    zip: '02169',
    place: 'Quincy',
    street: '300 Hancock Street',
    capabilities: ['memory-care', 'bariatric', 'medicaid-beds', 'daily-therapy'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [2, 2, 2, 3],
    referralEmail: 'admissions@quincybay.example.org',
  },
  {
    name: 'Malden Hills Rehabilitation and Nursing',
    kind: 'snf',
    zip: '02148',
    place: 'Malden',
    street: '88 Pleasant Street',
    capabilities: ['daily-therapy', 'wound-care', 'ventilator', 'tracheostomy'],
    payers: [...NO_MEDICAID],
    stars: [4, 3, 4, 4],
    referralEmail: 'referrals@maldenhills.example.org',
  },
  {
    name: 'Dorchester House Nursing Center',
    kind: 'snf',
    zip: '02124',
    place: 'Dorchester',
    street: '1500 Dorchester Avenue',
    capabilities: ['medicaid-beds', 'behavioral-health', 'daily-therapy'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [3, 3, 3, 2],
    referralEmail: 'intake@dorchesterhouse.example.org',
  },
  {
    name: 'Waltham Gardens Skilled Nursing',
    kind: 'snf',
    zip: '02451',
    place: 'Waltham',
    street: '20 Main Street',
    capabilities: ['daily-therapy', 'memory-care'],
    payers: [...NO_MEDICAID],
    stars: [1, 1, 2, 2],
    referralEmail: 'admissions@walthamgardens.example.org',
    status: 'inactive',
  },
  // Home health agencies.
  {
    name: 'Greater Boston Visiting Nurses',
    kind: 'home-health',
    zip: '02115',
    place: 'Boston',
    street: '75 Huntington Avenue',
    capabilities: ['wound-care', 'iv-therapy', 'daily-therapy', 'oxygen'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 4, 4, 4],
    referralEmail: 'referrals@gbvna.example.org',
  },
  {
    name: 'North Shore Home Health',
    kind: 'home-health',
    zip: '01902',
    place: 'Lynn',
    street: '10 Union Street',
    capabilities: ['wound-care', 'behavioral-health'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [3, 3, 3, 3],
    referralEmail: 'intake@northshorehh.example.org',
  },
  {
    name: 'South Shore Home Care Partners',
    kind: 'home-health',
    zip: '02301',
    place: 'Brockton',
    street: '200 Main Street',
    capabilities: ['iv-therapy', 'daily-therapy', 'memory-care'],
    payers: [...NO_MEDICAID],
    stars: [5, 4, 5, 4],
    referralEmail: 'referrals@southshorehc.example.org',
  },
  // Inpatient rehabilitation.
  {
    name: 'Charles River Rehabilitation Hospital',
    kind: 'inpatient-rehab',
    zip: '02114',
    place: 'Boston',
    street: '300 Cambridge Street',
    capabilities: ['daily-therapy', 'wound-care', 'tracheostomy'],
    payers: [...NO_MEDICAID, 'medicaid'],
    stars: [4, 4, 4, 4],
    referralEmail: 'admissions@charlesrehab.example.org',
  },
  {
    name: 'MetroWest Inpatient Rehabilitation',
    kind: 'inpatient-rehab',
    zip: '01701',
    place: 'Framingham',
    street: '115 Lincoln Street',
    capabilities: ['daily-therapy', 'bariatric'],
    payers: [...NO_MEDICAID],
    stars: [3, 3, 4, 3],
    referralEmail: 'intake@metrowestrehab.example.org',
  },
  // Long-term acute care.
  {
    name: 'Boston Specialty Hospital for Long-Term Care',
    kind: 'ltach',
    zip: '02135',
    place: 'Brighton',
    street: '1400 Commonwealth Avenue',
    capabilities: ['ventilator', 'tracheostomy', 'dialysis', 'iv-therapy', 'wound-care'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 3, 4, 4],
    referralEmail: 'admissions@bostonltach.example.org',
  },
  {
    name: 'Everett Continuing Care Hospital',
    kind: 'ltach',
    zip: '02149',
    place: 'Everett',
    street: '40 Ferry Street',
    capabilities: ['ventilator', 'wound-care', 'bariatric'],
    payers: [...NO_MEDICAID],
    stars: [2, 3, 2, 2],
    referralEmail: 'intake@everettcch.example.org',
  },
  // Hospice.
  {
    name: 'Harbor Hospice of Boston',
    kind: 'hospice',
    zip: '02127',
    place: 'South Boston',
    street: '650 East Broadway',
    capabilities: ['behavioral-health', 'oxygen', 'hospital-bed'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [5, 5, 4, 5],
    referralEmail: 'referrals@harborhospice.example.org',
  },
  {
    name: 'Somerville Home Hospice',
    kind: 'hospice',
    zip: '02143',
    place: 'Somerville',
    street: '90 Highland Avenue',
    capabilities: ['memory-care', 'oxygen'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 4, 3, 4],
    referralEmail: 'intake@somervillehospice.example.org',
  },
  {
    name: 'Chelsea Community Hospice House',
    kind: 'hospice',
    zip: '02150',
    place: 'Chelsea',
    street: '25 Broadway',
    capabilities: ['behavioral-health', 'hospital-bed'],
    payers: [...MEDICARE_AND_MEDICAID, 'self-pay'],
    stars: [3, 4, 3, 3],
    referralEmail: 'admissions@chelseahospice.example.org',
  },
  // Durable medical equipment.
  {
    name: 'Bay State Medical Equipment',
    kind: 'dme',
    zip: '02119',
    place: 'Roxbury',
    street: '2300 Washington Street',
    capabilities: ['oxygen', 'hospital-bed', 'wheelchair'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 4, 4, 4],
    referralEmail: 'orders@baystatedme.example.org',
  },
  {
    name: 'Revere Home Oxygen and Supply',
    kind: 'dme',
    zip: '02151',
    place: 'Revere',
    street: '500 Broadway',
    capabilities: ['oxygen', 'wheelchair'],
    payers: [...NO_MEDICAID],
    stars: [3, 3, 3, 3],
    referralEmail: 'orders@reverehomeoxygen.example.org',
  },
  {
    name: 'Riverside Home Medical',
    kind: 'dme',
    zip: '02128',
    place: 'East Boston',
    street: '120 Meridian Street',
    capabilities: ['hospital-bed', 'wheelchair', 'oxygen'],
    payers: [...MEDICARE_AND_MEDICAID],
    stars: [4, 3, 4, 4],
    referralEmail: 'orders@riversidehomemedical.example.org',
    financialInterest: 'A joint venture of Riverside General Hospital.',
  },
];

const MEASURES: readonly RatingMeasure[] = ['overall', 'health-inspections', 'staffing', 'quality-measures'];

const DESCRIPTIONS: Record<PostAcuteKind, string> = {
  snf: 'Short-term skilled nursing and rehabilitation after a hospital stay, and long-term care.',
  'home-health': 'Skilled nursing, therapy and home health aides at home after discharge.',
  'inpatient-rehab': 'Intensive rehabilitation: at least three hours of therapy a day, five days a week.',
  ltach:
    'Hospital care for patients who need acute care for a long time: ventilator weaning, complex wounds.',
  hospice: 'Comfort care at home or in a hospice house for people with a life-limiting illness.',
  dme: 'Home oxygen, hospital beds, wheelchairs and walkers, delivered before discharge.',
};

/** The Monday (as-of date of the ratings) about a month before `now`: Care Compare refreshes monthly. */
function asOfDate(now: number): string {
  const d = new Date(now - 30 * DAY);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

/**
 * Writes the demo post-acute providers (one organisation, location, address, phone and service each, with
 * their ratings) for `organizationId`. Same seed and `now`, same rows.
 */
export async function writeDemoPostAcute(
  db: DbOrTx,
  opts: { seed: number; now: number; organizationId: string },
): Promise<{ serviceIds: string[] }> {
  const r = demoRandom(opts.seed ^ 0x9057ac07);
  let row = 0;
  const at = () => opts.now - 380 * DAY + row++ * MINUTE;
  const provenance = (kind: string, n: number) => ({
    organizationId: opts.organizationId,
    source: SOURCE,
    externalId: `${kind}-${n}`,
  });
  const asOf = asOfDate(opts.now);
  const orgs = [];
  const locations = [];
  const addresses = [];
  const phones = [];
  const services = [];
  const links = [];
  const ratings = [];
  for (const [i, p] of DEMO_POST_ACUTE_PROVIDERS.entries()) {
    const n = i + 1;
    const orgId = r.id(at());
    const locationId = r.id(at());
    const serviceId = r.id(at());
    const centre = zipcodes.lookup(p.zip);
    // Within about half a mile of the ZIP's centre.
    const jitter = () => (r.faker.number.float() - 0.5) * 0.014;
    const website = `https://${p.referralEmail.split('@')[1]}`;
    orgs.push({
      id: orgId,
      ...provenance('org', n),
      name: p.name,
      description: DESCRIPTIONS[p.kind],
      email: p.referralEmail,
      website,
      referralEmail: p.referralEmail,
    });
    locations.push({
      id: locationId,
      ...provenance('loc', n),
      directoryOrganizationId: orgId,
      locationType: 'physical',
      name: p.name,
      latitude: centre ? Number((centre.latitude + jitter()).toFixed(6)) : null,
      longitude: centre ? Number((centre.longitude + jitter()).toFixed(6)) : null,
    });
    addresses.push({
      id: r.id(at()),
      ...provenance('addr', n),
      locationId,
      address1: p.street,
      city: p.place,
      stateProvince: 'MA',
      postalCode: p.zip,
      country: 'US',
      addressType: 'physical',
    });
    phones.push({
      id: r.id(at()),
      ...provenance('phone', n),
      directoryOrganizationId: orgId,
      locationId,
      number: `(${r.pick(['617', '781', '508', '978'])}) 555-02${String(n).padStart(2, '0')}`,
      type: 'voice',
    });
    const eligibility: EligibilityRules = {
      ...(p.payers ? { payers: [...p.payers] } : {}),
      ...(p.minAge !== undefined ? { minAge: p.minAge } : {}),
    };
    services.push({
      id: serviceId,
      ...provenance('svc', n),
      directoryOrganizationId: orgId,
      name: p.name,
      description: DESCRIPTIONS[p.kind],
      status: p.status ?? 'active',
      applicationProcess:
        'The hospital’s social worker sends a referral packet; admissions answers within a day.',
      eligibilityDescription: p.payers ? `Accepts ${p.payers.join(', ')}.` : null,
      domains: [],
      eligibility,
      postAcuteKind: p.kind,
      postAcuteCapabilities: [...p.capabilities].sort(),
      postAcuteFinancialInterest: p.financialInterest ?? null,
      assuredDate: new Date(opts.now - r.int(10, 200) * DAY).toISOString().slice(0, 10),
    });
    links.push({ id: r.id(at()), ...provenance('sal', n), serviceId, locationId });
    if (p.stars) {
      for (const [m, measure] of MEASURES.entries()) {
        ratings.push({
          id: r.id(at()),
          organizationId: opts.organizationId,
          serviceId,
          measure,
          value: String(p.stars[m]),
          scale: 'stars-1-5',
          source: DEMO_RATING_SOURCE,
          asOf,
          updatedAt: new Date(opts.now - 20 * DAY),
        });
      }
    }
  }
  await db.insert(directoryOrganizations).values(orgs);
  await db.insert(directoryLocations).values(locations);
  await db.insert(directoryAddresses).values(addresses);
  await db.insert(directoryServices).values(services);
  await db.insert(directoryServiceAtLocations).values(links);
  await db.insert(directoryPhones).values(phones);
  await db.insert(postAcuteRatings).values(ratings);
  return { serviceIds: services.map((s) => s.id) };
}
