import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHQ9_ITEM9 } from '../../../domain/instruments/phq.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildCase } from '../../test/casework-factories.ts';
import { buildPatient, startTestApp, type TestContext } from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import {
  department,
  giveScreen,
  HITS_NEGATIVE,
  PHQ9_MODERATE_WITH_ITEM9,
  phq9,
  put,
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

const auditsOf = (recordId: string) =>
  t.database.db.select().from(auditEvents).where(eq(auditEvents.recordId, recordId)).orderBy(auditEvents.seq);
const observationsOf = (assessmentId: string) =>
  t.database.db.select().from(observations).where(eq(observations.assessmentId, assessmentId));

describe('giving an instrument', () => {
  it('starts a draft, saves answers as the worker goes, completes and locks it', async () => {
    const { patient, client, worker } = await department(t);

    // The worker starts a PHQ-9; it takes the current version and the patient's open visit.
    const [visit] = await t.database.db
      .insert(encounters)
      .values({
        organizationId: patient.organizationId,
        patientId: patient.id,
        encounterClass: 'inpatient',
        status: 'in-progress',
        admittedAt: new Date(Date.now() - 86_400_000),
      })
      .returning();
    const draft = await startDraft(client, patient.id, 'phq-9');
    expect(draft).toMatchObject({
      status: 'draft',
      instrument: 'phq-9',
      instrumentVersion: '1.0.0',
      title: 'Patient Health Questionnaire-9 (PHQ-9)',
      encounterId: visit!.id,
      mode: 'staff',
      language: 'en',
      version: 1,
      startedBy: { id: worker.id },
      abilities: { update: true, amend: false, handoff: true },
    });

    // Autosave: two answers so far; the draft shows a live score.
    const partial = { '44250-9': 'LA6571-9', '44255-8': 'LA6570-1' };
    const saved = await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 1,
      response: questionnaireResponse('phq-9', partial),
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({ version: 2, result: { score: 5, band: 'mild' } });
    expect(saved.json().response.item).toHaveLength(2);

    // Saving against the version before is refused: someone else saved since.
    const stale = await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 1,
      response: questionnaireResponse('phq-9', {}),
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json()).toMatchObject({ type: 'urn:kith:problem:stale-version', currentVersion: 2 });

    // Complete with every item answered.
    const done = await client.post(`/api/assessments/${draft.id}/complete`, {
      version: 2,
      response: questionnaireResponse('phq-9', PHQ9_MODERATE_WITH_ITEM9),
    });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toMatchObject({
      status: 'completed',
      result: { instrument: 'phq-9', score: 12, band: 'moderate', alarms: [{ code: 'suicide-risk' }] },
      completedBy: { id: worker.id },
      response: {
        resourceType: 'QuestionnaireResponse',
        status: 'completed',
        questionnaire: 'urn:kith:questionnaire:phq-9|1.0.0',
      },
      abilities: { update: false, amend: true, handoff: false },
    });

    // Locked: no more draft saves, no second completion.
    const after = await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 3,
      response: questionnaireResponse('phq-9', partial),
    });
    expect(after.statusCode).toBe(409);
    expect(after.json().type).toBe('urn:kith:problem:assessment-locked');
    const again = await client.post(`/api/assessments/${draft.id}/complete`, { version: 3 });
    expect(again.statusCode).toBe(409);

    // The chart timeline names the instrument, score, band and alarm (item 9 was above 0), and no answer.
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.recordId, draft.id), eq(timelineEvents.kind, 'assessment')));
    expect(entry?.summary).toBe(
      'Patient Health Questionnaire-9 (PHQ-9) completed: score 12, Moderate depression; alarm: suicide risk',
    );

    // The denormalised result and the FHIR Observations are stored.
    const row = await storedAssessment(t, draft.id);
    expect(row).toMatchObject({ score: 12, band: 'moderate', positiveDomains: [], screenedDomains: [] });
    const obs = await observationsOf(draft.id);
    expect(obs).toHaveLength(10);
    expect(obs.find((o) => o.code === '44261-6')).toMatchObject({ valueInteger: 12, status: 'final' });
    expect(obs.find((o) => o.code === PHQ9_ITEM9)).toMatchObject({ valueCode: 'LA6569-3' });

    expect((await auditsOf(draft.id)).map((a) => a.action)).toEqual([
      'assessment.start',
      'assessment.save',
      'assessment.complete',
    ]);
  });

  it('completes from the saved draft when no response is sent', async () => {
    const { patient, client } = await department(t);
    const draft = await startDraft(client, patient.id, 'hits');
    await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 1,
      response: questionnaireResponse('hits', HITS_NEGATIVE),
    });
    const done = await client.post(`/api/assessments/${draft.id}/complete`, { version: 2 });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().result).toMatchObject({ score: 4, band: 'negative' });
  });

  it('refuses Spanish for an instrument with no published Spanish wording (422 naming language)', async () => {
    const { patient, client } = await department(t);
    const res = await client.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'lace',
      language: 'es',
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'language', message: expect.stringMatching(/Spanish/) }]);
    const spanish = await client.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'phq-9',
      language: 'es',
    });
    expect(spanish.statusCode).toBe(201);
  });

  it('refuses a visit or case of another patient, and an unknown version (422)', async () => {
    const { org, patient, client, worker } = await department(t);
    const other = await buildPatient(t, { organization: org, careTeam: [worker] });
    const { case: otherCase } = await buildCase(t, { patient: other, status: 'active', worker });
    const res = await client.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'phq-9',
      caseId: otherCase.id,
      encounterId: '0190a000-0000-7000-8000-00000000abcd',
    });
    expect(res.statusCode).toBe(422);
    expect(
      res
        .json()
        .errors.map((e: { field: string }) => e.field)
        .sort(),
    ).toEqual(['caseId', 'encounterId']);
    const version = await client.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'phq-9',
      version: '0.9',
    });
    expect(version.statusCode).toBe(422);
    expect(version.json().errors[0].field).toBe('version');
  });
});

