/**
 * The patient's "Your resources" handout (issue 5, item 7): the languages it is written in, its labels, and
 * opening hours as the patient reads them. The server's PDF and the app's print page both use these.
 */

/** Languages the handout is written in; any other falls back to English, and the heading says so. */
export const HANDOUT_LANGUAGES = ['en', 'es'] as const;
export type HandoutLanguage = (typeof HANDOUT_LANGUAGES)[number];

/** The handout language for a BCP 47 tag ("es-MX" → es), and whether it had to fall back to English. */
export function handoutLanguageOf(tag: string | null | undefined): {
  language: HandoutLanguage;
  fallback: boolean;
} {
  const base = (tag ?? 'en').trim().toLowerCase().split('-')[0] ?? 'en';
  const known = (HANDOUT_LANGUAGES as readonly string[]).includes(base);
  return { language: known ? (base as HandoutLanguage) : 'en', fallback: !known };
}

const en = {
  title: 'Your resources',
  fallbackTitle: (languageName: string) =>
    `Your resources (in English: not yet available in ${languageName})`,
  intro: 'Places that can help, chosen with you by your social worker.',
  preparedFor: 'Prepared for',
  date: 'Date',
  offeredBy: 'Offered by',
  address: 'Address',
  phone: 'Phone',
  hours: 'Hours',
  whatToBring: 'What to bring',
  nothingToBring: 'Nothing listed. Call to ask what to bring.',
  callForHours: 'Call to ask about hours.',
  noAddress: 'No street address. Call or visit the website.',
  howToApply: 'How to apply',
  cost: 'Cost',
  website: 'Website',
  email: 'Email',
  location: 'Location',
  moreLocations: (n: number) =>
    `${n} more ${n === 1 ? 'location' : 'locations'}: call to ask which is nearest.`,
  temporarilyClosed: 'Temporarily closed: call before you go.',
  mayHaveClosed: 'This service may no longer be offered: call before you go.',
  questions: 'Questions? Contact your social worker',
  socialWorker: 'Social worker',
  department: 'Department',
  page: 'Page',
  everyDay: 'Every day',
  open24Hours: 'Open 24 hours',
  days: ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'],
  through: 'to',
  and: 'and',
  ofTheMonth: 'of the month',
  ordinals: {
    '1': 'First',
    '2': 'Second',
    '3': 'Third',
    '4': 'Fourth',
    '5': 'Fifth',
    '-1': 'Last',
  } as Record<string, string>,
  locale: 'en-US',
};
export type HandoutLabels = typeof en;

const es: HandoutLabels = {
  title: 'Sus recursos',
  fallbackTitle: en.fallbackTitle,
  intro: 'Lugares que pueden ayudarle, elegidos con usted por su trabajador(a) social.',
  preparedFor: 'Preparado para',
  date: 'Fecha',
  offeredBy: 'Ofrecido por',
  address: 'Dirección',
  phone: 'Teléfono',
  hours: 'Horario',
  whatToBring: 'Qué traer',
  nothingToBring: 'No se indica nada. Llame para preguntar qué debe traer.',
  callForHours: 'Llame para preguntar por el horario.',
  noAddress: 'Sin dirección. Llame o visite el sitio web.',
  howToApply: 'Cómo solicitar',
  cost: 'Costo',
  website: 'Sitio web',
  email: 'Correo electrónico',
  location: 'Lugar',
  moreLocations: (n: number) =>
    `${n} ${n === 1 ? 'lugar más' : 'lugares más'}: llame para preguntar cuál le queda más cerca.`,
  temporarilyClosed: 'Cerrado temporalmente: llame antes de ir.',
  mayHaveClosed: 'Es posible que este servicio ya no se ofrezca: llame antes de ir.',
  questions: '¿Tiene preguntas? Comuníquese con su trabajador(a) social',
  socialWorker: 'Trabajador(a) social',
  department: 'Departamento',
  page: 'Página',
  everyDay: 'Todos los días',
  open24Hours: 'Abierto las 24 horas',
  days: ['lunes', 'martes', 'miércoles', 'jueves', 'viernes', 'sábado', 'domingo'],
  through: 'a',
  and: 'y',
  ofTheMonth: 'del mes',
  ordinals: { '1': 'Primer', '2': 'Segundo', '3': 'Tercer', '4': 'Cuarto', '5': 'Quinto', '-1': 'Último' },
  locale: 'es-US',
};

/** Every label of the handout, in its language. */
export const HANDOUT_LABELS: Record<HandoutLanguage, HandoutLabels> = { en, es };

/** One HSDS schedule row, as the directory keeps it. */
export interface HoursRow {
  freq: string | null;
  /** Every `interval` weeks or months; only 1 (or none) is read as hours, others by their description. */
  interval?: number | null;
  byday: string | null;
  opensAt: string | null;
  closesAt: string | null;
  description: string | null;
}

