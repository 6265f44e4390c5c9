import type { ApiSession } from './api.ts';

/** Starts a draft assessment through the API, as the "Give an instrument" menu does. */
export async function startAssessment(
  session: ApiSession,
  patientId: string,
  instrument: string,
): Promise<{ id: string; version: number }> {
  return session.post<{ id: string; version: number }>(`/api/patients/${patientId}/assessments`, {
    instrument,
  });
}

/**
 * A FHIR QuestionnaireResponse to version 1.0.0 of an instrument, from LOINC answer codes by item (a list for
 * items that take several answers).
 */
export function questionnaireResponse(instrument: string, answers: Record<string, string | string[]>) {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire: `urn:kith:questionnaire:${instrument}|1.0.0`,
    status: 'completed',
    item: Object.entries(answers).map(([linkId, codes]) => ({
      linkId,
      answer: (Array.isArray(codes) ? codes : [codes]).map((code) => ({
        valueCoding: { system: 'http://loinc.org', code },
      })),
    })),
  };
}

/** PHQ-9 item codes in order, and the answer code worth each number of points. */
export const PHQ9_ITEMS = [
  '44250-9',
  '44255-8',
  '44259-0',
  '44254-1',
  '44251-7',
  '44258-2',
  '44252-5',
  '44253-3',
  '44260-8',
];
export const PHQ_POINTS = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];

/** Gives and completes a PHQ-9 through the API with the same points on every item. */
export async function completePhq9(session: ApiSession, patientId: string, points: number) {
  const draft = await startAssessment(session, patientId, 'phq-9');
  const answers = Object.fromEntries(PHQ9_ITEMS.map((linkId) => [linkId, PHQ_POINTS[points]!]));
  return session.post<{ id: string }>(`/api/assessments/${draft.id}/complete`, {
    version: draft.version,
    response: questionnaireResponse('phq-9', answers),
  });
}
