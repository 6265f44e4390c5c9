import { getTableColumns, getTableName, sql } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { DbOrTx } from '../client.ts';

/**
 * Buffers generated rows per table and writes them in bulk: one `insert ... select * from unnest($1::uuid[],
 * $2::text[], ...)` per batch, a parameter per column whatever the number of rows, so a batch of thousands of
 * rows is one short statement on PostgreSQL and on PGlite alike. Tables flush parents first, in the order
 * given to the constructor (others after them).
 */
export class RowWriter {
  readonly written = new Map<string, number>();
  readonly #buffers = new Map<PgTable, Record<string, unknown>[]>();
  readonly #batchSize: number;

  constructor(order: readonly PgTable[], batchSize = 5000) {
    this.#batchSize = batchSize;
    for (const table of order) this.#buffers.set(table, []);
  }

  add<T extends PgTable>(table: T, ...rows: T['$inferInsert'][]): void {
    let buffer = this.#buffers.get(table);
    if (!buffer) {
      buffer = [];
      this.#buffers.set(table, buffer);
    }
    for (const row of rows) buffer.push(row as Record<string, unknown>);
  }

  /** Rows waiting to be written. */
  get pending(): number {
    let n = 0;
    for (const rows of this.#buffers.values()) n += rows.length;
    return n;
  }

  /** Writes every buffered row, parents first. */
  async flush(db: DbOrTx): Promise<void> {
    for (const [table, rows] of this.#buffers) {
      for (let start = 0; start < rows.length; start += this.#batchSize) {
        await insertMany(db, table, rows.slice(start, start + this.#batchSize));
      }
      const name = getTableName(table);
      this.written.set(name, (this.written.get(name) ?? 0) + rows.length);
      rows.length = 0;
    }
  }
}

/** A text[] value as a PostgreSQL array literal: `{"a","b"}`. */
const arrayLiteral = (values: readonly unknown[]) =>
  `{${values.map((v) => (v === null ? 'NULL' : `"${String(v).replace(/[\\"]/g, '\\$&')}"`)).join(',')}}`;

const toDriver = (value: unknown, isArray: boolean): unknown => {
  if (value === undefined || value === null) return null;
  if (isArray) return arrayLiteral(value as unknown[]);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
};

/**
 * One multi-row insert of rows that share their keys (a key missing from a row is null). `unnest` flattens
 * arrays of arrays, so an array column (text[]) travels as the text of its literal and is cast back per row.
 */
async function insertMany(db: DbOrTx, table: PgTable, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const columns = getTableColumns(table) as Record<string, PgColumn>;
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))].filter((k) => columns[k]);
  const types = keys.map((key) => columns[key]!.getSQLType());
  const arrays = keys.map((key, i) => rows.map((row) => toDriver(row[key], types[i]!.endsWith('[]'))));
  const names = keys.map((key) => sql.identifier(columns[key]!.name));
  const unnest = keys.map((_, i) => {
    const type = types[i]!;
    return sql`${sql.param(arrays[i])}::${sql.raw(type.endsWith('[]') ? 'text' : type)}[]`;
  });
  const values = keys.map((_, i) => {
    const type = types[i]!;
    return type.endsWith('[]') ? sql`${sql.identifier(`c${i}`)}::${sql.raw(type)}` : sql.identifier(`c${i}`);
  });
  const aliases = keys.map((_, i) => sql.identifier(`c${i}`));
  await db.execute(
    sql`insert into ${table} (${sql.join(names, sql`, `)}) select ${sql.join(values, sql`, `)} from unnest(${sql.join(unnest, sql`, `)}) as u(${sql.join(aliases, sql`, `)})`,
  );
}