describe('bad input on completion (422 naming the item, nothing saved)', () => {
  const cases: [string, (r: ReturnType<typeof questionnaireResponse>) => unknown, string][] = [
    [
      'an unknown linkId',
      (r) => ({
        ...r,
        item: [...r.item, { linkId: '99999-9', answer: [{ valueCoding: { code: 'LA6568-5' } }] }],
      }),
      '99999-9',
    ],
    [
      "an answer that is not one of the item's options",
      (r) => ({
        ...r,
        item: r.item.map((i) =>
          i.linkId === PHQ9_ITEM9
            ? { ...i, answer: [{ valueCoding: { system: 'http://loinc.org', code: 'LA33-6' } }] }
            : i,
        ),
      }),
      PHQ9_ITEM9,
    ],
    [
      'a missing required item',
      (r) => ({ ...r, item: r.item.filter((i) => i.linkId !== PHQ9_ITEM9) }),
      PHQ9_ITEM9,
    ],
    [
      'a response to another version',
      (r) => ({ ...r, questionnaire: 'urn:kith:questionnaire:phq-9|2.0.0' }),
      'questionnaire',
    ],
  ];

  for (const [what, spoil, field] of cases) {
    it(`refuses ${what}`, async () => {
      const { patient, client } = await department(t);
      const draft = await startDraft(client, patient.id, 'phq-9');
      const res = await client.post(`/api/assessments/${draft.id}/complete`, {
        version: 1,
        response: spoil(questionnaireResponse('phq-9', phq9())),
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().errors.map((e: { field: string }) => e.field)).toContain(field);
      const row = await storedAssessment(t, draft.id);
      expect(row).toMatchObject({
        status: 'draft',
        version: 1,
        answers: {},
        result: null,
        completedAt: null,
      });
      expect(await observationsOf(draft.id)).toHaveLength(0);
      expect((await auditsOf(draft.id)).map((a) => a.action)).toEqual(['assessment.start']);
    });
  }

  it('refuses a bad answer in a draft save too, and keeps the draft as it was', async () => {
    const { patient, client } = await department(t);
    const draft = await startDraft(client, patient.id, 'phq-9');
    const res = await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 1,
      response: questionnaireResponse('phq-9', { '44250-9': 'LA33-6' }),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('44250-9');
    expect(await storedAssessment(t, draft.id)).toMatchObject({ version: 1, answers: {} });
  });
});

describe('amending a completed assessment', () => {
  it('adds a corrected assessment and keeps the original, readable and marked superseded', async () => {
    const { patient, client } = await department(t);
    const original = await giveScreen(client, patient.id, 'phq-9', phq9({ '44250-9': 'LA6569-3' }));
    const res = await client.post(`/api/assessments/${original.id}/amend`, {
      version: original.version,
      reason: 'Item 1 was entered as several days; the patient said nearly every day',
      response: questionnaireResponse('phq-9', phq9({ '44250-9': 'LA6571-9' })),
    });
    expect(res.statusCode, res.body).toBe(201);
    const amendment = res.json();
    expect(amendment).toMatchObject({
      status: 'completed',
      amendsId: original.id,
      amendmentReason: expect.stringMatching(/nearly every day/),
      result: { score: 3 },
      response: { status: 'amended' },
    });
    const kept = await client.get(`/api/assessments/${original.id}`);
    expect(kept.json()).toMatchObject({
      result: { score: 1 },
      supersededById: amendment.id,
      abilities: { amend: false },
    });
    expect(await storedAssessment(t, amendment.id)).toMatchObject({ rootId: original.id });

    // The original's Observations are kept, superseded; the amendment's are `amended`.
    expect((await observationsOf(original.id)).every((o) => o.supersededAt !== null)).toBe(true);
    expect((await observationsOf(amendment.id)).every((o) => o.status === 'amended' && !o.supersededAt)).toBe(
      true,
    );

    // Only the latest can be amended.
    const twice = await client.post(`/api/assessments/${original.id}/amend`, {
      version: 2,
      reason: 'again',
      response: questionnaireResponse('phq-9', phq9()),
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json()).toMatchObject({
      type: 'urn:kith:problem:assessment-superseded',
      supersededById: amendment.id,
    });

    // The list shows the current one unless asked for the history.
    const list = await client.get(`/api/patients/${patient.id}/assessments`);
    expect(list.json().items.map((i: { id: string }) => i.id)).toEqual([amendment.id]);
    const all = await client.get(`/api/patients/${patient.id}/assessments?includeSuperseded=true`);
    expect(all.json().total).toBe(2);
  });

  it('refuses to amend a draft (409)', async () => {
    const { patient, client } = await department(t);
    const draft = await startDraft(client, patient.id, 'phq-2');
    const res = await client.post(`/api/assessments/${draft.id}/amend`, { version: 1, reason: 'typo' });
    expect(res.statusCode).toBe(409);
  });
});

describe('declining and discarding', () => {
  it('records a declined screen with its reason, and a discarded draft drops out of the list', async () => {
    const { patient, client } = await department(t);
    const ahc = await startDraft(client, patient.id, 'ahc-hrsn');
    const declined = await client.post(`/api/assessments/${ahc.id}/decline`, {
      version: 1,
      reason: 'opted-out',
    });
    expect(declined.statusCode).toBe(200);
    expect(declined.json()).toMatchObject({ status: 'declined', declineReason: 'opted-out' });

    const phq = await startDraft(client, patient.id, 'phq-2');
    const discarded = await client.post(`/api/assessments/${phq.id}/discard`, { version: 1 });
    expect(discarded.json().status).toBe('discarded');
    const again = await client.post(`/api/assessments/${phq.id}/discard`, { version: 2 });
    expect(again.statusCode).toBe(409);

    const list = await client.get(`/api/patients/${patient.id}/assessments`);
    expect(list.json().items.map((i: { id: string; status: string }) => [i.id, i.status])).toEqual([
      [ahc.id, 'declined'],
    ]);
    const filtered = await client.get(`/api/patients/${patient.id}/assessments?status=discarded`);
    expect(filtered.json().items).toHaveLength(1);
  });
});
