import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestContext } from '../../test/harness.ts';
import { needs } from '../needs/needs.tables.ts';
import {
  AHC_FOOD_AND_HOUSING,
  department,
  giveScreen,
  HITS_NEGATIVE,
  phq9,
  questionnaireResponse,
  startDraft,
  storedAssessment,
} from './assessments.fixtures.ts';
import { observations } from './assessments.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

describe('needs found by a screen', () => {
  it('makes food and housing needs from an AHC screen, and finds them again without duplicating them', async () => {
    const { patient, client } = await department(t);
    const first = await giveScreen(client, patient.id, 'ahc-hrsn', AHC_FOOD_AND_HOUSING);
    expect(first.result).toMatchObject({
      score: null,
      band: 'positive',
      positiveDomains: expect.arrayContaining(['food-insecurity', 'housing-instability']),
    });
    expect(first.needs.map((n: { domain: string; isNew: boolean }) => [n.domain, n.isNew])).toEqual([
      ['food-insecurity', true],
      ['housing-instability', true],
    ]);
    // The screen counts as screened for all five AHC domains (SDOH-1), positive for two.
    expect(await storedAssessment(t, first.id)).toMatchObject({
      screenedDomains: expect.arrayContaining([
        'food-insecurity',
        'housing-instability',
        'transportation-insecurity',
        'utility-insecurity',
        'intimate-partner-violence',
      ]),
    });

    const second = await giveScreen(client, patient.id, 'ahc-hrsn', AHC_FOOD_AND_HOUSING);
    expect(second.needs.map((n: { id: string; isNew: boolean }) => n.isNew)).toEqual([false, false]);
    const open = await t.database.db.select().from(needs).where(eq(needs.patientId, patient.id));
    expect(open.map((n) => n.domain).sort()).toEqual(['food-insecurity', 'housing-instability']);
    expect(second.needs.map((n: { id: string }) => n.id).sort()).toEqual(open.map((n) => n.id).sort());
  });

  it('stores the AHC screen as Observations with the safety total and the sdoh category', async () => {
    const { patient, client } = await department(t);
    const screen = await giveScreen(client, patient.id, 'ahc-hrsn', AHC_FOOD_AND_HOUSING);
    const rows = await t.database.db
      .select()
      .from(observations)
      .where(and(eq(observations.assessmentId, screen.id), eq(observations.code, '95614-4')));
    expect(rows).toMatchObject([{ valueInteger: 4, status: 'final', patientId: patient.id }]);
    expect(rows[0]!.resource).toMatchObject({
      resourceType: 'Observation',
      id: rows[0]!.id,
      category: [{ coding: [{ code: 'survey' }] }, { coding: [{ code: 'sdoh' }] }],
      derivedFrom: [{ reference: `QuestionnaireResponse/${screen.id}` }],
    });
  });
});

describe('trend', () => {
  it('draws completed, current PHQ-9 scores over the bands of the current version', async () => {
    const { patient, client } = await department(t);
    const first = await giveScreen(client, patient.id, 'phq-9', phq9({ '44250-9': 'LA6571-9' }));
    const wrong = await giveScreen(client, patient.id, 'phq-9', phq9({ '44250-9': 'LA6569-3' }));
    const fixed = await client.post(`/api/assessments/${wrong.id}/amend`, {
      version: wrong.version,
      reason: 'Entered against the wrong item',
      response: questionnaireResponse('phq-9', phq9({ '44250-9': 'LA6570-1', '44255-8': 'LA6571-9' })),
    });
    await startDraft(client, patient.id, 'phq-9');
    await giveScreen(client, patient.id, 'hits', HITS_NEGATIVE);

    const res = await client.get(`/api/patients/${patient.id}/assessments/trend?instrument=phq-9`);
    expect(res.statusCode, res.body).toBe(200);
    const trend = res.json();
    expect(trend.maxScore).toBe(27);
    expect(trend.bands.map((b: { key: string; min: number; max: number }) => [b.key, b.min, b.max])).toEqual([
      ['minimal', 0, 4],
      ['mild', 5, 9],
      ['moderate', 10, 14],
      ['moderately-severe', 15, 19],
      ['severe', 20, 27],
    ]);
    expect(
      trend.points.map((p: { assessmentId: string; score: number }) => [p.assessmentId, p.score]),
    ).toEqual([
      [first.id, 3],
      [fixed.json().id, 5],
    ]);
  });

  it('closes an open-ended band at the maximum total and places a catch-all band in the gap', async () => {
    const { patient, client } = await department(t);
    const hits = (await client.get(`/api/patients/${patient.id}/assessments/trend?instrument=hits`)).json();
    expect(hits).toMatchObject({ maxScore: 20, points: [] });
    expect(hits.bands.map((b: { key: string; min: number; max: number }) => [b.key, b.min, b.max])).toEqual([
      ['negative', 4, 10],
      ['positive', 11, 20],
    ]);
    const lace = (await client.get(`/api/patients/${patient.id}/assessments/trend?instrument=lace`)).json();
    expect(lace.maxScore).toBe(19);
    expect(lace.bands.at(-1)).toMatchObject({ key: 'high', min: 10, max: 19 });
  });

  it('refuses an unknown instrument (422) and a reader off the care team (403)', async () => {
    const { patient, client, outsiderClient } = await department(t);
    const bad = await client.get(`/api/patients/${patient.id}/assessments/trend?instrument=beck`);
    expect(bad.statusCode).toBe(422);
    const off = await outsiderClient.get(`/api/patients/${patient.id}/assessments/trend?instrument=phq-9`);
    expect(off.statusCode).toBe(403);
  });
});
