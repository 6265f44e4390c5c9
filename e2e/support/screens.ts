import type { ApiSession } from './api.ts';
import { questionnaireResponse, startAssessment } from './assessments.ts';

/** AHC HRSN core answers by LOINC item code: everything negative, to be overridden per story. */
export const AHC_NEGATIVE: Record<string, string | string[]> = {
  '71802-3': 'LA31993-1', // living situation: steady place to live
  '96778-6': ['LA9-3'], // housing problems: none of the above
  '88122-7': 'LA28398-8', // food worried: never true
  '88123-5': 'LA28398-8', // food did not last: never true
  '93030-5': 'LA32-8', // transportation: no
  '96779-4': 'LA32-8', // utilities: no
  '95618-5': 'LA6270-8', // physically hurt: never
  '95617-7': 'LA6270-8', // insult or talk down: never
  '95616-9': 'LA6270-8', // threaten with harm: never
  '95615-1': 'LA6270-8', // scream or curse: never
};

/** AHC answers positive for food (often true), housing (worried about losing it) and transportation (yes). */
export const AHC_FOOD_HOUSING_TRANSPORT = {
  ...AHC_NEGATIVE,
  '71802-3': 'LA31994-9',
  '88122-7': 'LA28397-0',
  '93030-5': 'LA33-6',
};

/** A FHIR QuestionnaireResponse to the AHC HRSN core screen, version 1.0.0. */
export const ahcResponse = (answers: Record<string, string | string[]>) =>
  questionnaireResponse('ahc-hrsn', answers);

/** Gives and completes an AHC HRSN screen through the API, as a worker at the bedside would. */
export async function completeAhcScreen(
  session: ApiSession,
  patientId: string,
  answers: Record<string, string | string[]>,
): Promise<{ id: string }> {
  const draft = await startAssessment(session, patientId, 'ahc-hrsn');
  return session.post<{ id: string }>(`/api/assessments/${draft.id}/complete`, {
    version: draft.version,
    response: ahcResponse(answers),
  });
}

/** Admits the patient as an inpatient on a unit, at a given time. */
export async function admitInpatient(
  session: ApiSession,
  patientId: string,
  unit: string,
  admittedAt: string,
) {
  return session.post<{ id: string; version: number }>(`/api/patients/${patientId}/encounters`, {
    encounterClass: 'inpatient',
    unit,
    admittedAt,
  });
}
