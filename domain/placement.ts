import { type EligibilityResult, evaluateEligibility, type PatientFacts } from './eligibility/rules.ts';
import { haversineMiles, type LatLng } from './geo.ts';
import type { EligibilityRules } from './resources.ts';
import type { Disposition } from './schemas/encounters.ts';

/**
 * Post-acute placement (domain.md "Discharge planning"): the providers a patient may go to after the stay,
 * the choice list the hospital must give them (42 CFR 482.43(c), the CMS discharge planning rule), and the
 * placement referrals sent to several providers at once, one of which is confirmed.
 */

/** The kinds of post-acute provider a directory service can be (directory_services.post_acute_kind). */
export const POST_ACUTE_KINDS = {
  snf: 'Skilled nursing facility',
  'home-health': 'Home health agency',
  'inpatient-rehab': 'Inpatient rehabilitation facility',
  ltach: 'Long-term acute care hospital',
  hospice: 'Hospice',
  dme: 'Durable medical equipment supplier',
} as const;
export type PostAcuteKind = keyof typeof POST_ACUTE_KINDS;
export const POST_ACUTE_KIND_CODES = Object.keys(POST_ACUTE_KINDS) as [PostAcuteKind, ...PostAcuteKind[]];

/** The discharge disposition a confirmed placement of each kind sets on the plan; DME leaves it as it is. */
export const KIND_DISPOSITION: Record<PostAcuteKind, Disposition | null> = {
  snf: 'snf',
  'home-health': 'home-health',
  'inpatient-rehab': 'inpatient-rehab',
  ltach: 'ltach',
  hospice: 'hospice',
  dme: null,
};

/** What a provider can take on; the patient's needs at discharge filter the choice list by these. */
export const POST_ACUTE_CAPABILITIES = {
  ventilator: 'Ventilator care',
  tracheostomy: 'Tracheostomy care',
  dialysis: 'Dialysis',
  'iv-therapy': 'IV antibiotics and infusions',
  'wound-care': 'Complex wound care',
  'memory-care': 'Memory care (dementia)',
  bariatric: 'Bariatric care',
  'behavioral-health': 'Behavioral health',
  'daily-therapy': 'Daily physical and occupational therapy',
  oxygen: 'Home oxygen',
  'hospital-bed': 'Hospital bed',
  wheelchair: 'Wheelchair or walker',
  'medicaid-beds': 'Medicaid beds',
} as const;
export type PostAcuteCapability = keyof typeof POST_ACUTE_CAPABILITIES;
export const POST_ACUTE_CAPABILITY_CODES = Object.keys(POST_ACUTE_CAPABILITIES) as [
  PostAcuteCapability,
  ...PostAcuteCapability[],
];

/** Quality measures held on a provider, CMS Care Compare style. */
export const RATING_MEASURES = {
  overall: 'Overall',
  'health-inspections': 'Health inspections',
  staffing: 'Staffing',
  'quality-measures': 'Quality measures',
  'patient-survey': 'Patient survey',
} as const;
export type RatingMeasure = keyof typeof RATING_MEASURES;
export const RATING_MEASURE_CODES = Object.keys(RATING_MEASURES) as [RatingMeasure, ...RatingMeasure[]];

/** Who made the choices on the list. */
export const CHOOSERS = {
  patient: 'The patient',
  family: 'Family',
  representative: 'Legal representative',
} as const;
export type Chooser = keyof typeof CHOOSERS;

/** Default and largest radius of a choice list, in miles. */
export const CHOICE_RADIUS_MILES = { default: 25, max: 200 } as const;

/** The cancel reason of the placement referrals left open when another provider is confirmed. */
export const ANOTHER_PROVIDER_CHOSEN = 'another-provider-chosen';
export const ANOTHER_PROVIDER_CHOSEN_LABEL = 'Another provider was chosen';

/**
 * What the patient reads on the printed list (42 CFR 482.43(c)(2)): they may choose any provider that will
 * take them, their wishes are respected, and the hospital's financial interests are disclosed.
 */
