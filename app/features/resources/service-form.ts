import type { SdohDomain } from '../../../domain/needs.ts';
import type { AssistanceKind, EligibilityRules, ServiceStatus } from '../../../domain/resources.ts';
import type { PayerType } from '../../../domain/schemas/patients.ts';
import type { FieldErrors } from '../../components/field-errors.ts';
import { WEEK_DAYS, type WeekDay } from './labels.ts';
import type { ScheduleRow, ServiceDetail, ServiceWriteBody } from './types.ts';

/** One row of opening hours in the form: the days it applies to, and from when to when. */
export interface ScheduleDraft {
  key: string;
  days: WeekDay[];
  opensAt: string;
  closesAt: string;
  description: string;
  /** The row as loaded, so that what the form does not edit (monthly rules, validity) is kept. */
  original: ScheduleRow | null;
}

/** The service form's values: text as typed, numbers as typed, lists as picked. */
export interface ServiceFormValues {
  directoryOrganizationId: string;
  name: string;
  alternateName: string;
  description: string;
  url: string;
  email: string;
  phone: string;
  status: ServiceStatus;
  applicationProcess: string;
  cost: '' | 'free' | 'fee';
  feesDescription: string;
  eligibilityDescription: string;
  interpretationServices: string;
  domains: SdohDomain[];
  assistanceKind: AssistanceKind | '';
  maxPovertyPercent: string | number;
  minAge: string | number;
  maxAge: string | number;
  payers: PayerType[];
  postalCodes: string[];
  counties: string[];
  languages: string[];
  requiredDocuments: string[];
  taxonomyCodes: string[];
  locationIds: string[];
  schedules: ScheduleDraft[];
  public: boolean;
  assuredDate: string;
  version?: number;
}

let keys = 0;
export const newScheduleKey = () => `schedule-${++keys}`;

const DAY_SET = new Set<string>(WEEK_DAYS);
/** "MO,TU,+1WE" → the plain weekdays it names. */
export function daysOf(byday: string | undefined): WeekDay[] {
  return (byday ?? '')
    .split(',')
    .map((d) => d.replace(/^[+-]?\d?/, ''))
    .filter((d): d is WeekDay => DAY_SET.has(d));
}

const hhmm = (time: string | undefined) => (time ? time.slice(0, 5) : '');

export function emptyService(directoryOrganizationId = ''): ServiceFormValues {
  return {
    directoryOrganizationId,
    name: '',
    alternateName: '',
    description: '',
    url: '',
    email: '',
    phone: '',
    status: 'active',
    applicationProcess: '',
    cost: '',
    feesDescription: '',
    eligibilityDescription: '',
    interpretationServices: '',
    domains: [],
    assistanceKind: '',
    maxPovertyPercent: '',
    minAge: '',
    maxAge: '',
    payers: [],
    postalCodes: [],
    counties: [],
    languages: [],
    requiredDocuments: [],
    taxonomyCodes: [],
    locationIds: [],
    schedules: [],
    public: true,
    assuredDate: '',
  };
}

/** The form's values for a service as loaded. */
export function formValuesOf(s: ServiceDetail): ServiceFormValues {
  const rules = s.eligibility ?? {};
  return {
    directoryOrganizationId: s.directoryOrganizationId,
    name: s.name,
    alternateName: s.alternateName ?? '',
    description: s.description ?? '',
    url: s.url ?? '',
    email: s.email ?? '',
    phone: s.phone ?? '',
    status: s.status,
    applicationProcess: s.applicationProcess ?? '',
    cost: s.free === true ? 'free' : s.free === false ? 'fee' : '',
    feesDescription: s.feesDescription ?? '',
    eligibilityDescription: s.eligibilityDescription ?? '',
    interpretationServices: s.interpretationServices ?? '',
    domains: s.domains,
    assistanceKind: s.assistanceKind ?? '',
    maxPovertyPercent: rules.maxPovertyPercent ?? '',
    minAge: rules.minAge ?? '',
    maxAge: rules.maxAge ?? '',
    payers: rules.payers ?? [],
    postalCodes: rules.postalCodes ?? [],
    counties: rules.counties ?? [],
    languages: s.languages,
    requiredDocuments: s.requiredDocuments,
    taxonomyCodes: s.taxonomyCodes,
    locationIds: s.locationIds,
    schedules: s.schedules.map((row) => ({
      key: newScheduleKey(),
      days: daysOf(row.byday),
      opensAt: hhmm(row.opensAt),
      closesAt: hhmm(row.closesAt),
      description: row.description ?? '',
      original: row,
    })),
    public: s.public,
    assuredDate: s.assuredDate ?? '',
    version: s.version,
  };
}

