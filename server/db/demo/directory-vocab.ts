import type { SdohDomain } from '../../../domain/needs.ts';
import type { AssistanceKind, EligibilityRules } from '../../../domain/resources.ts';
import type { ScheduleRule } from '../../../domain/resources-hours.ts';

/**
 * What the demo directory is made of: kinds of community services as a Boston-area 211 lists them, with
 * the needs they address, the financial-assistance programs, eligibility, fees, documents to bring and
 * typical hours. Names are invented (no real organisation is named); taxonomy codes follow the AIRS/211
 * style but are the demo's own.
 */

export interface ServiceKind {
  key: string;
  /** "{place}" is the neighbourhood or town. */
  names: readonly string[];
  orgNames: readonly string[];
  domains: readonly SdohDomain[];
  assistanceKind?: AssistanceKind;
  eligibility?: EligibilityRules;
  eligibilityDescription?: string;
  taxonomy: { code: string; name: string };
  descriptions: readonly string[];
  applicationProcess?: string;
  /** Chance of a free cost option; the rest have a fee or none stated. */
  free: number;
  documents?: readonly string[];
  hours: readonly HoursPattern[];
  /** Offered by phone or online only (no location). */
  remote?: boolean;
  /** Relative frequency in the directory. */
  weight: number;
}

export type HoursPattern = readonly Omit<ScheduleRule, 'validFrom' | 'validTo'>[];

const WEEKDAYS = 'MO,TU,WE,TH,FR';
export const HOURS = {
  office: [{ freq: 'WEEKLY', byday: WEEKDAYS, opensAt: '09:00', closesAt: '17:00' }],
  earlyOffice: [{ freq: 'WEEKLY', byday: WEEKDAYS, opensAt: '08:30', closesAt: '16:30' }],
  pantryDays: [{ freq: 'WEEKLY', byday: 'MO,WE,FR', opensAt: '10:00', closesAt: '14:00' }],
  eveningPantry: [{ freq: 'WEEKLY', byday: 'TU,TH', opensAt: '16:00', closesAt: '19:00' }],
  saturdayMorning: [{ freq: 'WEEKLY', byday: 'SA', opensAt: '09:00', closesAt: '12:00' }],
  longHours: [{ freq: 'WEEKLY', byday: 'MO,TU,WE,TH,FR,SA', opensAt: '07:00', closesAt: '22:00' }],
  lunch: [{ freq: 'DAILY', opensAt: '11:30', closesAt: '13:30' }],
  allDay: [{ freq: 'DAILY', opensAt: '00:00', closesAt: '23:59' }],
  overnight: [{ freq: 'DAILY', opensAt: '19:00', closesAt: '07:00' }],
  lateWeekend: [{ freq: 'WEEKLY', byday: 'FR,SA', opensAt: '20:00', closesAt: '02:00' }],
  // Sunday to Thursday nights: Sunday's runs into Monday morning, across the end of the week.
  outreachNights: [{ freq: 'WEEKLY', byday: 'SU,MO,TU,WE,TH', opensAt: '21:00', closesAt: '01:00' }],
  eveningGroup: [{ freq: 'WEEKLY', byday: 'TU', opensAt: '18:30', closesAt: '20:00' }],
  monthlyMarket: [{ freq: 'MONTHLY', byday: '1SA', opensAt: '09:00', closesAt: '12:00' }],
  splitDay: [
    { freq: 'WEEKLY', byday: WEEKDAYS, opensAt: '09:00', closesAt: '12:00' },
    { freq: 'WEEKLY', byday: 'TU,TH', opensAt: '13:00', closesAt: '19:00' },
  ],
  none: [],
} as const satisfies Record<string, HoursPattern>;

const FOOD_TOO = 'Staff can also connect you with food, fuel and housing help.';

