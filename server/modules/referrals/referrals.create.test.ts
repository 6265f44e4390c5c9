import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildOrganization, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { needLinks, needs } from '../needs/needs.tables.ts';
import { hashLinkPart } from './links.ts';
import {
  addPartnerMember,
  insertConsent,
  insertDirectoryService,
  insertOpenNeed,
  outboxTo as outboxToIn,
  referralBody,
  referralScene,
  sendReferral,
  transitionReferral,
} from './referrals.fixtures.ts';
import { referralLinks, referrals } from './referrals.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp({ PUBLIC_URL: 'https://kith.hospital.test' });
});
afterAll(() => t.close());

const refer = sendReferral;
const transition = transitionReferral;
const outboxTo = (address: string) => outboxToIn(t, address);

describe('POST /api/needs/:needId/referrals', () => {
  it('sends a referral: requested, linked to the need, on the timeline, a hashed link emailed to the organisation', async () => {
    const email = `intake-${Date.now()}@pantry.example`;
    const scene = await referralScene(t, { referralEmail: email });
    const { need, service, pantry, patient, user } = scene;
    const referral = await refer(scene, {
      services: [{ serviceId: service.id, locationId: scene.location.id }],
    });
    expect(referral).toMatchObject({
      patientId: patient.id,
      needId: need.id,
      needDomain: 'food-insecurity',
      service: { id: service.id, name: 'Emergency groceries' },
      organization: { id: pantry.id, name: pantry.name },
      location: { id: scene.location.id, address: '12 Harbor St, Boston, MA 02118' },
      status: 'requested',
      statusLabel: 'Sent',
      priority: 'routine',
      note: 'Lives alone since March; runs out of food by the 20th',
      contactPreferences: { methods: ['phone'], phone: '617-555-0142' },
      consentId: scene.consent!.id,
      requestedBy: { id: user.id },
      requestedAt: expect.any(String),
      stalled: false,
      actions: ['cancel', 'enter-in-error'],
      link: { sentTo: email, expiresAt: expect.any(String), lastUsedAt: null },
      events: [
        { fromStatus: null, toStatus: 'draft', actor: user.displayName },
        { fromStatus: 'draft', toStatus: 'requested', actor: user.displayName },
      ],
      version: 2,
    });
    // The link lasts 30 days.
    const days = (Date.parse(referral.link.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29.9);
    expect(days).toBeLessThanOrEqual(30);

    // The need is now being addressed, with the referral linked.
    const [linked] = await t.database.db.select().from(needLinks).where(eq(needLinks.targetId, referral.id));
    expect(linked).toMatchObject({ needId: need.id, kind: 'referral', unlinkedAt: null });
    const [needNow] = await t.database.db.select().from(needs).where(eq(needs.id, need.id));
    expect(needNow!.status).toBe('being-addressed');

    // No SMTP here: the email waits in the outbox, and only the hash of its token is stored.
    const [mail] = await outboxTo(email);
    expect(mail!.subject).toBe(`New referral from ${scene.organization.name}: Emergency groceries`);
    const token = /https:\/\/kith\.hospital\.test\/referral-response\/([\w-]+\.[\w-]+)/.exec(
      mail!.textBody,
    )![1]!;
    const [link] = await t.database.db
      .select()
      .from(referralLinks)
      .where(eq(referralLinks.referralId, referral.id));
    expect(link!.tokenHash).toBe(hashLinkPart(token.split('.')[0]!));
    expect(JSON.stringify(link)).not.toContain(token.split('.')[0]);

    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.recordId, referral.id), eq(timelineEvents.kind, 'referral')));
    expect(entries.map((e) => e.summary)).toEqual([`Referral to ${pantry.name} (Emergency groceries): Sent`]);
    const audits = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.recordId, referral.id));
    expect(audits.map((a) => a.action).sort()).toEqual(['referral.create', 'referral.transition']);
  });

  it('sends one referral per service at once, and notifies the partner accounts of an organisation that has them', async () => {
    const scene = await referralScene(t);
    const partner = await buildUser(t, { organization: scene.organization, role: 'community_partner' });
    const second = await insertDirectoryService(t, scene.organization, {
      name: 'Hot meals',
      referralEmail: null,
    });
    await addPartnerMember(t, scene.organization, partner.id, second.organization.id);
    await insertConsent(t, scene.patient, second.organization.id, scene.user.id);
    const res = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id, {
        services: [{ serviceId: scene.service.id }, { serviceId: second.service.id }],
      }),
    );
    expect(res.statusCode).toBe(201);
    const [toPantry, toMeals] = res.json().items;
    expect([toPantry.service.name, toMeals.service.name]).toEqual(['Emergency groceries', 'Hot meals']);
    expect(toMeals).toMatchObject({ status: 'requested', link: null });
    const [bell] = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.userId, partner.id));
    expect(bell).toMatchObject({
      kind: 'referral-received',
      title: 'New referral for Hot meals',
      link: `/partner/referrals/${toMeals.id}`,
    });
  });

  it('keeps drafts when asked: no link, no email, and a draft to an organisation nobody can reach', async () => {
    const scene = await referralScene(t, { referralEmail: null });
    const draft = await refer(scene, { send: false });
    expect(draft).toMatchObject({
      status: 'draft',
      link: null,
      requestedAt: null,
      actions: ['send', 'cancel', 'enter-in-error'],
    });

    // Sending it needs a way to reach the organisation: 422, and nothing changes.
    const refused = await transition(scene.worker, draft.id, { action: 'send', version: draft.version });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().errors[0]).toMatchObject({
      field: 'action',
      message: expect.stringContaining('no referral email'),
    });
    const [row] = await t.database.db.select().from(referrals).where(eq(referrals.id, draft.id));
    expect(row).toMatchObject({ status: 'draft', version: draft.version });
  });

  it('refuses a service not in the directory, inactive, or at a location that is not its own (422 naming the field)', async () => {
    const scene = await referralScene(t);
    const otherTenant = await insertDirectoryService(t, await buildOrganization(t));
    const inactive = await insertDirectoryService(t, scene.organization, {
      status: 'inactive',
      organization: scene.pantry,
    });
    const elsewhere = await insertDirectoryService(t, scene.organization, {
      organization: scene.pantry,
      name: 'Other',
    });
    const res = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id, {
        services: [
          { serviceId: '01900000-0000-7000-8000-000000000000' },
          { serviceId: otherTenant.service.id },
          { serviceId: inactive.service.id },
          { serviceId: scene.service.id, locationId: elsewhere.location.id },
        ],
      }),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'services.0.serviceId', message: 'is not a service of your directory' },
      { field: 'services.1.serviceId', message: 'is not a service of your directory' },
      { field: 'services.2.serviceId', message: 'is not active (inactive)' },
      { field: 'services.3.locationId', message: 'is not a place where this service is offered' },
    ]);
    expect(await t.database.db.select().from(referrals).where(eq(referrals.needId, scene.need.id))).toEqual(
      [],
    );
  });

  it('refuses without a consent in force: none, expired, withdrawn, or too narrow (422 consent naming the organisation)', async () => {
    const scene = await referralScene(t, { consent: false });
    const attempt = () =>
      scene.worker.post(`/api/needs/${scene.need.id}/referrals`, referralBody(scene.service.id));
    const refused = async () => {
      const res = await attempt();
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({
        type: 'urn:kith:problem:consent-required',
        title: `The patient has not agreed to share with ${scene.pantry.name}`,
        errors: [{ field: 'consent', message: expect.stringContaining(scene.pantry.name) }],
      });
    };
    await refused();
    await insertConsent(t, scene.patient, scene.pantry.id, scene.user.id, { expiresOn: '2024-01-01' });
    await refused();
    await insertConsent(t, scene.patient, scene.pantry.id, scene.user.id, { revokedAt: new Date() });
    await refused();
    await insertConsent(t, scene.patient, scene.pantry.id, scene.user.id, { shares: ['name', 'need'] });
    await refused();
    expect(await t.database.db.select().from(referrals).where(eq(referrals.needId, scene.need.id))).toEqual(
      [],
    );
    await insertConsent(t, scene.patient, scene.pantry.id, scene.user.id);
    expect((await attempt()).statusCode).toBe(201);
  });

  it('refuses to send to an organisation with neither a referral email nor partner accounts (422)', async () => {
    const scene = await referralScene(t, { referralEmail: null });
    const res = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id),
    );
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      {
        field: 'services.0.serviceId',
        message: expect.stringContaining('has no referral email nor partner accounts'),
      },
    ]);
  });

  it('answers 409 for a closed need, 403 outside the care team, 404 for another organisation’s need', async () => {
    const scene = await referralScene(t);
    await t.database.db.update(needs).set({ status: 'resolved' }).where(eq(needs.id, scene.need.id));
    const closed = await scene.worker.post(
      `/api/needs/${scene.need.id}/referrals`,
      referralBody(scene.service.id),
    );
    expect(closed.statusCode).toBe(409);
    expect(closed.json().type).toBe('urn:kith:problem:need-closed');

    const open = await insertOpenNeed(t, scene.patient, 'housing-instability');
    const outsider = await signIn(t, await buildUser(t, { organization: scene.organization }));
    expect(
      (await outsider.post(`/api/needs/${open.id}/referrals`, referralBody(scene.service.id))).statusCode,
    ).toBe(403);
    const stranger = await referralScene(t);
    expect(
      (await stranger.worker.post(`/api/needs/${open.id}/referrals`, referralBody(scene.service.id)))
        .statusCode,
    ).toBe(404);
  });
});
