import type { Hl7Message, Hl7Segment } from '../../../domain/hl7/message.ts';
import { parseHl7Time } from '../../../domain/hl7/message.ts';
import type { Disposition, EncounterClass } from '../../../domain/schemas/encounters.ts';
import { refuse } from './adt.errors.ts';

/** HL7 table 0004 patient class → our encounter class; null when the class says nothing (N, U, C...). */
const CLASSES: Record<string, EncounterClass> = {
  I: 'inpatient',
  B: 'inpatient',
  P: 'inpatient',
  E: 'emergency',
  O: 'outpatient',
  R: 'outpatient',
};

/** HL7 table 0112 (UB-04 patient discharge status) → our dispositions; any other code is `other`. */
const DISPOSITION_CODES: Record<string, Disposition> = {
  '01': 'home',
  '06': 'home-health',
  '03': 'snf',
  '62': 'inpatient-rehab',
  '63': 'ltach',
  '50': 'hospice',
  '51': 'hospice',
  '07': 'left-against-medical-advice',
  '20': 'expired',
  '02': 'transferred',
};

export function dispositionOf(code: string): Disposition | null {
  const c = code.trim();
  if (!c) return null;
  return DISPOSITION_CODES[c.padStart(2, '0')] ?? 'other';
}

const text = (v: string, n: number) => {
  const t = v.trim();
  return t && t !== '""' ? t.slice(0, n) : undefined;
};

/** What PV1 says about the visit; undefined for what it does not say. */
export interface Pv1Fields {
  encounterClass?: EncounterClass;
  visitNumber?: string;
  unit?: string;
  room?: string;
  bed?: string;
  priorUnit?: string;
  priorRoom?: string;
  priorBed?: string;
  admissionType?: string;
  attendingName?: string;
  hospitalService?: string;
  admitSource?: string;
  dispositionCode?: string;
  admittedAt?: Date;
  dischargedAt?: Date;
}

function time(seg: Hl7Segment, field: number, zone: string): Date | undefined {
  try {
    return parseHl7Time(seg.get(field), zone) ?? undefined;
  } catch {
    throw refuse(seg.name, field, 102, `${seg.name}-${field}: not a date and time`, seg.sequence);
  }
}

export function readPv1(pv1: Hl7Segment | undefined, zone: string): Pv1Fields {
  if (!pv1) return {};
  const out: Pv1Fields = {};
  const cls = CLASSES[pv1.get(2).trim().toUpperCase()];
  if (cls) out.encounterClass = cls;
  const set = <K extends keyof Pv1Fields>(k: K, v: Pv1Fields[K] | undefined) => {
    if (v !== undefined) out[k] = v;
  };
  set('unit', text(pv1.get(3, 1), 50));
  set('room', text(pv1.get(3, 2), 50));
  set('bed', text(pv1.get(3, 3), 50));
  set('admissionType', text(pv1.get(4), 20));
  set('priorUnit', text(pv1.get(6, 1), 50));
  set('priorRoom', text(pv1.get(6, 2), 50));
  set('priorBed', text(pv1.get(6, 3), 50));
  const attending = [pv1.get(7, 3), pv1.get(7, 2)]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
  set('attendingName', text(attending, 200));
  set('hospitalService', text(pv1.get(10), 50));
  set('admitSource', text(pv1.get(14), 100));
  set('visitNumber', text(pv1.get(19), 50));
  set('dispositionCode', text(pv1.get(36), 50));
  set('admittedAt', time(pv1, 44, zone));
  set('dischargedAt', time(pv1, 45, zone));
  return out;
}

/** When the event happened: EVN-6, else EVN-2, else MSH-7, else now. */
export function eventTime(message: Hl7Message, zone: string): Date {
  const evn = message.segment('EVN');
  const candidates: [Hl7Segment | undefined, number][] = [
    [evn, 6],
    [evn, 2],
    [message.header, 7],
  ];
  for (const [seg, field] of candidates) {
    if (!seg) continue;
    try {
      const at = parseHl7Time(seg.get(field), zone);
      if (at) return at;
    } catch {
      // A garbled event time falls back to the next one; PV1 times are checked strictly.
    }
  }
  return new Date();
}
