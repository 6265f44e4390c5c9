import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import {
  addPartnerMember,
  insertDirectoryService,
  referralBody,
  referralScene,
} from './referrals.fixtures.ts';
import { referralEvents } from './referrals.tables.ts';

/*
 * Community organisations with Kith accounts answer from an inbox: the same view and the same rules as the
 * link, and never a referral of another organisation.
 */

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A referral sent to the scene's pantry, and the pantry's partner account signed in. */
async function pantryWithPartner() {
  const scene = await referralScene(t, { referralEmail: null });
  const partnerUser = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
  await addPartnerMember(t, scene.organization, partnerUser.id, scene.pantry.id);
  const sent = await scene.worker.post(
    `/api/needs/${scene.need.id}/referrals`,
    referralBody(scene.service.id),
  );
  expect(sent.statusCode).toBe(201);
  return { scene, partnerUser, partner: await signIn(t, partnerUser), referral: sent.json().items[0] };
}

describe('the community partner inbox', () => {
  it('lists its organisations’ sent referrals newest first, filters by status, and audits the patients shown', async () => {
    const { scene, partner, partnerUser, referral } = await pantryWithPartner();
    const second = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id),
    );
    const draft = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id, { send: false }),
    );
    expect(draft.statusCode).toBe(201);

    const res = await partner.get('/api/partner/referrals');
    expect(res.statusCode).toBe(200);
    const page = res.json();
    expect(page).toMatchObject({ page: 1, total: 2 });
    expect(page.items.map((r: { id: string }) => r.id)).toEqual([second.json().items[0].id, referral.id]);
    expect(page.items[0]).toMatchObject({
      department: scene.organization.name,
      organization: scene.pantry.name,
      service: 'Emergency groceries',
      status: 'requested',
      shared: { name: 'John Smith', need: 'Food insecurity', birthDate: '1950-04-01' },
    });

    await partner.get(`/api/partner/referrals/${referral.id}`); // received
    expect((await partner.get('/api/partner/referrals?status=received')).json().items).toHaveLength(1);
    expect((await partner.get('/api/partner/referrals?status=active')).json().total).toBe(2);
    expect((await partner.get('/api/partner/referrals?status=draft')).statusCode).toBe(422);

    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(
        and(eq(auditEvents.actorUserId, partnerUser.id), eq(auditEvents.action, 'referral.partner-list')),
      );
    expect((audit!.detail as { patientIds: string[] }).patientIds).toEqual([scene.patient.id]);
  });

  it('opens a referral (received, by the partner) and answers it with the link’s rules', async () => {
    const { scene, partner, partnerUser, referral } = await pantryWithPartner();
    const opened = await partner.get(`/api/partner/referrals/${referral.id}`);
    expect(opened.json()).toMatchObject({
      status: 'received',
      version: 3,
      actions: ['accept', 'reject', 'cancel'],
    });
    const [event] = await t.database.db
      .select()
      .from(referralEvents)
      .where(and(eq(referralEvents.referralId, referral.id), eq(referralEvents.toStatus, 'received')));
    expect(event).toMatchObject({ actorKind: 'user', actorId: partnerUser.id });

    const accept = (version: number) =>
      partner.post(`/api/partner/referrals/${referral.id}/transition`, { action: 'accept', version });
    expect((await accept(2)).statusCode).toBe(409); // stale
    expect((await accept(3)).json()).toMatchObject({ status: 'accepted' });
    const hold = await partner.post(`/api/partner/referrals/${referral.id}/transition`, {
      action: 'hold',
      version: 4,
    });
    expect(hold.statusCode).toBe(422);
    const held = await partner.post(`/api/partner/referrals/${referral.id}/transition`, {
      action: 'hold',
      version: 4,
      reason: 'waiting-list',
    });
    expect(held.json()).toMatchObject({ status: 'on-hold', actions: ['resume', 'fail', 'cancel'] });
    const shown = (await scene.worker.get(`/api/referrals/${referral.id}`)).json();
    expect(shown.events.at(-1)).toMatchObject({ toStatus: 'on-hold', actor: partnerUser.displayName });
  });

  it('never shows another organisation’s referral, a draft, nor anything to a partner without organisations (404)', async () => {
    const { scene, referral } = await pantryWithPartner();
    const shelter = await insertDirectoryService(t, scene.organization, { name: 'Shelter beds' });
    const otherPartner = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
    await addPartnerMember(t, scene.organization, otherPartner.id, shelter.organization.id);
    const other = await signIn(t, otherPartner);
    expect((await other.get('/api/partner/referrals')).json()).toMatchObject({ items: [], total: 0 });
    expect((await other.get(`/api/partner/referrals/${referral.id}`)).statusCode).toBe(404);
    const refused = await other.post(`/api/partner/referrals/${referral.id}/transition`, {
      action: 'accept',
      version: 2,
    });
    expect(refused.statusCode).toBe(404);

    const loner = await signIn(
      t,
      await buildUser(t, { organization: scene.organization, role: 'community_partner' }),
    );
    expect((await loner.get('/api/partner/referrals')).json().items).toEqual([]);
    expect((await loner.get(`/api/partner/referrals/${referral.id}`)).statusCode).toBe(404);

    // Staff have no partner inbox, and partners have no staff routes.
    expect((await scene.worker.get('/api/partner/referrals')).statusCode).toBe(403);
    expect((await other.get(`/api/referrals/${referral.id}`)).statusCode).toBe(403);
  });

  it('shows nothing but the status once the patient withdraws consent', async () => {
    const { scene, partner, referral } = await pantryWithPartner();
    await scene.worker.post(`/api/referral-consents/${scene.consent!.id}/revoke`, {
      reason: 'Asked us to stop',
    });
    const view = (await partner.get(`/api/partner/referrals/${referral.id}`)).json();
    expect(view).toMatchObject({ status: 'received', service: 'Emergency groceries', shared: {} });
  });
});