export const CHOICE_STATEMENT =
  'You have the right to choose any provider on this list, or another provider that is able to take you and ' +
  'accepts your insurance. The hospital will respect your choice and your wishes. Providers are listed by ' +
  'distance from the address used, with the quality ratings published by the Centers for Medicare & ' +
  'Medicaid Services (Care Compare) where they exist. Providers in which the hospital has a financial ' +
  'interest are marked as such.';

/** A directory service of the kind asked for, as the server reads it. */
export interface PlacementCandidate {
  serviceId: string;
  name: string;
  organizationName: string;
  directoryOrganizationId: string;
  status: string;
  capabilities: readonly string[];
  eligibility: EligibilityRules;
  financialInterest: string | null;
  /** Its locations' points and addresses; distance is measured to the nearest one. */
  places: readonly { point: LatLng | null; address: string | null; phone: string | null }[];
  phone: string | null;
  ratings: readonly ProviderRating[];
}

export interface ProviderRating {
  measure: string;
  value: string;
  scale: string;
  source: string;
  asOf: string;
}

export interface ChoiceFilters {
  origin: LatLng | null;
  radiusMiles: number | null;
  /** Capabilities every provider offered must have. */
  needs: readonly string[];
  /** The patient's facts (coverage, age, ZIP) for the providers' eligibility rules; null to skip. */
  facts: PatientFacts | null;
  year: number;
}

/** One provider as offered on the list, frozen in the snapshot. */
export interface ChoiceEntry {
  serviceId: string;
  name: string;
  organizationName: string;
  directoryOrganizationId: string;
  address: string | null;
  phone: string | null;
  /** Miles from the origin to the nearest location, one decimal; null when either is unknown. */
  distanceMiles: number | null;
  ratings: ProviderRating[];
  capabilities: string[];
  coverage: { verdict: EligibilityResult['verdict']; reasons: string[] };
  financialInterest: string | null;
}

/** Why a candidate is left off the list; the worker sees how many for each reason. */
export type Exclusion = 'inactive' | 'too-far' | 'needs' | 'not-eligible';

export interface ChoiceListResult {
  entries: ChoiceEntry[];
  excluded: Record<Exclusion, number>;
}

const oneDecimal = (n: number) => Math.round(n * 10) / 10;

/** The nearest of a candidate's places, with its distance; the first place when none can be measured. */
function nearestPlace(candidate: PlacementCandidate, origin: LatLng | null) {
  let best: { place: PlacementCandidate['places'][number]; miles: number | null } | null = null;
  for (const place of candidate.places) {
    const miles = origin && place.point ? haversineMiles(origin, place.point) : null;
    if (!best || (miles !== null && (best.miles === null || miles < best.miles))) best = { place, miles };
  }
  return best;
}

/**
 * The choice list: the active candidates within the radius (a candidate with no place that can be measured is
 * kept when there is no radius, and left off when there is one), with every capability the patient needs,
 * that the patient's coverage and facts do not rule out ("possibly" is kept, with its reasons), nearest first
 * (unmeasured last), then by name.
 */
