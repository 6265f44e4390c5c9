import { newId } from '../../../platform/ids.ts';
import type { Ledger, Outcome } from './ledger.ts';
import { BOOKKEEPING, columnsOf, MAPPINGS } from './mapping.ts';
import type { Candidate, Existing } from './plan.ts';
import { type HsdsTable, IMPORT_ORDER, TABLE_SPECS } from './spec.ts';

type Row = Record<string, unknown>;

/** What an import writes: rows per table (created or changed only), and which rows changed (Kith ids). */
export interface Writes {
  rows: Map<HsdsTable, Row[]>;
  other: Row[];
  changed: Map<HsdsTable, Set<string>>;
}

interface Context {
  organizationId: string;
  source: string;
  now: Date;
}

/** The Kith fields an import sets on a service, from its Kith attributes. */
interface KithFields {
  domains: Set<string>;
  assistanceKind?: string;
  eligibility?: Record<string, unknown>;
  attributes: Candidate[];
}

/**
 * Turns the accepted rows into the rows to write: each merged over what the directory holds (a field the file
 * lacks keeps its stored value), with references turned into Kith ids, then compared with the stored row to
 * tell created, updated and unchanged apart.
 */
export function buildWrites(
  accepted: Map<HsdsTable, Map<string, Candidate>>,
  existing: Existing,
  ctx: Context,
  ledger: Ledger,
): Writes {
  const writes: Writes = { rows: new Map(), other: [], changed: new Map() };
  const ids = new Map<HsdsTable, Map<string, string>>();
  for (const table of IMPORT_ORDER) {
    if (!MAPPINGS[table]) continue;
    const assigned = new Map<string, string>();
    for (const c of accepted.get(table)!.values()) {
      if (c.builtin || c.kith) continue;
      assigned.set(c.id, existing.rows.get(table)?.get(c.id)?.id ?? newId());
    }
    ids.set(table, assigned);
  }
  const idOf = (table: HsdsTable, externalId: string): string | null =>
    ids.get(table)?.get(externalId) ?? existing.rows.get(table)?.get(externalId)?.id ?? null;

  const kith = new Map<string, KithFields>();
  for (const c of accepted.get('attribute')!.values()) {
    if (!c.kith) continue;
    const serviceId = String(c.row.values.link_id);
    const fields = kith.get(serviceId) ?? { domains: new Set<string>(), attributes: [] };
    kith.set(serviceId, fields);
    fields.attributes.push(c);
    if (c.kith.kind === 'sdoh') fields.domains.add(c.kith.code);
    else if (c.kith.kind === 'assistance') fields.assistanceKind = c.kith.code;
    else fields.eligibility = c.kith.rules;
  }

  const record = (table: HsdsTable, key: string, before: Row | undefined, after: Row): Outcome => {
    const outcome: Outcome = !before ? 'created' : differs(table, before, after) ? 'updated' : 'unchanged';
    ledger.count(key, outcome);
    if (outcome === 'unchanged') return outcome;
    if (outcome === 'updated') {
      after.updatedAt = ctx.now;
      if (table === 'service' || table === 'organization') after.version = Number(before!.version) + 1;
      if (table === 'service') after.updatedBy = null;
    }
    writes.rows.get(table)!.push(after);
    writes.changed.get(table)!.add(String(after.id));
    return outcome;
  };

  for (const table of IMPORT_ORDER) {
    const mapping = MAPPINGS[table];
    if (!mapping) continue;
    writes.rows.set(table, []);
    writes.changed.set(table, new Set());
    const columns = columnsOf(table);
    const targets = Object.fromEntries(TABLE_SPECS[table].fields.map((f) => [f.name, f.target]));
    for (const c of accepted.get(table)!.values()) {
      if (c.builtin || c.kith) {
        // Kith's vocabulary is built in; its attributes are counted with their service below.
        if (c.builtin) ledger.count(c.key, 'unchanged');
        continue;
      }
      const before = existing.rows.get(table)?.get(c.id);
      const after: Row = before
        ? { ...before, extra: { ...(before.extra as Row) } }
        : {
            id: ids.get(table)!.get(c.id),
            organizationId: ctx.organizationId,
            source: ctx.source,
            externalId: c.id,
            extra: {},
          };
      const extra = after.extra as Row;
      for (const field of c.row.present) {
        if (field === 'id') continue;
        const column = columns[field];
        if (field in c.row.asGiven) {
          if (column) after[column] = null;
          extra[field] = c.row.asGiven[field];
          continue;
        }
        if (!column) {
          // A field of the specification that Kith has no column for (services.fees): kept as given.
          const given = c.record.values[field];
          if (given === null || given === undefined) delete extra[field];
          else extra[field] = given;
          continue;
        }
        const value = c.row.values[field] ?? null;
        delete extra[field];
        after[column] =
          mapping.refs[field] && typeof value === 'string' ? idOf(targets[field]!, value) : value;
      }
      if (table === 'service') applyKith(after, kith.get(c.id));
      const outcome = record(table, c.key, before, after);
      if (table === 'service') countKith(ledger, kith.get(c.id), outcome, before, after);
    }
    if (table === 'service') {
      // Kith attributes for services the directory holds but this import does not give.
      for (const [serviceId, fields] of kith) {
        if (accepted.get('service')!.has(serviceId)) continue;
        const before = existing.rows.get('service')!.get(serviceId)!;
        const after: Row = { ...before };
        applyKith(after, fields);
        const outcome = record('service', 'service', before, after);
        // The service itself was not in the file: only its attributes count.
        ledger.count('service', outcome, -1);
        countKith(ledger, fields, outcome, before, after);
      }
    }
  }
  writes.other = otherRows(accepted, existing, ctx, ledger);
  return writes;
}

