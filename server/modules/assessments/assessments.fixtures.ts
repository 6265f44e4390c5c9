import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { getInstrument, questionnaireUrl } from '../../../domain/instruments/index.ts';
import { PHQ9_ITEM9 } from '../../../domain/instruments/phq.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  type Client,
  signIn,
  type TestContext,
} from '../../test/harness.ts';
import { assessments } from './assessments.tables.ts';

type Answers = Record<string, string | string[]>;

/**
 * A department around one patient: a social worker and a clinician on the care team, a supervisor, and a
 * social worker who is not on the team; each signed in.
 */
export async function department(t: TestContext) {
  const org = await buildOrganization(t);
  const worker = await buildUser(t, { organization: org });
  const clinician = await buildUser(t, { organization: org, role: 'clinician' });
  const supervisor = await buildUser(t, { organization: org, role: 'supervisor' });
  const outsider = await buildUser(t, { organization: org });
  const patient = await buildPatient(t, { organization: org, careTeam: [worker, clinician] });
  return {
    org,
    worker,
    clinician,
    supervisor,
    outsider,
    patient,
    client: await signIn(t, worker),
    clinicianClient: await signIn(t, clinician),
    outsiderClient: await signIn(t, outsider),
  };
}

/** A FHIR QuestionnaireResponse to an instrument version, one coded answer (or several) per linkId. */
export function questionnaireResponse(instrumentId: string, answers: Answers, version = '1.0.0') {
  const instrument = getInstrument(instrumentId)!;
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `${questionnaireUrl(instrument)}|${version}`,
    status: 'in-progress',
    item: Object.entries(answers).map(([linkId, codes]) => {
      const item = instrument.items.find((i) => i.linkId === linkId);
      return {
        linkId,
        answer: (typeof codes === 'string' ? [codes] : codes).map((code) => ({
          valueCoding: {
            system: item?.options.find((o) => o.code === code)?.system ?? 'http://loinc.org',
            code,
          },
        })),
      };
    }),
  };
}

export const put = (client: Client, url: string, payload: unknown) =>
  client.request({ method: 'PUT', url, payload: payload as object });

/** Starts a draft through the API and returns it. */
export async function startDraft(
  client: Client,
  patientId: string,
  instrument: string,
  over: Record<string, unknown> = {},
) {
  const res = await client.post(`/api/patients/${patientId}/assessments`, { instrument, ...over });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** Gives a whole screen: starts it and completes it with these answers. Returns the completed assessment. */
export async function giveScreen(
  client: Client,
  patientId: string,
  instrument: string,
  answers: Answers,
  over: Record<string, unknown> = {},
) {
  const draft = await startDraft(client, patientId, instrument, over);
  const res = await client.post(`/api/assessments/${draft.id}/complete`, {
    version: draft.version,
    response: questionnaireResponse(instrument, answers),
  });
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}

/** The stored row of an assessment. */
export async function storedAssessment(t: TestContext, id: string) {
  const [row] = await t.database.db.select().from(assessments).where(eq(assessments.id, id));
  return row!;
}

const PHQ9 = getInstrument('phq-9')!;

/** PHQ-9 answers: every item "not at all" but the ones given. */
export function phq9(over: Answers = {}): Answers {
  return { ...Object.fromEntries(PHQ9.items.map((i) => [i.linkId, 'LA6568-5'])), ...over };
}
/** PHQ-9, 12 points (moderate), item 9 "several days". */
export const PHQ9_MODERATE_WITH_ITEM9 = phq9({
  '44250-9': 'LA6571-9',
  '44255-8': 'LA6571-9',
  '44259-0': 'LA6570-1',
  '44254-1': 'LA6570-1',
  '44251-7': 'LA6569-3',
  [PHQ9_ITEM9]: 'LA6569-3',
});

/** C-SSRS: yes to thoughts of killing oneself with some intent to act (high risk). */
export const CSSRS_HIGH: Answers = {
  '93246-7': 'LA33-6',
  '93247-5': 'LA33-6',
  '93248-3': 'LA33-6',
  '93249-1': 'LA33-6',
  '93250-9': 'LA32-8',
  '93267-3': 'LA32-8',
};

const NEVER = 'LA6270-8';
const RARELY = 'LA10066-1';
const SOMETIMES = 'LA10082-8';
const FAIRLY_OFTEN = 'LA16644-9';

/** HITS total 12 (> 10) but never physically hurt. */
export const HITS_OVER_10: Answers = {
  '95618-5': NEVER,
  '95617-7': FAIRLY_OFTEN,
  '95616-9': SOMETIMES,
  '95615-1': FAIRLY_OFTEN,
};
/** HITS total 5: physically hurt "rarely", nothing else. */
export const HITS_HURT_RARELY: Answers = {
  '95618-5': RARELY,
  '95617-7': NEVER,
  '95616-9': NEVER,
  '95615-1': NEVER,
};
export const HITS_NEGATIVE: Answers = {
  '95618-5': NEVER,
  '95617-7': NEVER,
  '95616-9': NEVER,
  '95615-1': NEVER,
};

const AHC_NO_NEEDS: Answers = {
  '71802-3': 'LA31993-1',
  '96778-6': 'LA9-3',
  '88122-7': 'LA28398-8',
  '88123-5': 'LA28398-8',
  '93030-5': 'LA32-8',
  '96779-4': 'LA32-8',
  ...HITS_NEGATIVE,
};
/** AHC: worried about losing housing, often ran out of food; nothing else. */
export const AHC_FOOD_AND_HOUSING: Answers = {
  ...AHC_NO_NEEDS,
  '71802-3': 'LA31994-9',
  '88122-7': 'LA28397-0',
};
/** AHC: no social needs, but an interpersonal safety total above 10. */
export const AHC_SAFETY_POSITIVE: Answers = { ...AHC_NO_NEEDS, ...HITS_OVER_10 };
export { AHC_NO_NEEDS };
