import { type FieldSpec, type HsdsTable, TABLE_SPECS } from './spec.ts';

/** A row's fields after checking: typed values, and the fields kept only as given (see `asGiven`). */
export interface CheckedRow {
  values: Record<string, unknown>;
  /** Fields the file gave that Kith keeps as text for the export but does not use (a latitude of 100). */
  asGiven: Record<string, string>;
  /** Fields the file had at all (a field it lacks leaves the stored value alone). */
  present: Set<string>;
  warnings: string[];
}

export type CheckResult = { ok: true; row: CheckedRow } | { ok: false; reason: string };

const ID = /^\S{1,255}$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const TIME = /^(\d{1,2}):([0-5]\d)(?::([0-5]\d))?$/;
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const BYDAY = /^[+-]?\d?(MO|TU|WE|TH|FR|SA|SU)$/;

/**
 * Checks one row against its table (required fields, ids, dates, numbers, enumerations) and types its values.
 * Every problem of the row is named in the one reason. Free text is kept exactly as given (spaces included), so
 * that an export gives back what was imported.
 */
export function checkRow(table: HsdsTable, given: Record<string, string | null>): CheckResult {
  const spec = TABLE_SPECS[table];
  const problems: string[] = [];
  const row: CheckedRow = { values: {}, asGiven: {}, present: new Set(), warnings: [] };
  const known = new Set(spec.fields.map((f) => f.name));
  for (const field of spec.fields) {
    const present = field.name in given;
    const raw = given[field.name] ?? null;
    if (raw === null) {
      const fallback = defaultOf(table, field);
      if (fallback !== null) {
        row.values[field.name] = fallback;
        row.present.add(field.name);
      } else if (field.required) problems.push(`${field.name} is required`);
      else if (present) {
        row.values[field.name] = null;
        row.present.add(field.name);
      }
      continue;
    }
    row.present.add(field.name);
    const checked = checkValue(field, raw);
    if ('problem' in checked) problems.push(checked.problem);
    else if ('asGiven' in checked) {
      row.values[field.name] = null;
      row.asGiven[field.name] = raw;
      row.warnings.push(checked.warning);
    } else row.values[field.name] = checked.value;
  }
  // Columns outside the specification are kept as given.
  for (const [name, raw] of Object.entries(given)) {
    if (known.has(name)) continue;
    row.present.add(name);
    if (raw !== null) row.asGiven[name] = raw;
  }
  const min = row.values.minimum_age;
  const max = row.values.maximum_age;
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    problems.push(`minimum_age ${min} is above maximum_age ${max}`);
  }
  for (const age of ['minimum_age', 'maximum_age'] as const) {
    const value = row.values[age];
    if (typeof value === 'number' && (value < 0 || value > 150))
      problems.push(`${age} ${value} is not an age`);
  }
  return problems.length ? { ok: false, reason: problems.join('; ') } : { ok: true, row };
}

/** HSDS 1.1 had no location or address type: a place is physical unless it says otherwise. */
function defaultOf(table: HsdsTable, field: FieldSpec): string | null {
  if (
    (table === 'location' && field.name === 'location_type') ||
    (table === 'address' && field.name === 'address_type')
  ) {
    return 'physical';
  }
  return null;
}

type Checked = { value: unknown } | { problem: string } | { asGiven: true; warning: string };

function checkValue(field: FieldSpec, raw: string): Checked {
  const trimmed = raw.trim();
  const bad = (what: string): Checked => ({ problem: `${field.name} ${what} (got "${clip(raw)}")` });
  switch (field.type) {
    case 'id':
    case 'ref':
      return ID.test(trimmed) ? { value: trimmed } : bad('must be an id without spaces');
    case 'text':
    case 'uri':
      return { value: raw };
    case 'email':
      return EMAIL.test(trimmed) ? { value: trimmed } : bad('must be an email address');
    case 'number':
    case 'integer':
    case 'latitude':
    case 'longitude': {
      if (!NUMBER.test(trimmed)) return bad('must be a number');
      const value = Number(trimmed);
      if (field.type === 'integer' && !Number.isInteger(value)) return bad('must be a whole number');
      const limit = field.type === 'latitude' ? 90 : field.type === 'longitude' ? 180 : null;
      if (limit !== null && Math.abs(value) > limit) {
        return {
          asGiven: true,
          warning: `${field.name} ${trimmed} is outside ±${limit}: kept as given, not used for distance`,
        };
      }
      return { value };
    }
    case 'date':
      return isCalendarDate(trimmed) ? { value: trimmed } : bad('must be a date as YYYY-MM-DD');
    case 'datetime': {
      const match = DATETIME.exec(trimmed);
      if (!match) return bad('must be a date and time (ISO 8601)');
      const iso = trimmed.length === 10 ? `${trimmed}T00:00:00` : trimmed.replace(' ', 'T');
      const instant = new Date(match[1] ? iso : `${iso}Z`);
      return Number.isNaN(instant.getTime()) || !isCalendarDate(trimmed.slice(0, 10))
        ? bad('must be a date and time (ISO 8601)')
        : { value: instant };
    }
    case 'time': {
      const match = TIME.exec(trimmed);
      const hours = match ? Number(match[1]) : -1;
      if (!match || hours > 24 || (hours === 24 && (match[2] !== '00' || (match[3] ?? '00') !== '00'))) {
        return bad('must be a time as HH:MM');
      }
      return { value: `${match[1]!.padStart(2, '0')}:${match[2]}${match[3] ? `:${match[3]}` : ''}` };
    }
    case 'enum': {
      const folded = field.fold === 'upper' ? trimmed.toUpperCase() : trimmed.toLowerCase();
      return field.values?.includes(folded)
        ? { value: folded }
        : bad(`must be one of ${field.values?.join(', ')}`);
    }
    case 'byday': {
      const days = trimmed.toUpperCase().replace(/\s+/g, '');
      return days.split(',').every((d) => BYDAY.test(d))
        ? { value: days }
        : bad('must be days such as MO,TU');
    }
  }
}

function isCalendarDate(text: string): boolean {
  const match = DATE.exec(text);
  if (!match) return false;
  const [, y, m, d] = match.map(Number) as [number, number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

const clip = (text: string) => (text.length > 40 ? `${text.slice(0, 40)}…` : text);
