import type { Relationship, SharingScope } from '../../../domain/contacts.ts';
import type { Disposition } from '../../../domain/schemas/encounters.ts';

/**
 * The words of a Boston-area hospital's social work department that the demo generator draws from. Every
 * list is fixed and ordered: the seeded random choices index into them.
 */

/** The department's three units; larger sets add more units after these. */
export const FIRST_UNITS = [
  { name: '4 West Medicine', floor: 4, icu: false },
  { name: '5 East Cardiac', floor: 5, icu: false },
  { name: 'ICU', floor: 6, icu: true },
] as const;

const WINGS = ['North', 'South', 'East', 'West'] as const;
const SERVICES = [
  'Medicine',
  'Surgery',
  'Oncology',
  'Neurology',
  'Orthopedics',
  'Telemetry',
  'Step-down',
  'Geriatrics',
  'Renal',
  'Pulmonary',
] as const;
const ICUS = ['Surgical ICU', 'Cardiac ICU', 'Neuro ICU', 'Burn ICU', 'Trauma ICU'] as const;

export interface Unit {
  name: string;
  floor: number;
  icu: boolean;
}

/** `count` unit names: the department's three, then "7 North Oncology"-style units and a few more ICUs. */
export function unitNames(count: number): Unit[] {
  const units: Unit[] = FIRST_UNITS.slice(0, count).map((u) => ({ ...u }));
  for (let i = 0; units.length < count; i++) {
    if (i % 12 === 11 && i / 12 < ICUS.length) {
      units.push({ name: ICUS[Math.floor(i / 12)]!, floor: 3, icu: true });
      continue;
    }
    const floor = 2 + Math.floor(i / WINGS.length);
    const wing = WINGS[i % WINGS.length]!;
    const name = `${floor} ${wing} ${SERVICES[(i * 7) % SERVICES.length]}`;
    if (units.some((u) => u.name === name)) continue;
    units.push({ name, floor, icu: false });
  }
  return units;
}

/** Languages of the patients, by share; most who prefer another language than English need an interpreter. */
export const LANGUAGE_MIX: readonly (readonly [number, string])[] = [
  [72, 'en'],
  [13, 'es'],
  [4, 'zh'],
  [1, 'yue'],
  [3, 'vi'],
  [3, 'ht'],
  [2, 'pt'],
  [1, 'ru'],
  [1, 'ar'],
];

/** Names of people who speak each language, as US hospitals register them (romanised). */
export const NAMES: Record<
  string,
  { family: readonly string[]; female: readonly string[]; male: readonly string[] }
