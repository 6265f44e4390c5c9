import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../../db/client.ts';
import { directoryOtherRecords } from '../resources.tables.ts';
import {
  isKithTaxonomy,
  type KithKind,
  type KithValue,
  kithTermById,
  kithTermOf,
  kithValueOf,
} from './kith-vocabulary.ts';
import type { Ledger } from './ledger.ts';
import { MAPPINGS } from './mapping.ts';
import type { SourceRecord } from './records.ts';
import {
  HANGING_TABLES,
  HSDS_TABLES,
  type HsdsTable,
  IMPORT_ORDER,
  mustResolve,
  TABLE_SPECS,
} from './spec.ts';
import { type CheckedRow, checkRow } from './validate.ts';

/** A row that passed its own checks, waiting for its references to be resolved. */
export interface Candidate {
  record: SourceRecord;
  table: HsdsTable;
  id: string;
  row: CheckedRow;
  /** The report line it counts in. */
  key: string;
  /** One of Kith's own taxonomies or terms: built in, never stored. */
  builtin?: boolean;
  /** A Kith attribute: what it sets on its service. */
  kith?: KithValue;
}

type StoredRow = Record<string, unknown> & { id: string; externalId: string };

/** What the directory already holds for this tenant and source, by table and HSDS id. */
export interface Existing {
  rows: Map<HsdsTable, Map<string, StoredRow>>;
  other: Map<string, Map<string, { id: string; data: Record<string, unknown> }>>;
}

export async function loadExisting(db: DbOrTx, organizationId: string, source: string): Promise<Existing> {
  const existing: Existing = { rows: new Map(), other: new Map() };
  for (const [table, mapping] of Object.entries(MAPPINGS) as [
    HsdsTable,
    NonNullable<(typeof MAPPINGS)[HsdsTable]>,
  ][]) {
    const t = mapping.table as typeof directoryOtherRecords;
    const rows = (await db
      .select()
      .from(t)
      .where(and(eq(t.organizationId, organizationId), eq(t.source, source)))) as unknown as StoredRow[];
    existing.rows.set(table, new Map(rows.map((r) => [r.externalId, r])));
  }
  const others = await db
    .select({
      id: directoryOtherRecords.id,
      kind: directoryOtherRecords.kind,
      externalId: directoryOtherRecords.externalId,
      data: directoryOtherRecords.data,
    })
    .from(directoryOtherRecords)
    .where(
      and(eq(directoryOtherRecords.organizationId, organizationId), eq(directoryOtherRecords.source, source)),
    );
  for (const r of others) {
    if (!existing.other.has(r.kind)) existing.other.set(r.kind, new Map());
    existing.other.get(r.kind)!.set(r.externalId, { id: r.id, data: r.data as Record<string, unknown> });
  }
  return existing;
}

/** The rows refused so far, by table and HSDS id: a reference to one of them says so. */
export type Refused = Map<string, Pick<SourceRecord, 'file' | 'row'>>;
const refusedKey = (table: string, id: string) => `${table}\u0000${id}`;
const article = (word: string) => (/^[aeiou]/.test(word) ? 'an' : 'a');

/** Checks every row on its own; a duplicate id within a table is refused after its first row. */
export function checkRecords(
  records: readonly SourceRecord[],
  ledger: Ledger,
  refusedRows: Refused,
): Map<HsdsTable, Candidate[]> {
  const byTable = new Map<HsdsTable, Candidate[]>(HSDS_TABLES.map((t) => [t, []]));
  const firstSeen = new Map<string, SourceRecord>();
  const refused = new Set<SourceRecord>();
  for (const record of records) {
    if (record.derivedFrom && refused.has(record.derivedFrom)) continue;
    const key = record.reportAs ?? record.table;
    ledger.count(key, 'read');
    const checked = checkRow(record.table, record.values);
    const id = (record.values.id ?? '').trim() || null;
    if (!checked.ok) {
      refused.add(record);
      if (id && !refusedRows.has(refusedKey(record.table, id)))
        refusedRows.set(refusedKey(record.table, id), record);
      ledger.reject(key, record, id, checked.reason);
      continue;
    }
    const idKey = `${record.table}\u0000${id}`;
    const first = firstSeen.get(idKey);
    if (first) {
      refused.add(record);
      ledger.reject(
        key,
        record,
        id,
        `duplicate id: ${record.table} ${id} is also at ${first.file}:${first.row}`,
      );
      continue;
    }
    firstSeen.set(idKey, record);
    for (const warning of checked.row.warnings) ledger.warn(`${record.file}:${record.row} ${id}: ${warning}`);
    byTable.get(record.table)!.push({ record, table: record.table, id: id!, row: checked.row, key });
  }
  return byTable;
}

/**
 * Resolves every reference, table by table in dependency order, against the rows accepted so far and the rows
 * the directory already holds for the source (see `mustResolve` for which must). Kith's own vocabulary is
 * recognised here. Returns the accepted rows by table and HSDS id.
 */
