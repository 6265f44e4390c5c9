import { and, eq, isNull } from 'drizzle-orm';
import type { Hl7Segment } from '../../../domain/hl7/message.ts';
import { parseHl7Date } from '../../../domain/hl7/message.ts';
import { Address, Mrn, PhoneNumber } from '../../../domain/schemas/patients.ts';
import type { Tx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import { recordOnTimeline } from '../../platform/timeline/timeline.service.ts';
import { patients } from '../patients/patients.tables.ts';
import { refuse } from './adt.errors.ts';

type PatientRow = typeof patients.$inferSelect;

/**
 * PID → the patient record. The MRN is the PID-3 identifier under the feed's assigning authority (PID-3.4.1);
 * with none configured, the repetition typed MR, else the first. Only fields present change a known patient;
 * `""` clears an optional one.
 */

/** The MRN in a CX list (PID-3, MRG-1), or '' when none. */
export function mrnIn(seg: Hl7Segment, field: number, authority: string | null): string {
  const reps = seg.field(field).repetitions;
  const id = (i: number) => reps[i]!.get(1).trim();
  if (authority) {
    const i = reps.findIndex((r) => r.get(4, 1).trim().toLowerCase() === authority.toLowerCase());
    return i >= 0 ? id(i) : '';
  }
  const mr = reps.findIndex((r) => r.get(5).trim().toUpperCase() === 'MR' && r.get(1).trim());
  return mr >= 0 ? id(mr) : reps.length ? id(0) : '';
}

/** Checks an MRN the way a registration does (letters, digits, hyphens, at most 32). */
export function checkMrn(mrn: string, segment: string, field: number, sequence?: number): string {
  if (!mrn)
    throw refuse(
      segment,
      field,
      101,
      `${segment}-${field}: no MRN under the organisation's assigning authority`,
      sequence,
    );
  if (!Mrn.safeParse(mrn).success)
    throw refuse(
      segment,
      field,
      102,
      `${segment}-${field}: the MRN may hold only letters, digits and hyphens (at most 32)`,
      sequence,
    );
  return mrn;
}

const SEX: Record<string, string> = {
  M: 'male',
  F: 'female',
  O: 'other',
  A: 'other',
  N: 'other',
  U: 'unknown',
};

/** ISO 639-2 codes that HL7 table 0296 feeds send, as the BCP 47 tags the record holds. */
const LANGUAGES: Record<string, string> = {
  eng: 'en',
  spa: 'es',
  fra: 'fr',
  fre: 'fr',
  ara: 'ar',
  zho: 'zh',
  chi: 'zh',
  vie: 'vi',
  kor: 'ko',
  rus: 'ru',
  por: 'pt',
  hat: 'ht',
  tgl: 'tl',
  pol: 'pl',
  ita: 'it',
  deu: 'de',
  ger: 'de',
  jpn: 'ja',
  hin: 'hi',
  fas: 'fa',
  per: 'fa',
  som: 'so',
  ben: 'bn',
  urd: 'ur',
  pan: 'pa',
  guj: 'gu',
  amh: 'am',
  tir: 'ti',
  nep: 'ne',
  hmn: 'hmn',
  sgn: 'ase',
  ase: 'ase',
  yue: 'yue',
  cmn: 'cmn',
  ukr: 'uk',
  pus: 'ps',
  swa: 'sw',
  khm: 'km',
  lao: 'lo',
};

const cut = (v: string, n: number) => v.trim().slice(0, n);

/** What PID says, field by field: undefined when absent, null when the sender clears it. */
export interface PidFields {
  familyName?: string;
  givenName?: string;
  middleName?: string | null;
  birthDate?: string;
  sex?: string;
  address?: object | null;
  phones?: { use: string; number: string }[];
  preferredLanguage?: string;
  insurance?: Coverage[];
}

interface Coverage {
  payerType: string;
  payerName?: string;
  plan?: string;
  memberId?: string;
  groupNumber?: string;
  primary?: boolean;
}

/** IN1-15 plan type codes some feeds send (HL7 user table 0086), as our payer types. */
const PLAN_TYPES: Record<string, string> = {
  MCR: 'medicare',
  MCD: 'medicaid',
  SP: 'self-pay',
  SELF: 'self-pay',
};

function payerTypeOf(words: string): string {
  const w = words.toLowerCase();
  if (w.includes('medicaid')) return 'medicaid';
  if (w.includes('medicare advantage') || w.includes('medicare adv')) return 'medicare-advantage';
  if (w.includes('medicare')) return 'medicare';
  if (w.includes('tricare') || w.includes('champva') || /\bva\b/.test(w)) return 'va-tricare';
  if (w.includes('self pay') || w.includes('self-pay') || w.includes('selfpay') || w.includes('uninsured'))
    return 'self-pay';
  return 'commercial';
}

/**
 * IN1 segments → the patient's coverages, in their order (IN1-1 = 1 is primary); undefined when the message
 * has none, so that a message without insurance leaves the recorded coverage alone.
 */
export function readInsurance(in1s: Hl7Segment[]): Coverage[] | undefined {
  if (!in1s.length) return undefined;
  return in1s.slice(0, 10).flatMap((in1, i) => {
    const payerName = in1.get(4).trim();
    const planName = in1.get(2, 2).trim() || in1.get(2).trim();
    const planType = in1.get(15).trim().toUpperCase();
    if (!payerName && !planName && !planType) return [];
    const payerType = PLAN_TYPES[planType] ?? payerTypeOf(`${planType} ${payerName} ${planName}`);
    const memberId = (in1.get(36).trim() || in1.get(49).trim()).slice(0, 64);
    const group = in1.get(8).trim().slice(0, 64);
    return [
      {
        payerType,
        ...(payerName ? { payerName: payerName.slice(0, 200) } : {}),
        ...(planName ? { plan: planName.slice(0, 200) } : {}),
        ...(memberId ? { memberId } : {}),
        ...(group ? { groupNumber: group } : {}),
        ...(i === 0 ? { primary: true } : {}),
      },
    ];
  });
}

function phonesOf(pid: Hl7Segment, field: number, use: 'home' | 'work') {
  return pid.field(field).repetitions.flatMap((r) => {
    const kind = r.get(3).toUpperCase();
    if (kind === 'INTERNET' || kind === 'X.400' || r.get(2).toUpperCase() === 'NET') return [];
    const number = r.get(1).trim() || [r.get(6), r.get(7)].filter(Boolean).join(' ').trim();
    if (!number || !PhoneNumber.safeParse(number).success) return [];
    return [{ use: kind === 'CP' ? 'mobile' : use, number: number.trim() }];
  });
}

function addressOf(pid: Hl7Segment) {
  const r = pid.field(11).repetitions[0];
  if (!r) return undefined;
  const street = [r.get(1, 1), r.get(1, 2), r.get(1, 3)]
    .map((s) => s.trim())
    .filter(Boolean)
    .join(' ');
  const country = r.get(6).trim().toUpperCase();
  const parsed = Address.safeParse({
    line1: street,
    ...(r.get(2).trim() ? { line2: r.get(2).trim() } : {}),
    city: r.get(3).trim(),
    state: r.get(4).trim(),
    postalCode: r.get(5).trim(),
    country: country === '' || country === 'USA' ? 'US' : country,
  });
  return parsed.success ? parsed.data : undefined;
}

/** Reads PID into record fields; a birth date that is not a date is refused (AE 102). */
export function readPid(pid: Hl7Segment): PidFields {
  const out: PidFields = {};
  const name = pid.field(5);
  if (name.isPresent && !name.isExplicitNull) {
    const family = cut(name.get(1, 1), 100);
    const given = cut(name.get(2), 100);
    if (family) out.familyName = family;
    if (given) out.givenName = given;
    const middle = name.get(3);
    out.middleName = middle === '""' ? null : cut(middle, 100) || null;
  }
  const birth = pid.field(7);
  if (birth.isPresent && !birth.isExplicitNull) {
    let date: string | null;
    try {
      date = parseHl7Date(birth.get(1));
    } catch {
      throw refuse('PID', 7, 102, 'PID-7: the birth date is not a date', pid.sequence);
    }
    if (date && date > new Date().toISOString().slice(0, 10))
      throw refuse('PID', 7, 102, 'PID-7: the birth date is in the future', pid.sequence);
    if (date) out.birthDate = date;
  }
  const sex = pid.field(8);
  if (sex.isExplicitNull) out.sex = 'unknown';
  else if (sex.isPresent) out.sex = SEX[sex.get(1).trim().toUpperCase()] ?? 'unknown';
  const address = pid.field(11);
  if (address.isExplicitNull) out.address = null;
  else if (address.isPresent) {
    const a = addressOf(pid);
    if (a) out.address = a;
  }
  const home = pid.field(13);
  const work = pid.field(14);
  if (home.isExplicitNull && !work.isPresent) out.phones = [];
  else if (home.isPresent || work.isPresent)
    out.phones = [...phonesOf(pid, 13, 'home'), ...phonesOf(pid, 14, 'work')].slice(0, 10);
  const language = pid.field(15);
  if (language.isExplicitNull) out.preferredLanguage = 'en';
  else if (language.isPresent) {
    const code = language.get(1).trim().toLowerCase();
    const tag = LANGUAGES[code] ?? (/^[a-z]{2,3}(-[a-z0-9]{2,8})*$/.test(code) ? code : undefined);
    if (tag) out.preferredLanguage = tag;
  }
  return out;
}

export async function patientByMrn(tx: Tx, organizationId: string, mrn: string): Promise<PatientRow | null> {
  const [row] = await tx
    .select()
    .from(patients)
    .where(
      and(eq(patients.organizationId, organizationId), eq(patients.mrn, mrn), isNull(patients.retiredAt)),
    )
    .for('update');
  return row ?? null;
}

const feedAudit = (
  organizationId: string,
  patientId: string,
  action: string,
  extra: Partial<AuditEntry>,
): AuditEntry => ({
  organizationId,
  actorUserId: null,
  actorRole: null,
  actorLabel: 'ADT feed',
  action,
  outcome: 'success',
  patientId,
  ...extra,
});

/** Registers a patient the feed names for the first time; the name, birth date and MRN are required. */
export async function registerFromPid(
  tx: Tx,
  organizationId: string,
  mrn: string,
  pid: Hl7Segment,
  fields: PidFields,
  audit: AuditEntry[],
): Promise<PatientRow> {
  if (!fields.familyName || !fields.givenName)
    throw refuse('PID', 5, 101, 'PID-5: a new patient needs a family and a given name', pid.sequence);
  if (!fields.birthDate) throw refuse('PID', 7, 101, 'PID-7: a new patient needs a birth date', pid.sequence);
  const [created] = await tx
    .insert(patients)
    .values({
      organizationId,
      mrn,
      familyName: fields.familyName,
      givenName: fields.givenName,
      middleName: fields.middleName ?? null,
      birthDate: fields.birthDate,
      sex: fields.sex ?? 'unknown',
      address: fields.address ?? null,
      phones: fields.phones ?? [],
      preferredLanguage: fields.preferredLanguage ?? 'en',
      insurance: fields.insurance ?? [],
    })
    .returning();
  await recordOnTimeline(tx, {
    organizationId,
    patientId: created!.id,
    kind: 'patient',
    summary: 'Registered by the ADT feed',
    recordId: created!.id,
  });
  audit.push(
    feedAudit(organizationId, created!.id, 'patient.create', {
      recordKind: 'patient',
      recordId: created!.id,
    }),
  );
  return created!;
}

/** JSON with object keys sorted: jsonb gives its keys back in its own order, so plain JSON would differ. */
function canonical(v: unknown): string {
  return JSON.stringify(v, (_k, x) =>
    x && typeof x === 'object' && !Array.isArray(x)
      ? Object.fromEntries(Object.entries(x as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : x,
  );
}

/** Changes the fields PID carries; nothing is written when nothing differs. */
export async function updateFromPid(
  tx: Tx,
  patient: PatientRow,
  fields: PidFields,
  audit: AuditEntry[],
): Promise<PatientRow> {
  const changed = Object.fromEntries(
    Object.entries(fields).filter(
      ([k, v]) => v !== undefined && canonical(v) !== canonical(patient[k as keyof PatientRow] ?? null),
    ),
  );
  if (!Object.keys(changed).length) return patient;
  const [updated] = await tx
    .update(patients)
    .set({ ...changed, version: patient.version + 1, updatedAt: new Date() })
    .where(eq(patients.id, patient.id))
    .returning();
  audit.push(
    feedAudit(patient.organizationId, patient.id, 'patient.update', {
      recordKind: 'patient',
      recordId: patient.id,
      detail: { fields: Object.keys(changed) },
    }),
  );
  return updated!;
}

/** The identifier changed (A40 with a survivor unknown here): the record keeps its history under the new MRN. */
export async function changeMrn(
  tx: Tx,
  patient: PatientRow,
  mrn: string,
  audit: AuditEntry[],
): Promise<PatientRow> {
  const [updated] = await tx
    .update(patients)
    .set({ mrn, version: patient.version + 1, updatedAt: new Date() })
    .where(eq(patients.id, patient.id))
    .returning();
  await recordOnTimeline(tx, {
    organizationId: patient.organizationId,
    patientId: patient.id,
    kind: 'patient',
    summary: 'MRN changed by the ADT feed (merge of identifiers)',
    recordId: patient.id,
  });
  audit.push(
    feedAudit(patient.organizationId, patient.id, 'patient.update', {
      recordKind: 'patient',
      recordId: patient.id,
      detail: { fields: ['mrn'] },
    }),
  );
  return updated!;
}