> = {
  es: {
    family: [
      'García',
      'Rodríguez',
      'Martínez',
      'Hernández',
      'López',
      'González',
      'Pérez',
      'Sánchez',
      'Ramírez',
      'Torres',
      'Flores',
      'Rivera',
      'Gómez',
      'Díaz',
      'Reyes',
      'Morales',
      'Cruz',
      'Ortiz',
      'Gutiérrez',
      'Chávez',
      'Ramos',
      'Vargas',
      'Castillo',
      'Jiménez',
      'Moreno',
      'Romero',
      'Herrera',
      'Medina',
      'Aguilar',
      'Vásquez',
    ],
    female: ['María', 'Carmen', 'Rosa', 'Ana', 'Lucía', 'Guadalupe', 'Yolanda', 'Marisol', 'Elena', 'Sofía'],
    male: ['José', 'Juan', 'Luis', 'Carlos', 'Jorge', 'Miguel', 'Rafael', 'Pedro', 'Héctor', 'Manuel'],
  },
  zh: {
    family: ['Wang', 'Li', 'Zhang', 'Liu', 'Chen', 'Yang', 'Huang', 'Zhao', 'Wu', 'Zhou', 'Xu', 'Sun', 'Lin'],
    female: ['Mei', 'Xiu Ying', 'Li Na', 'Jing', 'Fang', 'Hui', 'Yan', 'Ling', 'Xiao Hong'],
    male: ['Wei', 'Jian', 'Ming', 'Jun', 'Hao', 'Qiang', 'Lei', 'Tao', 'Zhi Wei'],
  },
  yue: {
    family: ['Chan', 'Wong', 'Leung', 'Cheung', 'Lau', 'Lee', 'Ho', 'Ng', 'Kwok', 'Tse'],
    female: ['Wai Man', 'Siu Ling', 'Mei Ling', 'Yuk Lan', 'Ka Yan'],
    male: ['Kwok Wing', 'Chi Keung', 'Ka Ho', 'Wai Kit', 'Man Kit'],
  },
  vi: {
    family: ['Nguyen', 'Tran', 'Le', 'Pham', 'Hoang', 'Phan', 'Vu', 'Dang', 'Bui', 'Do', 'Ho', 'Ngo'],
    female: ['Lan', 'Thu', 'Hoa', 'Mai', 'Huong', 'Linh', 'Ngoc', 'Trang'],
    male: ['Minh', 'Tuan', 'Hung', 'Duc', 'Quang', 'Thanh', 'Long', 'Nam'],
  },
  ht: {
    family: [
      'Jean-Baptiste',
      'Pierre',
      'Joseph',
      'Louis',
      'Charles',
      'Desir',
      'Etienne',
      'Celestin',
      'Dorvil',
    ],
    female: ['Marie', 'Nadège', 'Fabienne', 'Guerline', 'Mirlande', 'Rose-Marie', 'Widline'],
    male: ['Jean', 'Wilner', 'Fritz', 'Jacques', 'Rony', 'Evens', 'Frantz'],
  },
  pt: {
    family: ['Silva', 'Santos', 'Oliveira', 'Souza', 'Costa', 'Pereira', 'Ferreira', 'Almeida', 'Medeiros'],
    female: ['Ana Paula', 'Fernanda', 'Maria José', 'Conceição', 'Luzia'],
    male: ['João', 'Antônio', 'Francisco', 'Paulo', 'Manuel'],
  },
  ru: {
    family: ['Ivanov', 'Petrova', 'Smirnov', 'Kuznetsova', 'Popov', 'Volkova', 'Sokolov'],
    female: ['Olga', 'Tatiana', 'Irina', 'Svetlana', 'Natalia'],
    male: ['Sergei', 'Dmitri', 'Alexei', 'Vladimir', 'Yuri'],
  },
  ar: {
    family: ['Haddad', 'Khalil', 'Nasser', 'Saleh', 'Hassan', 'Mansour', 'Awad'],
    female: ['Fatima', 'Layla', 'Mariam', 'Noor', 'Samira'],
    male: ['Ahmed', 'Omar', 'Yousef', 'Khaled', 'Samir'],
  },
};

export const CITIES = [
  ['Boston', '021'],
  ['Dorchester', '021'],
  ['Roxbury', '021'],
  ['East Boston', '021'],
  ['Cambridge', '021'],
  ['Somerville', '021'],
  ['Chelsea', '021'],
  ['Everett', '021'],
  ['Malden', '021'],
  ['Revere', '021'],
  ['Quincy', '021'],
  ['Lynn', '019'],
  ['Brockton', '024'],
  ['Waltham', '024'],
  ['Framingham', '017'],
] as const;

/** Payers by kind (domain/schemas/patients.ts PAYER_TYPES): name and plan. */
export const PAYERS = {
  medicare: [['Medicare', 'Original Medicare Part A/B']],
  'medicare-advantage': [
    ['Blue Cross Blue Shield of Massachusetts', 'Medicare HMO Blue'],
    ['Tufts Health Plan', 'Medicare Preferred HMO'],
  ],
  medicaid: [
    ['MassHealth', 'MassHealth Standard'],
    ['MassHealth', 'MassHealth CarePlus'],
    ['Boston Medical Center HealthNet Plan', 'MassHealth ACO'],
  ],
  commercial: [
    ['Blue Cross Blue Shield of Massachusetts', 'PPO'],
    ['Harvard Pilgrim Health Care', 'HMO'],
    ['Point32Health', 'Tufts Health Direct'],
    ['Aetna', 'Choice POS II'],
  ],
} as const;

