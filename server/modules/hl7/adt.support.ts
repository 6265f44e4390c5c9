import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hl7Message } from '../../../domain/hl7/message.ts';
import type { Db } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { type AdtContext, type AdtOutcome, applyAdt } from './adt.apply.ts';

/** Test support for the ADT applier: crafted messages and the shared fixtures (never copied into the repo). */

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const ADT_FIXTURES = join(
  resolve(REPO, process.env.KITH_FIXTURES ?? '../shared/fixtures'),
  'hl7v2/ms-fhir-converter/messages',
);
export const fixturesPresent = existsSync(ADT_FIXTURES);
export const fixtureNames = () =>
  fixturesPresent ? readdirSync(ADT_FIXTURES).filter((f) => f.startsWith('ADT-') && f.endsWith('.hl7')) : [];
export const fixture = (name: string) => readFileSync(join(ADT_FIXTURES, name), 'utf8');

/** An HL7 TS in UTC for an instant. */
export const ts = (d: Date) => `${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}+0000`;
export const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000);

export interface Crafted {
  event: string;
  mrn?: string;
  /** PID fields by number, overriding the defaults. */
  pid?: Record<number, string>;
  /** PV1 fields by number; `null` leaves PV1 out. */
  pv1?: Record<number, string> | null;
  extra?: string[];
  controlId?: string;
}

function segment(name: string, fields: Record<number, string>): string {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const parts = [name];
  for (let i = 1; i <= last; i++) parts.push(fields[i] ?? '');
  return parts.join('|');
}

/** A crafted ADT message: PID with the MRN under authority RIV, PV1 as given. */
export function craft(m: Crafted): string {
  const msh = `MSH|^~\\&|EPIC|RIVERSIDE|KITH|SW|${ts(new Date())}||ADT^${m.event}^ADT_${m.event}|${m.controlId ?? newId()}|P|2.5.1`;
  const pid = segment('PID', {
    1: '1',
    3: m.mrn === undefined ? '' : `${m.mrn}^^^RIV^MR`,
    5: 'Garcia^Maria^Luz',
    7: '19400312',
    8: 'F',
    ...m.pid,
  });
  const segs = [msh, `EVN|${m.event}|${ts(new Date())}`, pid];
  if (m.pv1 !== null) segs.push(segment('PV1', { 1: '1', 2: 'I', ...m.pv1 }));
  return [...segs, ...(m.extra ?? [])].join('\r');
}

/** Applies a message as ingest does: in a savepoint that is rolled back unless the answer is AA. */
export async function applyText(db: Db, ctx: AdtContext, text: string): Promise<AdtOutcome> {
  const message = Hl7Message.parse(text);
  let outcome: AdtOutcome | undefined;
  try {
    await db.transaction(async (tx) => {
      outcome = await applyAdt(tx, ctx, message);
      if (outcome.ack !== 'AA') throw new Error('roll back');
    });
  } catch (error) {
    if (!outcome || outcome.ack === 'AA') throw error;
  }
  return outcome!;
}
