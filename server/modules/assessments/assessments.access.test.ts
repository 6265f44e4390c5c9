import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { startTestApp, type TestContext } from '../../test/harness.ts';
import {
  department,
  giveScreen,
  HITS_NEGATIVE,
  put,
  questionnaireResponse,
  startDraft,
  storedAssessment,
} from './assessments.fixtures.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const auditsOf = (recordId: string) =>
  t.database.db.select().from(auditEvents).where(eq(auditEvents.recordId, recordId)).orderBy(auditEvents.seq);

describe('the psychosocial assessment', () => {
  const content = {
    livingSituation: 'Lives alone in a second-floor apartment',
    substanceUse: 'Drinks daily; interested in cutting down',
    summary: 'Needs home support after discharge',
  };

  it('requires the summary to complete, and hides substance use from a clinician', async () => {
    const { patient, client, clinicianClient } = await department(t);
    const draft = await startDraft(client, patient.id, 'psychosocial');
    expect(draft).toMatchObject({ instrument: 'psychosocial', response: null, result: null, content: {} });
    const { summary: _, ...unfinished } = content;
    const refused = await client.post(`/api/assessments/${draft.id}/complete`, {
      version: 1,
      content: unfinished,
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors).toEqual([{ field: 'content.summary', message: expect.any(String) }]);
    expect(await storedAssessment(t, draft.id)).toMatchObject({ status: 'draft', content: {} });

    const done = await client.post(`/api/assessments/${draft.id}/complete`, { version: 1, content });
    expect(done.statusCode, done.body).toBe(200);

    // The worker reads every section; reading substance use is audited as its own action.
    const full = await client.get(`/api/assessments/${draft.id}`);
    expect(full.json()).toMatchObject({ content, restricted: [] });
    const audits = await auditsOf(draft.id);
    expect(audits.filter((a) => a.action === 'assessment.sensitive-section.read')).toMatchObject([
      { detail: { sections: ['substanceUse'] } },
    ]);

    // The clinician sees that a restricted section exists, not what it says.
    const limited = await clinicianClient.get(`/api/assessments/${draft.id}`);
    expect(limited.statusCode).toBe(200);
    expect(limited.json().restricted).toEqual(['substanceUse']);
    expect(limited.json().content).not.toHaveProperty('substanceUse');
    expect(limited.body).not.toContain('Drinks daily');
  });

  it('refuses instrument answers on the psychosocial assessment (422)', async () => {
    const { patient, client } = await department(t);
    const draft = await startDraft(client, patient.id, 'psychosocial');
    const res = await put(client, `/api/assessments/${draft.id}/draft`, {
      version: 1,
      response: questionnaireResponse('phq-2', {}),
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors[0].field).toBe('response');
  });
});

describe('access', () => {
  it('returns 403 when a worker outside the care team opens or starts an assessment, and audits the refusal', async () => {
    const { patient, client, outsiderClient, outsider } = await department(t);
    const screen = await giveScreen(client, patient.id, 'hits', HITS_NEGATIVE);
    expect((await outsiderClient.get(`/api/assessments/${screen.id}`)).statusCode).toBe(403);
    expect((await outsiderClient.get(`/api/patients/${patient.id}/assessments`)).statusCode).toBe(403);
    const start = await outsiderClient.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'phq-2',
    });
    expect(start.statusCode).toBe(403);
    const denied = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, outsider.id), eq(auditEvents.outcome, 'denied')));
    expect(denied.map((a) => a.action).sort()).toEqual([
      'assessment.list',
      'assessment.read',
      'patient.update',
    ]);
  });

  it('lets a clinician read results but not give or change assessments (403)', async () => {
    const { patient, client, clinicianClient } = await department(t);
    const screen = await giveScreen(client, patient.id, 'hits', HITS_NEGATIVE);
    const read = await clinicianClient.get(`/api/assessments/${screen.id}`);
    expect(read.json().abilities).toEqual({ update: false, amend: false, handoff: false });
    const start = await clinicianClient.post(`/api/patients/${patient.id}/assessments`, {
      instrument: 'phq-2',
    });
    expect(start.statusCode).toBe(403);
  });

  it("answers 404 for another organisation's assessment", async () => {
    const { patient, client } = await department(t);
    const screen = await giveScreen(client, patient.id, 'hits', HITS_NEGATIVE);
    const stranger = await department(t);
    expect((await stranger.client.get(`/api/assessments/${screen.id}`)).statusCode).toBe(404);
  });
});
