import { and, eq, gte, isNull, type SQL, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { ORGANISATION_WIDE_ROLES } from '../../../domain/roles.ts';
import type {
  DuplicateCandidate,
  DuplicateCheckRequest,
  DuplicateReason,
} from '../../../domain/schemas/patients.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { patients } from './patients.tables.ts';
import { nameMatches, nameScore, nameWords, setNameThreshold, weakestWordScore } from './search.service.ts';

type Candidate = z.infer<typeof DuplicateCandidate>;
type CheckInput = z.infer<typeof DuplicateCheckRequest>;

/** Every typed word must resemble a word of the other name at least this much (strict word similarity). */
const SIMILAR_NAME = 0.25;
const MAX_CANDIDATES = 10;

/** The last ten digits, so that "+1 (617) 555-0100" and "617 555 0100" are one number. */
const phoneDigits = (n: string) => n.replace(/\D/g, '').slice(-10);

const candidateColumns = (words: string[], actor: Actor) => ({
  id: patients.id,
  mrn: patients.mrn,
  familyName: patients.familyName,
  givenName: patients.givenName,
  birthDate: patients.birthDate,
  score: sql<number>`${nameScore(words)}`.mapWith(Number),
  // Qualified by hand: drizzle leaves columns unqualified in a single-table select.
  mayOpen: ORGANISATION_WIDE_ROLES.includes(actor.role)
    ? sql<boolean>`true`
    : sql<boolean>`exists(select 1 from care_team_members c where c.patient_id = "patients"."id" and c.user_id = ${actor.userId} and c.removed_at is null)`,
});

/**
 * What a user may learn of a match: the whole identity of a patient they may open; of any other, only that a
 * record matches and why, with the MRN only when it is the one they typed. Otherwise typing any MRN would
 * reveal the name and birth date behind it.
 */
function redact(
  row: Omit<Candidate, 'reasons'> & { reasons: DuplicateReason[]; mayOpen: boolean },
): Candidate {
  const { mayOpen, ...candidate } = row;
  if (mayOpen) return { ...candidate, mayOpen: true };
  return {
    id: candidate.id,
    reasons: candidate.reasons,
    mrn: candidate.reasons.includes('same-mrn') ? candidate.mrn : null,
    familyName: null,
    givenName: null,
    birthDate: null,
    mayOpen: false,
  };
}

/**
 * Records of the organisation that may be the same person as the one about to be registered: the same MRN,
 * the same date of birth and a similar name, or the same phone and a similar name. Organisation-wide, as a
 * master patient index is; a match the user may not open is shown without its identity (`redact`).
 */
export async function findDuplicates(db: DbOrTx, actor: Actor, input: CheckInput): Promise<Candidate[]> {
  const organizationId = actor.organizationId;
  const words = nameWords(`${input.familyName} ${input.givenName}`);
  const live = and(eq(patients.organizationId, organizationId), isNull(patients.retiredAt))!;
  const similar = gte(sql`${weakestWordScore(words)}`, SIMILAR_NAME);
  type Row = Omit<Candidate, 'reasons' | 'mayOpen'> & { score: number; mayOpen: boolean };
  const found = new Map<string, Row & { reasons: DuplicateReason[] }>();
  const add = (rows: Row[], reason: DuplicateReason) => {
    for (const row of rows) {
      const seen = found.get(row.id) ?? { ...row, reasons: [] };
      seen.reasons.push(reason);
      found.set(row.id, seen);
    }
  };
  const select = (where: SQL | undefined) =>
    db.select(candidateColumns(words, actor)).from(patients).where(where).limit(MAX_CANDIDATES);

  if (input.mrn) add(await select(and(live, eq(patients.mrn, input.mrn))), 'same-mrn');
  if (input.birthDate) {
    // patients_org_birth_date_idx finds the few born that day; the name is compared on those alone.
    add(
      await select(and(live, eq(patients.birthDate, input.birthDate), similar)),
      'same-birth-date-similar-name',
    );
  }
  const numbers = [...new Set((input.phones ?? []).map((p) => phoneDigits(p.number)))].filter(
    (n) => n.length >= 7,
  );
  const byName = nameMatches(words);
  if (numbers.length && byName) {
    await setNameThreshold(db, words);
    const samePhone = sql`exists (select 1 from jsonb_array_elements(${patients.phones}) p where right(regexp_replace(p->>'number', '\\D', '', 'g'), 10) in ${numbers})`;
    add(await select(and(live, byName, similar, samePhone)), 'same-phone-similar-name');
  }
  return [...found.values()]
    .sort((a, b) => b.reasons.length - a.reasons.length || b.score - a.score)
    .slice(0, MAX_CANDIDATES)
    .map(({ score: _score, ...candidate }) => redact(candidate));
}

/** The duplicate check the registration form runs before saving; audited with the records it showed. */
export async function checkDuplicates(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  input: CheckInput,
): Promise<Candidate[]> {
  const candidates = await db.transaction((tx) => findDuplicates(tx, actor, input));
  if (candidates.length) await appendAudit(db, duplicateAudit(actor, origin, candidates));
  return candidates;
}

/** The audit record of possible duplicates shown to a user, with their ids only. */
export const duplicateAudit = (actor: Actor, origin: RequestOrigin, candidates: Candidate[]) => ({
  ...auditActor(actor),
  action: 'patient.duplicate-check',
  outcome: 'success' as const,
  recordKind: 'patient',
  ip: origin.ip,
  userAgent: origin.userAgent,
  detail: { patientIds: candidates.map((c) => c.id) },
});
