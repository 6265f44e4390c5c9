import { and, eq } from 'drizzle-orm';
import { generateSecret } from 'otplib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildUser, type Client, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { addPartnerMember, insertConsent } from '../referrals/referrals.fixtures.ts';
import { referrals } from '../referrals/referrals.tables.ts';
import { dischargeChoiceLists, dischargePlans } from './discharge.tables.ts';
import { insertProvider, placementScene } from './placement.fixtures.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'https://kith.hospital.test' });
});
afterAll(() => t.close());

type Scene = Awaited<ReturnType<typeof placementScene>>;

/** Five SNFs and a home-health agency around the patient's home in Boston (02118). */
async function providers(scene: Scene) {
  const o = scene.organization;
  return {
    near: await insertProvider(t, o, {
      name: 'South End Skilled Nursing',
      kind: 'snf',
      latitude: 42.3401,
      longitude: -71.0712,
      stars: 4,
      capabilities: ['wound-care', 'iv-therapy'],
      financialInterest: 'Owned in part by the hospital',
    }),
    mid: await insertProvider(t, o, {
      name: 'Beacon Hill Rehab and Nursing',
      kind: 'snf',
      latitude: 42.3588,
      longitude: -71.0638,
      stars: 3,
      capabilities: ['wound-care'],
    }),
    cambridge: await insertProvider(t, o, {
      name: 'Cambridge Nursing Center',
      kind: 'snf',
      latitude: 42.3736,
      longitude: -71.1097,
      stars: 5,
      capabilities: ['wound-care', 'dialysis'],
    }),
    medicaidOnly: await insertProvider(t, o, {
      name: 'Roxbury Medicaid Home',
      kind: 'snf',
      latitude: 42.3318,
      longitude: -71.0826,
      eligibility: { payers: ['medicaid'] },
    }),
    far: await insertProvider(t, o, {
      name: 'Worcester Care Center',
      kind: 'snf',
      latitude: 42.2626,
      longitude: -71.8023,
    }),
    closed: await insertProvider(t, o, {
      name: 'Closed Nursing Home',
      kind: 'snf',
      latitude: 42.339,
      longitude: -71.072,
      status: 'defunct',
    }),
    homeHealth: await insertProvider(t, o, {
      name: 'Harbor Home Health',
      kind: 'home-health',
      latitude: 42.339,
      longitude: -71.071,
    }),
  };
}

const put = (client: Client, url: string, payload: Record<string, unknown>) =>
  client.request({ method: 'PUT', url, payload });

const createList = (scene: Scene, body: Record<string, unknown>) =>
  scene.worker.post(`/api/discharge-plans/${scene.plan.id}/choice-lists`, body);

