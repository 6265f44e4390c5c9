import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';

let t: TestContext;
let worker: Client;

beforeAll(async () => {
  t = await startTestApp();
  worker = await signIn(t, await buildUser(t));
});
afterAll(() => t.close());

const PHQ9_ITEMS = [
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
const POINTS = ['LA6568-5', 'LA6569-3', 'LA6570-1', 'LA6571-9'];

/** A PHQ-9 response giving each item the points listed, in order. */
function phq9(points: number[], questionnaire = 'urn:kith:questionnaire:phq-9|1.0.0') {
  return {
    resourceType: 'QuestionnaireResponse',
    questionnaire,
    status: 'completed',
    item: points.map((p, i) => ({
      linkId: PHQ9_ITEMS[i],
      answer: [{ valueCoding: { system: 'http://loinc.org', code: POINTS[p] } }],
    })),
  };
}

describe('screening instruments over the API', () => {
  it('lists the nine instruments with their versions', async () => {
    const res = await worker.get('/api/instruments');
    expect(res.statusCode).toBe(200);
    expect(
      res
        .json()
        .items.map((i: { id: string }) => i.id)
        .sort(),
    ).toEqual(
      [
        'ahc-hrsn',
        'cssrs-screener',
        'gad-2',
        'gad-7',
        'hits',
        'hunger-vital-sign',
        'lace',
        'phq-2',
        'phq-9',
      ].sort(),
    );
  });

  it('serves PHQ-9 as a FHIR Questionnaire with LOINC-coded items and points', async () => {
    const res = await worker.get('/api/instruments/phq-9');
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q).toMatchObject({ resourceType: 'Questionnaire', version: '1.0.0' });
    expect(q.item.map((i: { linkId: string }) => i.linkId)).toEqual(PHQ9_ITEMS);
    expect(q.item[8].answerOption[3].valueCoding).toMatchObject({
      system: 'http://loinc.org',
      code: 'LA6571-9',
    });
  });

  it('scores a response without saving it, in the one result shape, with the item 9 alarm', async () => {
    const res = await worker.post('/api/instruments/phq-9/score', phq9([2, 2, 1, 1, 1, 1, 1, 2, 1]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      instrument: 'phq-9',
      version: '1.0.0',
      score: 12,
      band: 'moderate',
      positiveDomains: [],
      alarms: [{ code: 'suicide-risk', reason: expect.stringContaining('item 9') }],
    });
  });

  it('refuses (422, naming the item) an unknown linkId, an answer not offered, a missing item or another version', async () => {
    const unknown = phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    unknown.item.push({
      linkId: '9999-9',
      answer: [{ valueCoding: { system: 'http://loinc.org', code: POINTS[0]! } }],
    });
    const res = await worker.post('/api/instruments/phq-9/score', unknown);
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([expect.objectContaining({ field: '9999-9' })]);

    const offWord = phq9([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    offWord.item[0]!.answer = [{ valueCoding: { system: 'http://loinc.org', code: 'LA0000-0' } }];
    expect((await worker.post('/api/instruments/phq-9/score', offWord)).json().errors).toEqual([
      expect.objectContaining({ field: '44250-9' }),
    ]);

    const missing = await worker.post('/api/instruments/phq-9/score', phq9([0, 0, 0, 0, 0, 0, 0, 0]));
    expect(missing.statusCode).toBe(422);
    expect(missing.json().errors).toEqual([expect.objectContaining({ field: '44260-8' })]);

    const other = await worker.post(
      '/api/instruments/phq-9/score',
      phq9([0, 0, 0, 0, 0, 0, 0, 0, 0], 'urn:kith:questionnaire:phq-9|0.9'),
    );
    expect(other.json().errors).toEqual([expect.objectContaining({ field: 'questionnaire' })]);
  });

  it('scores an unfinished draft when asked to (live scoring in the form)', async () => {
    const res = await worker.post('/api/instruments/phq-9/score?draft=true', phq9([3, 3]));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ score: 6, band: 'mild' });
  });

  it('answers 404 for an unknown version and 422 for an unknown instrument; community partners get 403', async () => {
    expect((await worker.get('/api/instruments/phq-9?version=0.1')).statusCode).toBe(404);
    expect((await worker.get('/api/instruments/not-a-screen')).statusCode).toBe(422);
    const partner = await signIn(t, await buildUser(t, { role: 'community_partner' }));
    expect((await partner.get('/api/instruments')).statusCode).toBe(403);
  });
});