const DAY_CODES = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "09:00" → "9:00 AM" (en) or "9:00 a.m." (es). */
function timeText(hhmm: string, labels: HandoutLabels): string {
  const [h, m] = hhmm.split(':').map(Number);
  const at = new Date(Date.UTC(2000, 0, 1, h ?? 0, m ?? 0));
  return new Intl.DateTimeFormat(labels.locale, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: 'UTC',
  }).format(at);
}

function intervalText(opensAt: string, closesAt: string, labels: HandoutLabels): string {
  const opens = opensAt.slice(0, 5);
  const closes = closesAt.slice(0, 5);
  if (opens === '00:00' && (closes === '00:00' || closes === '23:59')) return labels.open24Hours;
  return `${timeText(opens, labels)} – ${timeText(closes, labels)}`;
}

/** "a, b and c" in the handout's language. */
function listText(items: string[], labels: HandoutLabels): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} ${labels.and} ${items.at(-1)}`;
}

/** Days of the week (0 = Monday) as runs: [0,1,2,3,4] → "Monday to Friday", [5,6] → "Saturday and Sunday". */
function daysText(days: number[], labels: HandoutLabels): string {
  if (days.length === 7) return labels.everyDay;
  const runs: number[][] = [];
  for (const day of days) {
    const run = runs.at(-1);
    if (run && run.at(-1) === day - 1) run.push(day);
    else runs.push([day]);
  }
  const parts = runs.flatMap((run) =>
    run.length >= 3
      ? [`${labels.days[run[0]!]} ${labels.through} ${labels.days[run.at(-1)!]}`]
      : run.map((d) => labels.days[d]!),
  );
  return capitalise(listText(parts, labels));
}

/**
 * Opening hours as lines a patient reads ("Monday to Friday: 9:00 AM – 5:00 PM"): weekly hours grouped by
 * day, monthly ones ("First Monday of the month: …"), then the descriptions of schedules without times.
 * Empty when the directory lists no hours.
 */
export function hoursLines(rows: HoursRow[], labels: HandoutLabels): string[] {
  const byDay = new Map<number, { opens: string; text: string }[]>();
  const monthly: string[] = [];
  const notes: string[] = [];
  for (const row of rows) {
    const freq = (row.freq ?? 'WEEKLY').toUpperCase();
    const hasTimes = Boolean(row.opensAt && row.closesAt);
    const codes = (row.byday ?? '')
      .split(',')
      .map((c) => c.trim().toUpperCase())
      .filter(Boolean);
    let shown = false;
    if ((row.interval ?? 1) !== 1) {
      // "Every other week" has no honest weekly line: its own description says it.
    } else if (hasTimes && freq === 'MONTHLY' && codes.length) {
      shown = true;
      const interval = intervalText(row.opensAt!, row.closesAt!, labels);
      for (const code of codes) {
        const match = /^([+-]?\d)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(code);
        if (!match) continue;
        const ordinal = labels.ordinals[(match[1] ?? '1').replace('+', '')] ?? '';
        const day = labels.days[DAY_CODES.indexOf(match[2] as (typeof DAY_CODES)[number])]!;
        monthly.push(`${ordinal} ${day} ${labels.ofTheMonth}: ${interval}`);
      }
    } else if (hasTimes && (freq === 'WEEKLY' || freq === 'DAILY')) {
      shown = true;
      const days =
        freq === 'DAILY' || codes.length === 0
          ? [0, 1, 2, 3, 4, 5, 6]
          : codes.map((c) => DAY_CODES.indexOf(c.replace(/^[+-]?\d/, '') as (typeof DAY_CODES)[number]));
      const interval = { opens: row.opensAt!, text: intervalText(row.opensAt!, row.closesAt!, labels) };
      for (const day of days) {
        if (day < 0) continue;
        byDay.set(day, [...(byDay.get(day) ?? []), interval]);
      }
    }
    // A schedule Kith cannot read as hours is shown by its own words.
    const note = row.description?.trim();
    if (!shown && note && !notes.includes(note)) notes.push(note);
  }
  // Days that share the same hours go on one line, in week order of their first day.
  const lines = new Map<string, number[]>();
  for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
    const text = byDay
      .get(day)!
      .sort((a, b) => a.opens.localeCompare(b.opens))
      .map((i) => i.text)
      .filter((t, i, all) => all.indexOf(t) === i)
      .join(', ');
    lines.set(text, [...(lines.get(text) ?? []), day]);
  }
  const weekly = [...lines].map(([text, days]) => `${daysText(days, labels)}: ${text}`);
  return [...weekly, ...monthly, ...notes];
}