function applyKith(row: Row, fields: KithFields | undefined): void {
  if (!fields) return;
  if (fields.domains.size > 0) row.domains = [...fields.domains].sort();
  if (fields.assistanceKind) row.assistanceKind = fields.assistanceKind;
  if (fields.eligibility) row.eligibility = fields.eligibility;
}

/** A Kith attribute counts as created with its service, else updated when the field it sets changed. */
function countKith(
  ledger: Ledger,
  fields: KithFields | undefined,
  outcome: Outcome,
  before: Row | undefined,
  after: Row,
) {
  for (const c of fields?.attributes ?? []) {
    const column =
      c.kith!.kind === 'sdoh' ? 'domains' : c.kith!.kind === 'assistance' ? 'assistanceKind' : 'eligibility';
    const same = before && canonical(before[column]) === canonical(after[column]);
    ledger.count(c.key, outcome === 'created' ? 'created' : same ? 'unchanged' : 'updated');
  }
}

/** Rows of the tables Kith does not model, kept whole as the file gave them. */
function otherRows(
  accepted: Map<HsdsTable, Map<string, Candidate>>,
  existing: Existing,
  ctx: Context,
  ledger: Ledger,
): Row[] {
  const rows: Row[] = [];
  for (const table of IMPORT_ORDER) {
    if (MAPPINGS[table]) continue;
    for (const c of accepted.get(table)!.values()) {
      const before = existing.other.get(table)?.get(c.id);
      const data: Row = { ...(before?.data ?? {}) };
      for (const field of c.row.present) {
        const given = c.record.values[field];
        if (given === null || given === undefined) delete data[field];
        else data[field] = field === 'id' ? c.id : given;
      }
      const outcome: Outcome = !before
        ? 'created'
        : canonical(before.data) === canonical(data)
          ? 'unchanged'
          : 'updated';
      ledger.count(c.key, outcome);
      if (outcome === 'unchanged') continue;
      rows.push({
        id: before?.id ?? newId(),
        organizationId: ctx.organizationId,
        source: ctx.source,
        externalId: c.id,
        kind: table,
        data,
        extra: {},
        updatedAt: ctx.now,
      });
    }
  }
  return rows;
}

function differs(table: HsdsTable, before: Row, after: Row): boolean {
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (BOOKKEEPING.has(key) && !(table === 'taxonomy' && key === 'version')) continue;
    if (canonical(before[key]) !== canonical(after[key])) return true;
  }
  return false;
}

/** A value in one comparable text form: dates as instants, objects with their keys sorted. */
export function canonical(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return `"${value.toISOString()}"`;
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Row)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  if (typeof value === 'number') return String(value);
  return JSON.stringify(value);
}
