import { createHash } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PHQ9_ITEM9 } from '../../../domain/instruments/phq.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { startTestApp, type TestContext } from '../../test/harness.ts';
import { tasks } from '../tasks/tasks.tables.ts';
import {
  department,
  PHQ9_MODERATE_WITH_ITEM9,
  phq9,
  questionnaireResponse,
  startDraft,
  storedAssessment,
} from './assessments.fixtures.ts';
import { assessmentHandoffs } from './assessments.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** The tablet: no session, only the link. */
const tablet = {
  get: (token: string) => t.app.inject({ method: 'GET', url: `/api/fill/${token}` }),
  save: (token: string, response: unknown) =>
    t.app.inject({ method: 'PUT', url: `/api/fill/${token}`, payload: { response } }),
  submit: (token: string, response: unknown) =>
    t.app.inject({ method: 'POST', url: `/api/fill/${token}/submit`, payload: { response } }),
};

/** A PHQ-9 draft handed over to the patient in `language`. */
async function handedOver(language: 'en' | 'es' = 'es') {
  const dept = await department(t);
  const draft = await startDraft(dept.client, dept.patient.id, 'phq-9', { language });
  const res = await dept.client.post(`/api/assessments/${draft.id}/handoff`, { version: 1, language });
  expect(res.statusCode, res.body).toBe(201);
  return { ...dept, draft, handoff: res.json() as { path: string; token: string; expiresAt: string } };
}