export const SERVICE_KINDS: readonly ServiceKind[] = [
  {
    key: 'pantry',
    names: ['{place} Food Pantry', 'Community Food Pantry at {place}', '{place} Emergency Food Pantry'],
    orgNames: ['{place} Community Food Pantry', '{place} Neighbors Food Cupboard', 'Open Table of {place}'],
    domains: ['food-insecurity'],
    taxonomy: { code: 'BD-1800.2000', name: 'Food Pantries' },
    descriptions: [
      'Free groceries for individuals and families: fresh produce, canned goods, bread and dairy once a week.',
      'Emergency food pantry offering a three-day supply of groceries, with halal and vegetarian options.',
      'Client-choice food pantry: shop for groceries, fresh fruit and vegetables at no cost.',
    ],
    applicationProcess: 'Walk in during open hours. First visit includes a short intake.',
    free: 0.95,
    documents: ['Photo ID', 'Proof of address'],
    hours: [
      HOURS.pantryDays,
      HOURS.eveningPantry,
      HOURS.saturdayMorning,
      HOURS.splitDay,
      HOURS.monthlyMarket,
    ],
    weight: 16,
  },
  {
    key: 'meals',
    names: ['{place} Community Meals', 'Hot Lunch Program at {place}', '{place} Soup Kitchen'],
    orgNames: ['{place} Community Kitchen', 'Shared Table {place}'],
    domains: ['food-insecurity'],
    taxonomy: { code: 'BD-5000.8300', name: 'Soup Kitchens' },
    descriptions: [
      'Free hot meals served daily, no questions asked. Take-home food bags on Fridays.',
      'Community lunch open to everyone: a hot meal, coffee and a friendly place to sit.',
    ],
    free: 1,
    hours: [HOURS.lunch, HOURS.lunch, HOURS.office],
    weight: 8,
  },
  {
    key: 'home-meals',
    names: ['Home-Delivered Meals for {place} Elders', 'Meals on Wheels {place}'],
    orgNames: ['{place} Elder Services', '{place} Council on Aging'],
    domains: ['food-insecurity', 'social-connection'],
    eligibility: { minAge: 60 },
    eligibilityDescription: 'Adults 60 and over who are homebound and cannot prepare meals.',
    taxonomy: { code: 'BD-5000.3500', name: 'Home Delivered Meals' },
    descriptions: [
      'Nutritious meals delivered at midday to homebound older adults, with a daily wellness check.',
      'Hot and frozen meals delivered to elders at home; special diets available.',
    ],
    applicationProcess: 'Call for a home assessment by a case manager.',
    free: 0.7,
    hours: [HOURS.office],
    weight: 5,
  },
  {
    key: 'snap',
    names: ['SNAP Application Help', 'Food Stamp (SNAP) Enrollment Assistance', 'SNAP Outreach at {place}'],
    orgNames: ['{place} Food Access Coalition', '{place} Anti-Hunger Project'],
    domains: ['food-insecurity', 'financial-insecurity'],
    assistanceKind: 'snap-application',
    eligibility: { maxPovertyPercent: 200 },
    eligibilityDescription: 'Households with gross income at or below 200% of the federal poverty level.',
    taxonomy: { code: 'NL-6000.8000', name: 'SNAP Applications' },
    descriptions: [
      'Help applying for SNAP food benefits: screening, completing the application and uploading documents.',
      'Trained counselors help families apply for SNAP and renew benefits, in several languages.',
    ],
    applicationProcess: 'Call or walk in; bring documents if you have them.',
    free: 1,
    documents: ['Proof of income', 'Photo ID', 'Social Security numbers of household members'],
    hours: [HOURS.office, HOURS.earlyOffice, HOURS.splitDay],
    weight: 6,
  },
  {
    key: 'wic',
    names: ['WIC Nutrition Program — {place}'],
    orgNames: ['{place} Family Health Center'],
    domains: ['food-insecurity'],
    eligibility: { maxPovertyPercent: 185 },
    eligibilityDescription:
      'Pregnant people, new parents and children under 5 with income at or below 185% FPL.',
    taxonomy: { code: 'BD-1800.1000', name: 'WIC Food Vouchers' },
    descriptions: [
      'Healthy food benefits, nutrition counseling and breastfeeding support for families with young children.',
    ],
    free: 1,
    documents: ['Proof of income', 'Proof of address', 'Child immunization record'],
    hours: [HOURS.earlyOffice],
    weight: 3,
  },
  {
    key: 'shelter',
    names: ['{place} Emergency Shelter', 'Family Shelter at {place}', '{place} Women’s Shelter'],
    orgNames: ['{place} Shelter Alliance', 'Safe Harbor {place}', '{place} Housing Now'],
    domains: ['homelessness', 'housing-instability'],
    taxonomy: { code: 'BH-1800.8500', name: 'Emergency Shelter' },
    descriptions: [
      'Emergency overnight shelter with beds, showers, meals and case management toward housing.',
      'Shelter for adults experiencing homelessness; intake around the clock, storage and laundry.',
    ],
    applicationProcess: 'Arrive in person or call the intake line.',
    free: 1,
    hours: [HOURS.allDay, HOURS.overnight, HOURS.allDay],
    weight: 6,
  },
  {
    key: 'warming',
    names: ['{place} Warming Center', 'Overnight Drop-In at {place}'],
    orgNames: ['{place} Street Outreach'],
    domains: ['homelessness'],
    taxonomy: { code: 'BH-1800.1500', name: 'Warming Centers' },
    descriptions: ['A warm, safe place to spend the night in cold weather, with hot drinks and snacks.'],
    free: 1,
    hours: [HOURS.overnight, HOURS.lateWeekend, HOURS.outreachNights],
    weight: 3,
  },
  {
    key: 'rental',
    names: ['Rental Assistance and Eviction Prevention', 'Housing Search Help — {place}'],
    orgNames: ['{place} Housing Partnership', '{place} Tenants Network'],
    domains: ['housing-instability'],
    eligibility: { maxPovertyPercent: 200 },
    eligibilityDescription: 'Renters at risk of eviction with household income at or below 200% FPL.',
    taxonomy: { code: 'BH-3800.7000', name: 'Rent Payment Assistance' },
    descriptions: [
      'One-time help with back rent, security deposits and first month’s rent to prevent eviction.',
      'Housing search workers help families find and keep an apartment; landlord mediation.',
    ],
    free: 1,
    documents: ['Lease', 'Notice to quit, if any', 'Proof of income'],
    hours: [HOURS.office, HOURS.splitDay],
    weight: 5,
  },
  {
    key: 'utility',
    names: ['Fuel and Utility Assistance', 'Home Energy Assistance (LIHEAP) — {place}'],
    orgNames: ['{place} Community Action Agency', '{place} Energy Help'],
    domains: ['utility-insecurity'],
    assistanceKind: 'utility-assistance',
    eligibility: { maxPovertyPercent: 200 },
    eligibilityDescription: 'Households at or below 200% of the federal poverty guideline.',
    taxonomy: { code: 'BV-8900.9300', name: 'Utility Service Payment Assistance' },
    descriptions: [
      'Help paying heating and electric bills, shut-off protection and weatherization referrals.',
      'Fuel assistance applications for oil, gas and electric heat; emergency deliveries in winter.',
    ],
    free: 1,
    documents: ['Recent utility bill', 'Proof of income for everyone in the household'],
    hours: [HOURS.earlyOffice, HOURS.office],
    weight: 5,
  },
  {
    key: 'rides',
    names: ['Medical Rides Program', 'Transportation to Medical Appointments — {place}'],
    orgNames: ['{place} Ride Share for Health', '{place} Senior Transportation'],
    domains: ['transportation-insecurity'],
    assistanceKind: 'transport-assistance',
    eligibility: { payers: ['medicaid', 'medicare', 'self-pay'] },
    eligibilityDescription: 'MassHealth members, Medicare beneficiaries and uninsured patients.',
    taxonomy: { code: 'BT-4500.6500', name: 'Medical Appointment Transportation' },
    descriptions: ['Door-to-door rides to medical appointments, dialysis and pharmacy pickups.'],
    applicationProcess: 'Book at least two business days ahead.',
    free: 0.6,
    hours: [HOURS.earlyOffice, HOURS.longHours],
    remote: false,
    weight: 4,
  },
  {
    key: 'legal',
    names: ['Civil Legal Aid', 'Housing and Benefits Legal Clinic — {place}'],
    orgNames: ['{place} Legal Aid Society', '{place} Justice Center'],
    domains: ['housing-instability', 'financial-insecurity'],
    eligibility: { maxPovertyPercent: 125 },
    eligibilityDescription: 'Income at or below 125% of the federal poverty guideline.',
    taxonomy: { code: 'FT-3200', name: 'Legal Aid' },
    descriptions: ['Free lawyers for eviction defense, benefits denials, immigration and family law.'],
    free: 1,
    documents: ['Any court papers', 'Proof of income'],
    hours: [HOURS.office, HOURS.eveningGroup],
    weight: 4,
  },
  {
    key: 'charity-care',
    names: ['Hospital Financial Assistance (Charity Care)', 'Health Safety Net Enrollment'],
    orgNames: ['{place} Community Hospital Patient Financial Services'],
    domains: ['medical-cost-burden', 'financial-insecurity'],
    assistanceKind: 'charity-care',
    eligibility: { maxPovertyPercent: 300 },
    eligibilityDescription: 'Uninsured and underinsured patients with income at or below 300% FPL.',
    taxonomy: { code: 'LH-5000.1500', name: 'Charity Care' },
    descriptions: [
      'Free or reduced-cost hospital care and help with medical bills for patients who qualify.',
    ],
    free: 1,
    documents: ['Proof of income', 'Bills you need help with'],
    hours: [HOURS.earlyOffice],
    weight: 3,
  },
  {
    key: 'medicaid',
    names: ['MassHealth Application Help', 'Health Insurance Enrollment Assistance'],
    orgNames: ['{place} Health Access Navigators'],
    domains: ['health-insurance-coverage-status'],
    assistanceKind: 'medicaid-application',
    eligibility: { payers: ['self-pay', 'other'] },
    eligibilityDescription: 'People without health insurance or losing coverage.',
    taxonomy: { code: 'NL-5000.5000', name: 'Medicaid Applications' },
    descriptions: [
      'Certified application counselors help you apply for MassHealth and Health Connector plans.',
    ],
    free: 1,
    documents: ['Proof of income', 'Proof of identity', 'Immigration documents, if any'],
    hours: [HOURS.office],
    weight: 4,
  },
  {
    key: 'rx',
    names: ['Prescription Assistance Program', 'Low-Cost Medications — {place}'],
    orgNames: ['{place} Pharmacy Access Program'],
    domains: ['medical-cost-burden'],
    assistanceKind: 'prescription-assistance',
    eligibility: { maxPovertyPercent: 250 },
    eligibilityDescription: 'Income at or below 250% FPL, with or without insurance.',
    taxonomy: { code: 'LH-6300.6500', name: 'Prescription Expense Assistance' },
    descriptions: [
      'Help enrolling in drug manufacturer programs and discount cards to lower medication costs.',
    ],
    free: 1,
    documents: ['List of medications', 'Proof of income'],
    hours: [HOURS.office],
    remote: true,
    weight: 3,
  },
  {
    key: 'support',
    names: [
      'Caregiver Support Group',
      'Grief Support Group',
      'Recovery Support Meeting at {place}',
      'Parents Support Circle',
    ],
    orgNames: ['{place} Family Support Network', '{place} Wellness Collaborative'],
    domains: ['social-connection', 'stress'],
    taxonomy: { code: 'PN-8100', name: 'Support Groups' },
    descriptions: [
      'A weekly peer support group facilitated by a licensed social worker. Light food and childcare provided.',
      'Drop-in group for people coping with stress, loss or caregiving; coffee and snacks.',
    ],
    free: 1,
    hours: [HOURS.eveningGroup, HOURS.eveningGroup, HOURS.monthlyMarket],
    weight: 5,
  },
  {
    key: 'dv',
    names: ['24-Hour Domestic Violence Hotline', 'Safety Planning Line'],
    orgNames: ['{place} Safe Homes Project'],
    domains: ['intimate-partner-violence'],
    taxonomy: { code: 'RP-1500.1400', name: 'Domestic Violence Hotlines' },
    descriptions: [
      'Confidential hotline for people experiencing abuse: safety planning, shelter referrals and advocacy.',
    ],
    free: 1,
    hours: [HOURS.allDay],
    remote: true,
    weight: 2,
  },
  {
    key: 'elder-protect',
    names: ['Elder Protective Services Line'],
    orgNames: ['{place} Elder Services'],
    domains: ['elder-abuse'],
    eligibility: { minAge: 60 },
    taxonomy: { code: 'PH-6500.1800', name: 'Elder Abuse Reporting' },
    descriptions: ['Report suspected abuse, neglect or exploitation of an older adult, day or night.'],
    free: 1,
    hours: [HOURS.allDay],
    remote: true,
    weight: 1,
  },
  {
    key: 'jobs',
    names: ['Job Readiness and Placement', 'Career Center — {place}'],
    orgNames: ['{place} Workforce Partners'],
    domains: ['employment-status', 'financial-insecurity'],
    taxonomy: { code: 'ND-1500', name: 'Employment Preparation' },
    descriptions: ['Resume help, job search coaching and short training courses leading to jobs.'],
    free: 0.9,
    hours: [HOURS.office, HOURS.splitDay],
    weight: 3,
  },
  {
    key: 'esl',
    names: ['English Classes (ESOL)', 'Adult Education and GED — {place}'],
    orgNames: ['{place} Adult Learning Center'],
    domains: ['educational-attainment'],
    taxonomy: { code: 'HH-0500.8000', name: 'English as a Second Language' },
    descriptions: ['Free English classes for adults at every level, mornings and evenings.'],
    free: 0.9,
    hours: [HOURS.splitDay, HOURS.eveningGroup],
    weight: 3,
  },
  {
    key: 'digital',
    names: ['Digital Skills Classes', 'Free Laptop and Internet Help — {place}'],
    orgNames: ['{place} Tech Goes Home Partners', '{place} Public Library'],
    domains: ['digital-literacy'],
    taxonomy: { code: 'HH-0500.1600', name: 'Computer Literacy Classes' },
    descriptions: ['Learn to use a computer, a smartphone and patient portals; low-cost internet sign-up.'],
    free: 1,
    hours: [HOURS.office, HOURS.saturdayMorning],
    weight: 2,
  },
  {
    key: 'veterans',
    names: ['Veterans Services Office — {place}'],
    orgNames: ['{place} Veterans Services'],
    domains: ['veteran-status', 'financial-insecurity'],
    eligibility: {
      payers: ['va-tricare', 'medicare', 'medicaid', 'commercial', 'self-pay', 'medicare-advantage', 'other'],
    },
    taxonomy: { code: 'TN-1800', name: 'Veteran Benefits Assistance' },
    descriptions: [
      'Help with veterans’ benefits, housing and emergency financial aid for veterans and families.',
    ],
    free: 1,
    documents: ['DD-214'],
    hours: [HOURS.office],
    weight: 2,
  },
  {
    key: 'clothing',
    names: ['Clothing and Furniture Bank', 'Baby Supplies Closet — {place}'],
    orgNames: ['{place} Household Goods Bank'],
    domains: ['material-hardship'],
    taxonomy: { code: 'BM-6500.1500', name: 'Clothing' },
    descriptions: ['Free clothing, beds, furniture and household items by referral from a social worker.'],
    free: 1,
    hours: [HOURS.saturdayMorning, HOURS.pantryDays],
    weight: 3,
  },
  {
    key: 'tax',
    names: ['Free Tax Preparation (VITA)', 'Financial Coaching — {place}'],
    orgNames: ['{place} Financial Empowerment Center'],
    domains: ['financial-insecurity'],
    taxonomy: { code: 'DT-8000', name: 'Tax Preparation Assistance' },
    descriptions: [
      'Free tax filing and help claiming tax credits; one-on-one budgeting and credit coaching.',
    ],
    free: 0.8,
    documents: ['Photo ID', 'W-2 and 1099 forms', 'Social Security cards'],
    hours: [HOURS.splitDay, HOURS.saturdayMorning],
    weight: 3,
  },
];