export const PCP_PRACTICES = [
  'Dorchester Family Health Center',
  'Codman Square Health Center',
  'East Boston Neighborhood Health Center',
  'Cambridge Health Alliance Primary Care',
  'Riverside Internal Medicine Associates',
  'South End Community Health Center',
  'Quincy Primary Care',
  'Lynn Community Health Center',
] as const;

/**
 * Family and others around the patient, by how often they are listed: the word staff use, the coded
 * relationship (domain/contacts.ts) and, where the word says it, their sex.
 */
export const RELATIVES: readonly (readonly [
  number,
  { word: string; code: Relationship; sex?: 'female' | 'male' },
])[] = [
  [18, { word: 'daughter', code: 'child', sex: 'female' }],
  [14, { word: 'son', code: 'child', sex: 'male' }],
  [16, { word: 'spouse', code: 'spouse' }],
  [5, { word: 'partner', code: 'partner' }],
  [8, { word: 'sister', code: 'sibling', sex: 'female' }],
  [6, { word: 'brother', code: 'sibling', sex: 'male' }],
  [6, { word: 'mother', code: 'parent', sex: 'female' }],
  [3, { word: 'father', code: 'parent', sex: 'male' }],
  [5, { word: 'friend', code: 'friend' }],
  [3, { word: 'niece', code: 'other-relative', sex: 'female' }],
  [3, { word: 'nephew', code: 'other-relative', sex: 'male' }],
  [2, { word: 'neighbour', code: 'neighbour' }],
  [2, { word: 'grandchild', code: 'other-relative' }],
];

/** What a patient lets staff share with family, by how often (domain/contacts.ts). */
export const SHARING_MIX: readonly (readonly [number, SharingScope])[] = [
  [55, 'all-health-information'],
  [30, 'care-and-discharge-planning'],
  [15, 'appointments-and-logistics'],
];

/** Where inpatients go at discharge, by how often (domain/schemas/encounters.ts). */
export const DISPOSITION_MIX: readonly (readonly [number, Disposition])[] = [
  [45, 'home'],
  [10, 'home-with-services'],
  [10, 'home-health'],
  [14, 'snf'],
  [7, 'inpatient-rehab'],
  [1, 'ltach'],
  [4, 'hospice'],
  [3, 'shelter'],
  [2, 'left-against-medical-advice'],
  [2, 'expired'],
  [2, 'transferred'],
];

export const CLINICS = [
  'Primary Care',
  'Cardiology clinic',
  'Oncology infusion',
  'Nephrology clinic',
  'Dialysis unit',
  'Wound care clinic',
  'Neurology clinic',
  'Geriatrics clinic',
  'Pulmonary clinic',
] as const;

/** Fixed accounts of the department: the demo logins, and the first people of any larger set. */
export const DEPARTMENT_PEOPLE = {
  admin: { email: 'admin@riverside.example', displayName: 'Alex Admin' },
  supervisors: [{ email: 'supervisor@riverside.example', displayName: 'Sam Rivera, LICSW' }],
  socialWorkers: [
    { email: 'worker@riverside.example', displayName: 'Jordan Lee, LCSW' },
    { email: 'worker2@riverside.example', displayName: 'Priya Nair, LMSW' },
    { email: 'worker3@riverside.example', displayName: 'Marcus Johnson, LICSW' },
    { email: 'worker4@riverside.example', displayName: 'Elena Petrova, LCSW' },
    { email: 'worker5@riverside.example', displayName: 'Tomás Álvarez, LCSW' },
    { email: 'worker6@riverside.example', displayName: 'Grace Okafor, LMSW' },
  ],
  clinicians: [
    { email: 'clinician@riverside.example', displayName: 'Dr. Morgan Chen' },
    { email: 'clinician2@riverside.example', displayName: 'Dr. Aisha Rahman' },
  ],
  partner: { email: 'partner@riverside.example', displayName: 'Harbor Food Bank' },
  readOnly: { email: 'readonly@riverside.example', displayName: 'Quality Reviewer' },
} as const;