describe('the tablet hand-over', () => {
  it('shows only the questions in Spanish, saves, submits, completes as the patient and spends the link', async () => {
    const { patient, worker, draft, handoff, client } = await handedOver('es');
    expect(handoff.path).toBe(`/fill/${handoff.token}`);
    expect(new Date(handoff.expiresAt).getTime() - Date.now()).toBeGreaterThan(59 * 60_000);
    // Only the token's hash is kept.
    const [stored] = await t.database.db
      .select()
      .from(assessmentHandoffs)
      .where(eq(assessmentHandoffs.assessmentId, draft.id));
    expect(stored!.tokenHash).toBe(createHash('sha256').update(handoff.token).digest('hex'));

    // The patient opens the page: Spanish wording, no points, no codes, nothing about who they are.
    const page = await tablet.get(handoff.token);
    expect(page.statusCode, page.body).toBe(200);
    const view = page.json();
    expect(view).toMatchObject({ language: 'es', status: 'open', response: { item: [] } });
    expect(view.intro).toMatch(/Durante las últimas 2 semanas/);
    expect(view.questionnaire.item[0].text).toBe('Poco interés o placer en hacer cosas');
    expect(view.questionnaire.item[0].answerOption[0].valueCoding).toEqual({
      system: 'http://loinc.org',
      code: 'LA6568-5',
      display: 'Ningún día',
    });
    for (const hidden of [
      '_text',
      '_display',
      'ordinalValue',
      'score',
      'band',
      'alarm',
      patient.id,
      patient.mrn,
    ]) {
      expect(page.body).not.toContain(hidden);
    }
    expect(page.body).not.toMatch(new RegExp(`${patient.familyName}|${patient.givenName}`));

    // Autosave from the tablet; the worker sees the answers in the draft.
    const partial = questionnaireResponse('phq-9', { '44250-9': 'LA6569-3' });
    const saved = await tablet.save(handoff.token, partial);
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toEqual({ status: 'open' });
    expect((await tablet.get(handoff.token)).json().response.item[0]).toMatchObject({
      linkId: '44250-9',
      answer: [{ valueCoding: { code: 'LA6569-3', display: 'Varios días' } }],
    });

    // An unfinished submission is refused, naming the item; nothing is saved and the link stays open.
    const early = await tablet.submit(handoff.token, partial);
    expect(early.statusCode).toBe(422);
    expect(early.json().errors.map((e: { field: string }) => e.field)).toContain(PHQ9_ITEM9);
    expect(await storedAssessment(t, draft.id)).toMatchObject({ status: 'draft' });

    // The patient finishes: the answer says done, and nothing more.
    const done = await tablet.submit(handoff.token, questionnaireResponse('phq-9', PHQ9_MODERATE_WITH_ITEM9));
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json()).toEqual({ status: 'done' });
    expect(await storedAssessment(t, draft.id)).toMatchObject({
      status: 'completed',
      mode: 'patient',
      language: 'es',
      completedBy: worker.id,
      score: 12,
    });

    // The link is spent: the page shows done with no answers, and takes nothing more.
    expect((await tablet.get(handoff.token)).json()).toMatchObject({ status: 'done', response: null });
    expect((await tablet.save(handoff.token, partial)).statusCode).toBe(410);
    expect((await tablet.submit(handoff.token, partial)).statusCode).toBe(410);

    // The worker sees the score and the alarm, with its task.
    const result = (await client.get(`/api/assessments/${draft.id}`)).json();
    expect(result).toMatchObject({ mode: 'patient', result: { score: 12 }, suggestNext: 'cssrs-screener' });
    const alarmTasks = await t.database.db
      .select()
      .from(tasks)
      .where(and(eq(tasks.patientId, patient.id), eq(tasks.kind, 'alarm')));
    expect(alarmTasks).toMatchObject([{ assigneeId: worker.id }]);

    // Every tablet access is audited as the patient, accountable to the worker who handed it over.
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, draft.id), eq(auditEvents.actorLabel, 'patient (tablet)')));
    expect(audits.every((a) => a.actorUserId === worker.id && a.patientId === patient.id)).toBe(true);
    expect(new Set(audits.map((a) => a.action))).toEqual(
      new Set(['assessment.fill.read', 'assessment.save', 'assessment.complete']),
    );
  });

  it('answers 404 for an unknown link and 410 for an expired one, saying nothing more', async () => {
    const unknown = await tablet.get('x'.repeat(43));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).not.toHaveProperty('detail');

    const { draft, handoff } = await handedOver('en');
    await t.database.db
      .update(assessmentHandoffs)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(assessmentHandoffs.assessmentId, draft.id));
    const expired = await tablet.get(handoff.token);
    expect(expired.statusCode).toBe(410);
    expect(Object.keys(expired.json()).sort()).toEqual(['instance', 'status', 'title', 'type']);
    expect((await tablet.save(handoff.token, questionnaireResponse('phq-9', phq9()))).statusCode).toBe(410);
  });

  it('takes back the earlier link when a new one is made, and closes links when the worker completes', async () => {
    const { client, draft, handoff } = await handedOver('en');
    const second = (
      await client.post(`/api/assessments/${draft.id}/handoff`, { version: 1, language: 'en' })
    ).json();
    expect((await tablet.get(handoff.token)).json()).toMatchObject({ status: 'done', response: null });
    expect((await tablet.get(second.token)).json().status).toBe('open');

    await client.post(`/api/assessments/${draft.id}/complete`, {
      version: 1,
      response: questionnaireResponse('phq-9', phq9()),
    });
    expect((await tablet.get(second.token)).json()).toMatchObject({ status: 'done', response: null });
    expect((await tablet.submit(second.token, questionnaireResponse('phq-9', phq9()))).statusCode).toBe(410);
  });

  it('hands over only a draft instrument, in a language it is worded in, by a writer on the care team', async () => {
    const { patient, client, clinicianClient } = await department(t);
    const psychosocial = await startDraft(client, patient.id, 'psychosocial');
    expect(
      (await client.post(`/api/assessments/${psychosocial.id}/handoff`, { version: 1, language: 'en' }))
        .statusCode,
    ).toBe(409);
    const lace = await startDraft(client, patient.id, 'lace');
    const spanish = await client.post(`/api/assessments/${lace.id}/handoff`, { version: 1, language: 'es' });
    expect(spanish.statusCode).toBe(422);
    expect(spanish.json().errors[0].field).toBe('language');
    const phq = await startDraft(client, patient.id, 'phq-2');
    expect(
      (await clinicianClient.post(`/api/assessments/${phq.id}/handoff`, { version: 1, language: 'en' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await client.post(`/api/assessments/${phq.id}/handoff`, { version: 7, language: 'en' })).statusCode,
    ).toBe(409);
  });
});