export function resolveReferences(
  byTable: Map<HsdsTable, Candidate[]>,
  existing: Existing,
  ledger: Ledger,
  refused: Refused,
): Map<HsdsTable, Map<string, Candidate>> {
  const accepted = new Map<HsdsTable, Map<string, Candidate>>(HSDS_TABLES.map((t) => [t, new Map()]));
  const kithTerms = new Map<string, { kind: KithKind; code: string }>();
  const kithClaims = new Map<string, Candidate>();

  const exists = (target: HsdsTable, id: string): boolean =>
    accepted.get(target)!.has(id) ||
    (existing.rows.get(target)?.has(id) ?? false) ||
    (existing.other.get(target)?.has(id) ?? false) ||
    (target === 'taxonomy_term' && (kithTerms.has(id) || kithTermById(id) !== null)) ||
    (target === 'taxonomy' && isKithTaxonomy(id));
  const missing = (target: HsdsTable, field: string, id: string) => {
    const gone = refused.get(refusedKey(target, id));
    const why = gone ? ` (its row ${gone.file}:${gone.row} was rejected)` : '';
    return `${field} ${id} is not ${article(target)} ${target} in this import or the directory${why}`;
  };

  for (const table of IMPORT_ORDER) {
    for (const candidate of byTable.get(table) ?? []) {
      const { record, row } = candidate;
      const origin = record.derivedFrom;
      // A row derived from a 1.1 column goes with the row it came from.
      if (origin && accepted.get(origin.table)!.get((origin.values.id ?? '').trim())?.record !== origin) {
        ledger.count(candidate.key, 'read', -1);
        continue;
      }
      const problems: string[] = [];
      const loose: string[] = [];
      const kith = kithOf(candidate, kithTerms);
      if (kith && 'reason' in kith) problems.push(kith.reason);
      let named = 0;
      for (const field of TABLE_SPECS[table].fields) {
        const value = row.values[field.name];
        if (field.type !== 'ref' || typeof value !== 'string' || !field.target) continue;
        named += 1;
        if (exists(field.target, value)) continue;
        if (mustResolve(field)) problems.push(missing(field.target, field.name, value));
        else loose.push(field.name);
      }
      if (HANGING_TABLES.has(table) && named > 0 && loose.length === named) {
        problems.push(
          `belongs to nothing in this import or the directory: ${loose.map((f) => missing(TABLE_SPECS[table].fields.find((s) => s.name === f)!.target!, f, String(row.values[f]))).join('; ')}`,
        );
      }
      if (table === 'attribute') {
        const entity = String(row.values.link_entity);
        const link = String(row.values.link_id);
        const linked = (HSDS_TABLES as readonly string[]).includes(entity) ? (entity as HsdsTable) : null;
        if (kith && 'value' in kith) {
          if (entity !== 'service')
            problems.push(`link_entity must be service for a Kith attribute (got "${entity}")`);
          else if (!exists('service', link)) problems.push(missing('service', 'link_id', link));
        } else if (linked && !exists(linked, link)) {
          if (linked === 'service') problems.push(missing(linked, 'link_id', link));
          else
            ledger.warn(
              `${record.file}:${record.row} ${candidate.id}: ${missing(linked, 'link_id', link)}; kept as given`,
            );
        }
      }
      const claim = kith && 'value' in kith ? claimKey(kith.value, String(row.values.link_id)) : null;
      const claimed = claim ? kithClaims.get(claim) : undefined;
      if (claimed && kith && 'value' in kith) {
        problems.push(
          `the service already has ${article(kith.value.kind)} ${kith.value.kind} attribute at ${claimed.record.file}:${claimed.record.row}`,
        );
      }
      if (problems.length > 0) {
        refused.set(refusedKey(table, candidate.id), record);
        ledger.reject(candidate.key, record, candidate.id, problems.join('; '));
        continue;
      }
      if (claim) kithClaims.set(claim, candidate);
      for (const field of loose) {
        const value = String(row.values[field]);
        const target = TABLE_SPECS[table].fields.find((f) => f.name === field)!.target;
        ledger.warn(
          `${record.file}:${record.row} ${candidate.id}: ${missing(target!, field, value)}; kept as given, not linked`,
        );
        // A reference that is a column of ids cannot hold it: it goes to `extra`, for the export.
        if (MAPPINGS[table]?.refs[field]) {
          row.asGiven[field] = value;
          row.values[field] = null;
        }
      }
      if (kith && !('reason' in kith)) {
        if ('term' in kith) {
          candidate.builtin = true;
          kithTerms.set(candidate.id, kith.term);
        } else if ('value' in kith) candidate.kith = kith.value;
        else candidate.builtin = true;
      }
      accepted.get(table)!.set(candidate.id, candidate);
    }
  }
  return accepted;
}

type KithMatch =
  | { reason: string }
  | { term: { kind: KithKind; code: string } }
  | { value: KithValue }
  | { taxonomy: true };

/** Whether a row is Kith's own vocabulary or a Kith attribute, and what it says. */
function kithOf(
  candidate: Candidate,
  kithTerms: Map<string, { kind: KithKind; code: string }>,
): KithMatch | null {
  const values = candidate.row.values;
  switch (candidate.table) {
    case 'taxonomy':
      return isKithTaxonomy(candidate.id) ? { taxonomy: true } : null;
    case 'taxonomy_term': {
      const term = kithTermOf(values);
      if (!term) return null;
      return 'reason' in term ? term : { term };
    }
    case 'attribute': {
      const termId = String(values.taxonomy_term_id);
      const term = kithTerms.get(termId) ?? kithTermById(termId);
      if (!term) return null;
      const value = kithValueOf(term, values.value);
      return 'reason' in value ? value : { value };
    }
    default:
      return null;
  }
}

/** A service takes one assistance kind, one set of rules and each domain once. */
function claimKey(value: KithValue, serviceId: string): string | null {
  if (value.kind === 'sdoh') return `sdoh\u0000${serviceId}\u0000${value.code}`;
  return `${value.kind}\u0000${serviceId}`;
}