describe('choice lists', () => {
  it('lists providers of the kind within the radius, covered by the patient’s insurance, nearest first, with distance and ratings', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    const res = await createList(scene, { kind: 'snf', radiusMiles: 10 });
    expect(res.statusCode, res.body).toBe(201);
    const list = res.json();
    expect(list.providers.map((e: { name: string }) => e.name)).toEqual([
      'South End Skilled Nursing',
      'Beacon Hill Rehab and Nursing',
      'Cambridge Nursing Center',
    ]);
    const [first] = list.providers;
    expect(first).toMatchObject({
      serviceId: p.near.service.id,
      address: '1 Care Way, Boston, MA 02118',
      ratings: [{ measure: 'overall', value: '4', source: 'CMS Care Compare', asOf: '2025-01-01' }],
      financialInterest: 'Owned in part by the hospital',
    });
    expect(first.distanceMiles).toBeGreaterThanOrEqual(0);
    expect(first.distanceMiles).toBeLessThan(list.providers[1].distanceMiles);
    expect(list.criteria).toMatchObject({
      kind: 'snf',
      zip: '02118',
      radiusMiles: 10,
      insurance: ['medicare'],
      excluded: { inactive: 1, 'too-far': 1, 'not-eligible': 1, needs: 0 },
    });
    // On the timeline and audited.
    const [line] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, list.id));
    expect(line?.summary).toMatch(/Choice list of skilled nursing facility providers drawn \(3 offered\)/);
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, list.id), eq(auditEvents.action, 'discharge-choice-list.create')));
    expect(audit).toHaveLength(1);
  });

  it('filters by the needs, by insurance given, and by a ZIP given; a wider radius reaches further', async () => {
    const scene = await placementScene(t);
    await providers(scene);
    const needs = (await createList(scene, { kind: 'snf', needs: ['wound-care', 'dialysis'] })).json();
    expect(needs.providers.map((e: { name: string }) => e.name)).toEqual(['Cambridge Nursing Center']);
    expect(needs.criteria.excluded.needs).toBe(3);

    const medicaid = (await createList(scene, { kind: 'snf', insurance: ['medicaid'] })).json();
    expect(medicaid.providers.map((e: { name: string }) => e.name)).toContain('Roxbury Medicaid Home');

    const wide = (await createList(scene, { kind: 'snf', radiusMiles: 60 })).json();
    expect(wide.providers.map((e: { name: string }) => e.name)).toContain('Worcester Care Center');

    const fromWorcester = (await createList(scene, { kind: 'snf', zip: '01608', radiusMiles: 5 })).json();
    expect(fromWorcester.providers.map((e: { name: string }) => e.name)).toEqual(['Worcester Care Center']);

    const home = (await createList(scene, { kind: 'home-health' })).json();
    expect(home.providers.map((e: { name: string }) => e.name)).toEqual(['Harbor Home Health']);
  });

  it('keeps the list as offered: a later change of ratings or status does not change it', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    const list = (await createList(scene, { kind: 'snf' })).json();
    const admin = await signIn(
      t,
      await buildUser(t, { organization: scene.organization, role: 'admin', totpSecret: generateSecret() }),
    );
    const saved = await put(admin, `/api/directory/services/${p.near.service.id}/post-acute`, {
      kind: 'snf',
      capabilities: ['wound-care'],
      ratings: [{ measure: 'overall', value: '1', source: 'CMS Care Compare', asOf: '2025-06-01' }],
    });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().ratings).toEqual([
      { measure: 'overall', value: '1', scale: 'stars-1-5', source: 'CMS Care Compare', asOf: '2025-06-01' },
    ]);
    const again = (await scene.worker.get(`/api/choice-lists/${list.id}`)).json();
    expect(again.providers[0].ratings[0].value).toBe('4');
    const fresh = (await createList(scene, { kind: 'snf' })).json();
    expect(
      fresh.providers.find((e: { serviceId: string }) => e.serviceId === p.near.service.id).ratings[0].value,
    ).toBe('1');
  });

  it('refuses bad input: an unknown kind, a ZIP it cannot place; a social worker cannot edit provider profiles', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    expect((await createList(scene, { kind: 'spa' })).statusCode).toBe(422);
    const zip = await createList(scene, { kind: 'snf', zip: '00000' });
    expect(zip.statusCode).toBe(422);
    expect(zip.json().errors).toEqual([{ field: 'zip', message: 'is not a ZIP code we can place' }]);
    const edit = await put(scene.worker, `/api/directory/services/${p.near.service.id}/post-acute`, {
      kind: null,
    });
    expect(edit.statusCode).toBe(403);
  });

  it('records the choices in order, or that the patient declined; refuses a provider not on the list', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    const list = (await createList(scene, { kind: 'snf' })).json();
    const wrong = await scene.worker.post(`/api/choice-lists/${list.id}/choices`, {
      choices: [p.far.service.id],
      chosenBy: 'family',
      version: list.version,
    });
    expect(wrong.statusCode).toBe(422);
    expect(wrong.json().errors).toEqual([{ field: 'choices.0', message: 'is not on this choice list' }]);
    const noChooser = await scene.worker.post(`/api/choice-lists/${list.id}/choices`, {
      choices: [p.near.service.id],
      version: list.version,
    });
    expect(noChooser.json().errors).toEqual([{ field: 'chosenBy', message: 'is required: say who chose' }]);

    const chosen = await scene.worker.post(`/api/choice-lists/${list.id}/choices`, {
      choices: [p.cambridge.service.id, p.near.service.id],
      chosenBy: 'family',
      chosenByName: 'Mary Smith (daughter)',
      version: list.version,
    });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({
      choices: [p.cambridge.service.id, p.near.service.id],
      chosenBy: 'family',
      chosenByName: 'Mary Smith (daughter)',
      declinedToChoose: false,
      version: list.version + 1,
    });
    expect(chosen.json().givenAt).not.toBeNull();
    const stale = await scene.worker.post(`/api/choice-lists/${list.id}/choices`, {
      declinedToChoose: true,
      version: list.version,
    });
    expect(stale.statusCode).toBe(409);
    const declined = await scene.worker.post(`/api/choice-lists/${list.id}/choices`, {
      declinedToChoose: true,
      note: 'Wants the team to choose',
      version: list.version + 1,
    });
    expect(declined.json()).toMatchObject({ choices: [], declinedToChoose: true, chosenBy: null });
  });
});