/** Sentences some descriptions add, so that common words are common across kinds (as in a real directory). */
export const SHARED_SENTENCES = [
  FOOD_TOO,
  'Food and diapers are available for families who ask.',
  'Ask about our food pantry and hot meals.',
  'Interpreters available; call ahead for wheelchair access.',
];

/** Boston-area neighbourhoods and towns by ZIP code, for the demo department's directory. */
export const BOSTON_AREA: readonly (readonly [zip: string, place: string])[] = [
  ['02111', 'Chinatown'],
  ['02113', 'North End'],
  ['02114', 'West End'],
  ['02115', 'Fenway'],
  ['02116', 'Back Bay'],
  ['02118', 'South End'],
  ['02119', 'Roxbury'],
  ['02120', 'Mission Hill'],
  ['02121', 'Dorchester'],
  ['02122', 'Fields Corner'],
  ['02124', 'Codman Square'],
  ['02125', 'Uphams Corner'],
  ['02126', 'Mattapan'],
  ['02127', 'South Boston'],
  ['02128', 'East Boston'],
  ['02129', 'Charlestown'],
  ['02130', 'Jamaica Plain'],
  ['02131', 'Roslindale'],
  ['02132', 'West Roxbury'],
  ['02134', 'Allston'],
  ['02135', 'Brighton'],
  ['02136', 'Hyde Park'],
  ['02138', 'Harvard Square'],
  ['02139', 'Central Square'],
  ['02143', 'Somerville'],
  ['02145', 'Winter Hill'],
  ['02148', 'Malden'],
  ['02149', 'Everett'],
  ['02150', 'Chelsea'],
  ['02151', 'Revere'],
  ['02169', 'Quincy'],
  ['01902', 'Lynn'],
  ['02301', 'Brockton'],
  ['02451', 'Waltham'],
  ['01701', 'Framingham'],
];

/** Languages services offer besides English, by how often Boston-area services offer them. */
export const OTHER_LANGUAGES = [
  ['es', 0.55, 'Spanish'],
  ['pt', 0.2, 'Portuguese'],
  ['ht', 0.2, 'Haitian Creole'],
  ['zh', 0.15, 'Chinese'],
  ['vi', 0.12, 'Vietnamese'],
] as const;