const orNull = (text: string) => (text.trim() === '' ? null : text.trim());
const wholeNumber = (value: string | number) => {
  if (value === '' || value === null) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
};

function scheduleBody(row: ScheduleDraft): ScheduleRow {
  const { original } = row;
  const sameDays =
    original && daysOf(original.byday).join(',') === WEEK_DAYS.filter((d) => row.days.includes(d)).join(',');
  const byday = sameDays ? original?.byday : WEEK_DAYS.filter((d) => row.days.includes(d)).join(',');
  return {
    ...(original ?? {}),
    freq: sameDays ? (original?.freq ?? 'WEEKLY') : 'WEEKLY',
    byday: byday || undefined,
    opensAt: row.opensAt || undefined,
    closesAt: row.closesAt || undefined,
    description: row.description.trim() || undefined,
  };
}

/** What the API takes (ServiceWrite) from the form's values. */
export function serviceBody(v: ServiceFormValues): ServiceWriteBody {
  const eligibility: EligibilityRules = {};
  const pct = wholeNumber(v.maxPovertyPercent);
  const minAge = wholeNumber(v.minAge);
  const maxAge = wholeNumber(v.maxAge);
  if (pct !== undefined) eligibility.maxPovertyPercent = pct;
  if (minAge !== undefined) eligibility.minAge = minAge;
  if (maxAge !== undefined) eligibility.maxAge = maxAge;
  if (v.payers.length) eligibility.payers = v.payers;
  if (v.postalCodes.length) eligibility.postalCodes = v.postalCodes;
  if (v.counties.length) eligibility.counties = v.counties;
  return {
    directoryOrganizationId: v.directoryOrganizationId,
    name: v.name.trim(),
    alternateName: orNull(v.alternateName),
    description: orNull(v.description),
    url: orNull(v.url),
    email: orNull(v.email),
    phone: orNull(v.phone),
    status: v.status,
    applicationProcess: orNull(v.applicationProcess),
    free: v.cost === '' ? null : v.cost === 'free',
    feesDescription: orNull(v.feesDescription),
    eligibilityDescription: orNull(v.eligibilityDescription),
    interpretationServices: orNull(v.interpretationServices),
    domains: v.domains,
    assistanceKind: v.assistanceKind || null,
    eligibility,
    languages: v.languages,
    requiredDocuments: v.requiredDocuments.map((d) => d.trim()).filter(Boolean),
    taxonomyCodes: v.taxonomyCodes,
    locationIds: v.locationIds,
    schedules: v.schedules.map(scheduleBody),
    public: v.public,
    assuredDate: v.assuredDate || null,
    ...(v.version ? { version: v.version } : {}),
  };
}

/** The message for a field, or for anything under it (`eligibility.postalCodes.1` under `eligibility.postalCodes`). */
export function errorAt(errors: FieldErrors, path: string): string | undefined {
  if (errors[path]) return errors[path];
  const nested = Object.keys(errors).find((k) => k.startsWith(`${path}.`));
  return nested ? errors[nested] : undefined;
}

/** Where a field error is shown; anything else is listed above the form. */
export const PLACED_FIELDS = [
  'directoryOrganizationId',
  'name',
  'alternateName',
  'description',
  'url',
  'email',
  'phone',
  'status',
  'applicationProcess',
  'free',
  'feesDescription',
  'eligibilityDescription',
  'interpretationServices',
  'domains',
  'assistanceKind',
  'eligibility',
  'languages',
  'requiredDocuments',
  'taxonomyCodes',
  'locationIds',
  'schedules',
  'public',
  'assuredDate',
] as const;