describe('placement referrals', () => {
  async function answerAs(partner: Client, referralId: string, body: Record<string, unknown>) {
    const opened = await partner.get(`/api/partner/referrals/${referralId}`);
    expect(opened.statusCode, opened.body).toBe(200);
    return partner.post(`/api/partner/referrals/${referralId}/transition`, {
      version: opened.json().version,
      ...body,
    });
  }

  it('sends to three providers at once; one declines, one accepts with a bed date, one is pending; confirming the accepted one cancels the pending one and sets the disposition', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    const list = (await createList(scene, { kind: 'snf' })).json();
    const ids = [p.near.service.id, p.mid.service.id, p.cambridge.service.id];

    // No consent for the providers yet: refused, nothing sent.
    const body = {
      serviceIds: ids,
      note: 'Needs daily wound care; able to transfer with one assist',
      contactPreferences: { methods: ['phone'], phone: '617-555-0100' },
    };
    const noConsent = await scene.worker.post(`/api/choice-lists/${list.id}/referrals`, body);
    expect(noConsent.statusCode).toBe(422);
    expect(noConsent.json().code ?? noConsent.json().type).toMatch(/consent-required/);

    const sent = await scene.worker.post(`/api/choice-lists/${list.id}/referrals`, {
      ...body,
      consent: {
        shares: ['name', 'contact', 'need', 'birth-date', 'note'],
        method: 'verbal',
        givenBy: 'patient',
        expiresOn: '2099-12-31',
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const sentList = sent.json();
    expect(sentList.referrals).toHaveLength(3);
    expect(sentList.referrals.every((r: { status: string }) => r.status === 'requested')).toBe(true);
    const rows = await t.database.db.select().from(referrals).where(eq(referrals.choiceListId, list.id));
    expect(rows.every((r) => r.needId === null && r.consentId !== null)).toBe(true);
    const byService = new Map(rows.map((r) => [r.serviceId, r]));

    // Each provider answers from its partner inbox.
    const partner = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
    for (const provider of [p.near, p.mid, p.cambridge]) {
      await addPartnerMember(t, scene.organization, partner.id, provider.organization.id);
    }
    const inbox = await signIn(t, partner);
    const nearRef = byService.get(p.near.service.id)!;
    const midRef = byService.get(p.mid.service.id)!;
    const camRef = byService.get(p.cambridge.service.id)!;

    const view = (await inbox.get(`/api/partner/referrals/${nearRef.id}`)).json();
    expect(view).toMatchObject({
      placement: true,
      shared: { need: 'Post-acute placement: Skilled nursing facility' },
    });

    const noBed = await answerAs(inbox, nearRef.id, { action: 'accept' });
    expect(noBed.statusCode).toBe(422);
    expect(noBed.json().errors).toEqual([
      { field: 'bedOfferedOn', message: 'is required: say from which day the bed is offered' },
    ]);
    const accepted = await answerAs(inbox, nearRef.id, { action: 'accept', bedOfferedOn: '2025-03-08' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json().bedOfferedOn).toBe('2025-03-08');
    const declined = await answerAs(inbox, midRef.id, { action: 'reject', reason: 'no-capacity' });
    expect(declined.statusCode, declined.body).toBe(200);

    // Side by side.
    const board = (await scene.worker.get(`/api/choice-lists/${list.id}`)).json();
    const answers = Object.fromEntries(board.referrals.map((r: { serviceId: string }) => [r.serviceId, r]));
    expect(answers[p.near.service.id]).toMatchObject({ status: 'accepted', bedOfferedOn: '2025-03-08' });
    expect(answers[p.near.service.id].answeredAt).not.toBeNull();
    expect(answers[p.mid.service.id]).toMatchObject({
      status: 'rejected',
      statusReason: 'no-capacity',
      statusReasonLabel: 'No capacity or waiting list full',
    });
    expect(answers[p.cambridge.service.id]).toMatchObject({ status: 'requested', bedOfferedOn: null });

    // Confirming a provider that has not accepted is refused.
    const notAccepted = await scene.worker.post(`/api/choice-lists/${list.id}/confirm`, {
      referralId: camRef.id,
    });
    expect(notAccepted.statusCode).toBe(409);
    const declinedOne = await scene.worker.post(`/api/choice-lists/${list.id}/confirm`, {
      referralId: midRef.id,
    });
    expect(declinedOne.statusCode).toBe(409);

    const confirmed = await scene.worker.post(`/api/choice-lists/${list.id}/confirm`, {
      referralId: nearRef.id,
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().confirmedReferralId).toBe(nearRef.id);
    const after = Object.fromEntries(
      confirmed.json().referrals.map((r: { serviceId: string }) => [r.serviceId, r]),
    );
    expect(after[p.near.service.id].status).toBe('accepted');
    expect(after[p.mid.service.id].status).toBe('rejected');
    expect(after[p.cambridge.service.id]).toMatchObject({
      status: 'cancelled',
      statusReason: 'another-provider-chosen',
      statusReasonLabel: 'Another provider was chosen',
    });
    const [plan] = await t.database.db
      .select()
      .from(dischargePlans)
      .where(eq(dischargePlans.id, scene.plan.id));
    expect(plan!.targetDisposition).toBe('snf');

    // Once confirmed: no second confirmation, no more referrals from this list.
    expect(
      (await scene.worker.post(`/api/choice-lists/${list.id}/confirm`, { referralId: nearRef.id }))
        .statusCode,
    ).toBe(409);
    expect((await scene.worker.post(`/api/choice-lists/${list.id}/referrals`, body)).statusCode).toBe(409);
    const audit = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, list.id), eq(auditEvents.action, 'discharge-placement.confirm')));
    expect(audit).toHaveLength(1);
  });

  it('refuses a provider that is not on the list', async () => {
    const scene = await placementScene(t);
    const p = await providers(scene);
    const list = (await createList(scene, { kind: 'snf' })).json();
    await insertConsent(t, scene.patient, p.far.organization.id, scene.user.id);
    const res = await scene.worker.post(`/api/choice-lists/${list.id}/referrals`, {
      serviceIds: [p.far.service.id],
      contactPreferences: { methods: ['phone'] },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([{ field: 'serviceIds.0', message: 'is not on this choice list' }]);
  });

  it('keeps others out: another worker not on the care team gets 403, another tenant 404', async () => {
    const scene = await placementScene(t);
    await providers(scene);
    const list = (await createList(scene, { kind: 'snf' })).json();
    const stranger = await signIn(t, await buildUser(t, { organization: scene.organization }));
    expect((await stranger.get(`/api/choice-lists/${list.id}`)).statusCode).toBe(403);
    const other = await signIn(t, await buildUser(t));
    expect((await other.get(`/api/choice-lists/${list.id}`)).statusCode).toBe(404);
    const [row] = await t.database.db
      .select()
      .from(dischargeChoiceLists)
      .where(eq(dischargeChoiceLists.id, list.id));
    expect(row!.providers).toHaveLength(3);
  });
});
