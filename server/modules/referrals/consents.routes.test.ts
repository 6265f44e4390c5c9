import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { buildOrganization, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import {
  insertConsent,
  insertDirectoryOrganization,
  insertReferral,
  referralScene,
} from './referrals.fixtures.ts';
import { referralLinks } from './referrals.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const consentBody = (directoryOrganizationId: string, over: Record<string, unknown> = {}) => ({
  directoryOrganizationId,
  shares: ['name', 'contact', 'need', 'language'],
  method: 'verbal',
  givenBy: 'Patient',
  expiresOn: '2099-06-30',
  ...over,
});

describe('POST /api/patients/:patientId/referral-consents', () => {
  it('records what the patient agreed to share, in force, on the timeline and in the audit trail (201)', async () => {
    const { patient, pantry, worker, user } = await referralScene(t, { consent: false });
    const res = await worker.post(`/api/patients/${patient.id}/referral-consents`, consentBody(pantry.id));
    expect(res.statusCode).toBe(201);
    const consent = res.json();
    expect(consent).toMatchObject({
      patientId: patient.id,
      directoryOrganization: { id: pantry.id, name: pantry.name },
      shares: ['name', 'contact', 'need', 'language'],
      method: 'verbal',
      givenBy: 'Patient',
      expiresOn: '2099-06-30',
      recordedBy: { id: user.id },
      revokedAt: null,
      inForce: true,
    });
    const [entry] = await t.database.db
      .select()
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, consent.id));
    expect(entry).toMatchObject({
      kind: 'referral',
      summary: expect.stringContaining(`share with ${pantry.name}`),
    });
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, consent.id), eq(auditEvents.action, 'referral-consent.create')));
    expect(audit).toMatchObject({ actorUserId: user.id, patientId: patient.id });
  });

  it('answers 422 naming each field: too narrow to refer, already expired, not in the directory', async () => {
    const { patient, pantry, worker } = await referralScene(t, { consent: false });
    const narrow = await worker.post(
      `/api/patients/${patient.id}/referral-consents`,
      consentBody(pantry.id, { shares: ['name', 'need'] }),
    );
    expect(narrow.statusCode).toBe(422);
    expect(narrow.json().errors).toEqual([
      { field: 'shares', message: expect.stringMatching(/must include/) },
    ]);

    const expired = await worker.post(
      `/api/patients/${patient.id}/referral-consents`,
      consentBody(pantry.id, { expiresOn: '2020-01-01' }),
    );
    expect(expired.statusCode).toBe(422);
    expect(expired.json().errors).toEqual([{ field: 'expiresOn', message: 'must be today or later' }]);

    // Another hospital's directory organisation is not in this one's directory.
    const elsewhere = await insertDirectoryOrganization(t, await buildOrganization(t));
    const foreign = await worker.post(
      `/api/patients/${patient.id}/referral-consents`,
      consentBody(elsewhere.id),
    );
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().errors[0].field).toBe('directoryOrganizationId');

    const unknownShare = await worker.post(
      `/api/patients/${patient.id}/referral-consents`,
      consentBody(pantry.id, { shares: ['name', 'contact', 'need', 'diagnosis'] }),
    );
    expect(unknownShare.statusCode).toBe(422);
    expect(unknownShare.json().errors[0].field).toBe('shares.3');
  });

  it('returns 403 to a worker outside the care team and to a clinician, and records nothing', async () => {
    const { organization, patient, pantry } = await referralScene(t, { consent: false });
    const outsider = await signIn(t, await buildUser(t, { organization }));
    const denied = await outsider.post(
      `/api/patients/${patient.id}/referral-consents`,
      consentBody(pantry.id),
    );
    expect(denied.statusCode).toBe(403);
    const clinician = await signIn(t, await buildUser(t, { organization, role: 'clinician' }));
    expect(
      (await clinician.post(`/api/patients/${patient.id}/referral-consents`, consentBody(pantry.id)))
        .statusCode,
    ).toBe(403);
    const listed = await (await signIn(t, await buildUser(t, { organization, role: 'supervisor' }))).get(
      `/api/patients/${patient.id}/referral-consents`,
    );
    expect(listed.json().items).toEqual([]);
  });
});

describe('GET /api/patients/:patientId/referral-consents', () => {
  it('lists every consent newest first, saying which are in force', async () => {
    const { patient, pantry, user, worker } = await referralScene(t, { consent: false });
    const old = await insertConsent(t, patient, pantry.id, user.id, {
      expiresOn: '2021-01-31',
      givenAt: new Date('2020-02-01T15:00:00Z'),
    });
    const narrow = await insertConsent(t, patient, pantry.id, user.id, {
      shares: ['name'],
      givenAt: new Date('2024-02-01T15:00:00Z'),
    });
    const current = await insertConsent(t, patient, pantry.id, user.id);
    const res = await worker.get(`/api/patients/${patient.id}/referral-consents`);
    expect(res.statusCode).toBe(200);
    expect(res.json().items.map((c: { id: string; inForce: boolean }) => [c.id, c.inForce])).toEqual([
      [current.id, true],
      [narrow.id, false],
      [old.id, false],
    ]);
  });
});

describe('POST /api/referral-consents/:consentId/revoke', () => {
  it('withdraws the consent and stops the links of the active referrals to that organisation, not others', async () => {
    const { patient, service, need, user, worker, consent } = await referralScene(t);
    const active = await insertReferral(t, {
      patient,
      needId: need.id,
      service,
      requestedBy: user.id,
      status: 'accepted',
    });
    const ended = await insertReferral(t, {
      patient,
      needId: need.id,
      service,
      requestedBy: user.id,
      status: 'completed',
    });
    const link = (referralId: string, hash: string) =>
      t.database.db
        .insert(referralLinks)
        .values({
          organizationId: patient.organizationId,
          referralId,
          tokenHash: hash,
          sentTo: 'referrals@pantry.example',
          expiresAt: new Date(Date.now() + 86_400_000),
        })
        .returning();
    const [activeLink] = await link(active.id, `hash-a-${active.id}`);
    const [endedLink] = await link(ended.id, `hash-e-${ended.id}`);

    const res = await worker.post(`/api/referral-consents/${consent!.id}/revoke`, {
      reason: 'Patient asked us to stop sharing',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: consent!.id, inForce: false, revokedAt: expect.any(String) });
    const [after] = await t.database.db
      .select()
      .from(referralLinks)
      .where(eq(referralLinks.id, activeLink!.id));
    expect(after!.revokedAt).not.toBeNull();
    const [untouched] = await t.database.db
      .select()
      .from(referralLinks)
      .where(eq(referralLinks.id, endedLink!.id));
    expect(untouched!.revokedAt).toBeNull();
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.recordId, consent!.id), eq(auditEvents.action, 'referral-consent.revoke')));
    expect(audit).toMatchObject({
      reason: 'Patient asked us to stop sharing',
      detail: { linksRevoked: [activeLink!.id] },
    });

    const again = await worker.post(`/api/referral-consents/${consent!.id}/revoke`, { reason: 'Twice' });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toBe('urn:kith:problem:consent-revoked');
  });

  it('answers 404 for another organisation’s consent and 422 without a reason', async () => {
    const { consent, worker } = await referralScene(t);
    expect((await worker.post(`/api/referral-consents/${consent!.id}/revoke`, {})).statusCode).toBe(422);
    const other = await referralScene(t);
    expect(
      (await other.worker.post(`/api/referral-consents/${consent!.id}/revoke`, { reason: 'x' })).statusCode,
    ).toBe(404);
  });
});