export function buildChoiceList(
  candidates: readonly PlacementCandidate[],
  filters: ChoiceFilters,
): ChoiceListResult {
  const excluded: Record<Exclusion, number> = { inactive: 0, 'too-far': 0, needs: 0, 'not-eligible': 0 };
  const entries: ChoiceEntry[] = [];
  for (const c of candidates) {
    if (c.status !== 'active') {
      excluded.inactive++;
      continue;
    }
    const nearest = nearestPlace(c, filters.origin);
    const miles = nearest?.miles ?? null;
    if (filters.radiusMiles !== null && (miles === null || miles > filters.radiusMiles)) {
      excluded['too-far']++;
      continue;
    }
    if (!filters.needs.every((n) => c.capabilities.includes(n))) {
      excluded.needs++;
      continue;
    }
    const coverage = filters.facts
      ? evaluateEligibility(c.eligibility, filters.facts, filters.year)
      : { verdict: 'no-rules' as const, reasons: [] };
    if (coverage.verdict === 'not-eligible') {
      excluded['not-eligible']++;
      continue;
    }
    entries.push({
      serviceId: c.serviceId,
      name: c.name,
      organizationName: c.organizationName,
      directoryOrganizationId: c.directoryOrganizationId,
      address: nearest?.place.address ?? null,
      phone: nearest?.place.phone ?? c.phone,
      distanceMiles: miles === null ? null : oneDecimal(miles),
      ratings: [...c.ratings].sort(
        (a, b) => ratingOrder(a.measure) - ratingOrder(b.measure) || a.measure.localeCompare(b.measure),
      ),
      capabilities: [...c.capabilities].sort(),
      coverage: { verdict: coverage.verdict, reasons: coverage.reasons },
      financialInterest: c.financialInterest,
    });
  }
  entries.sort(
    (a, b) =>
      (a.distanceMiles ?? Number.POSITIVE_INFINITY) - (b.distanceMiles ?? Number.POSITIVE_INFINITY) ||
      a.name.localeCompare(b.name) ||
      a.serviceId.localeCompare(b.serviceId),
  );
  return { entries, excluded };
}

const ratingOrder = (measure: string) => {
  const i = RATING_MEASURE_CODES.indexOf(measure as RatingMeasure);
  return i === -1 ? RATING_MEASURE_CODES.length : i;
};

/** "4 of 5 stars" for a 1–5 star rating; the value and scale otherwise. */
export function ratingText(rating: Pick<ProviderRating, 'value' | 'scale'>): string {
  return rating.scale === 'stars-1-5' ? `${rating.value} of 5 stars` : `${rating.value} (${rating.scale})`;
}

/**
 * The problems of recorded choices against the list offered: each chosen service must be on it, once;
 * choosing needs a chooser, declining needs none chosen. Field errors as the API reports them.
 */
export function checkChoices(
  input: { choices: readonly string[]; declinedToChoose: boolean; chosenBy?: string | null },
  offered: readonly { serviceId: string }[],
): { field: string; message: string }[] {
  const problems: { field: string; message: string }[] = [];
  const onList = new Set(offered.map((e) => e.serviceId));
  const seen = new Set<string>();
  input.choices.forEach((id, i) => {
    if (!onList.has(id)) problems.push({ field: `choices.${i}`, message: 'is not on this choice list' });
    else if (seen.has(id)) problems.push({ field: `choices.${i}`, message: 'is chosen twice' });
    seen.add(id);
  });
  if (input.declinedToChoose && input.choices.length) {
    problems.push({ field: 'choices', message: 'must be empty when the patient declined to choose' });
  }
  if (!input.declinedToChoose && !input.choices.length) {
    problems.push({
      field: 'choices',
      message: 'choose at least one provider, or record that they declined',
    });
  }
  if (!input.declinedToChoose && !input.chosenBy) {
    problems.push({ field: 'chosenBy', message: 'is required: say who chose' });
  }
  return problems;
}

/** Where a placement stands, for the unit list and the panel: from its referrals' statuses and the confirmation. */
export type PlacementStatus = 'none' | 'list-given' | 'referred' | 'accepted' | 'confirmed';
export const PLACEMENT_STATUS_LABELS: Record<PlacementStatus, string> = {
  none: 'No placement',
  'list-given': 'Choice list given',
  referred: 'Referred, awaiting answers',
  accepted: 'Bed offered',
  confirmed: 'Placement confirmed',
};

export function placementStatus(
  lists: readonly { confirmedReferralId: string | null; referralStatuses: readonly string[] }[],
): PlacementStatus {
  if (!lists.length) return 'none';
  if (lists.some((l) => l.confirmedReferralId)) return 'confirmed';
  const all = lists.flatMap((l) => l.referralStatuses);
  if (all.includes('accepted')) return 'accepted';
  if (all.some((s) => s === 'requested' || s === 'received' || s === 'draft')) return 'referred';
  return 'list-given';
}
