// Rows the referrals tests build on, inserted directly: referrals must not depend on the directory's import.

import { asc, eq } from 'drizzle-orm';
import { SHARE_ITEM_KEYS } from '../../../domain/referrals.ts';
import type { ReferralStatus } from '../../../domain/workflows/referral.ts';
import { newId } from '../../platform/ids.ts';
import type { organizations } from '../../platform/platform.tables.ts';
import { mailOutbox } from '../../platform/platform.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  type Client,
  signIn,
  type TestContext,
} from '../../test/harness.ts';
import { needs } from '../needs/needs.tables.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPartnerMembers,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { referralConsents, referralEvents, referrals } from './referrals.tables.ts';

type Tenant = { id: string };
const provenance = () => ({ source: 'test', externalId: newId() });

/** A community organisation of the tenant's directory, with a referral email unless told `null`. */
export async function insertDirectoryOrganization(
  t: TestContext,
  tenant: Tenant,
  over: { name?: string; referralEmail?: string | null } = {},
) {
  const [org] = await t.database.db
    .insert(directoryOrganizations)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      name: over.name ?? `Community Pantry ${newId().slice(-4)}`,
      referralEmail: over.referralEmail === undefined ? 'referrals@pantry.example' : over.referralEmail,
    })
    .returning();
  return org!;
}

/** A service of a directory organisation offered at one location of its own (address in Boston). */
export async function insertDirectoryService(
  t: TestContext,
  tenant: Tenant,
  over: {
    organization?: typeof directoryOrganizations.$inferSelect;
    name?: string;
    status?: string;
    domains?: string[];
    referralEmail?: string | null;
  } = {},
) {
  const organization =
    over.organization ??
    (await insertDirectoryOrganization(t, tenant, { referralEmail: over.referralEmail }));
  const db = t.database.db;
  const [service] = await db
    .insert(directoryServices)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      directoryOrganizationId: organization.id,
      name: over.name ?? 'Emergency groceries',
      status: over.status ?? 'active',
      domains: over.domains ?? ['food-insecurity'],
    })
    .returning();
  const [location] = await db
    .insert(directoryLocations)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      directoryOrganizationId: organization.id,
      name: 'Pantry',
    })
    .returning();
  await db.insert(directoryAddresses).values({
    organizationId: tenant.id,
    ...provenance(),
    locationId: location!.id,
    address1: '12 Harbor St',
    city: 'Boston',
    stateProvince: 'MA',
    postalCode: '02118',
    country: 'US',
    addressType: 'physical',
  });
  await db.insert(directoryServiceAtLocations).values({
    organizationId: tenant.id,
    ...provenance(),
    serviceId: service!.id,
    locationId: location!.id,
  });
  return { organization, service: service!, location: location! };
}

/** Lets a community partner account answer for a directory organisation. */
export async function addPartnerMember(
  t: TestContext,
  tenant: Tenant,
  userId: string,
  directoryOrganizationId: string,
) {
  await t.database.db
    .insert(directoryPartnerMembers)
    .values({ organizationId: tenant.id, userId, directoryOrganizationId });
}

/** A consent in force, covering everything, straight into the table. */
export async function insertConsent(
  t: TestContext,
  patient: { id: string; organizationId: string },
  directoryOrganizationId: string,
  recordedBy: string,
  over: Partial<typeof referralConsents.$inferInsert> = {},
) {
  const [consent] = await t.database.db
    .insert(referralConsents)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      directoryOrganizationId,
      shares: [...SHARE_ITEM_KEYS],
      method: 'verbal',
      givenBy: 'patient',
      givenAt: new Date(),
      expiresOn: '2099-12-31',
      recordedBy,
      ...over,
    })
    .returning();
  return consent!;
}

/** A referral in any status, as if it had got there, with its last event. */
export async function insertReferral(
  t: TestContext,
  input: {
    patient: { id: string; organizationId: string };
    needId: string;
    service: { id: string; directoryOrganizationId: string };
    requestedBy: string;
    status: ReferralStatus;
    statusChangedAt?: Date;
  },
) {
  const at = input.statusChangedAt ?? new Date();
  const [row] = await t.database.db
    .insert(referrals)
    .values({
      organizationId: input.patient.organizationId,
      patientId: input.patient.id,
      needId: input.needId,
      serviceId: input.service.id,
      directoryOrganizationId: input.service.directoryOrganizationId,
      status: input.status,
      contactPreferences: { methods: ['phone'] },
      requestedBy: input.requestedBy,
      requestedAt: input.status === 'draft' ? null : at,
      statusChangedAt: at,
    })
    .returning();
  await t.database.db.insert(referralEvents).values({
    organizationId: input.patient.organizationId,
    referralId: row!.id,
    fromStatus: null,
    toStatus: input.status,
    actorKind: 'user',
    actorId: input.requestedBy,
    at,
  });
  return row!;
}

/** An open need of the patient, as a screen would have found it. */
export async function insertOpenNeed(
  t: TestContext,
  patient: { id: string; organizationId: string },
  domain = 'food-insecurity',
) {
  const at = new Date();
  const [need] = await t.database.db
    .insert(needs)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      domain,
      status: 'identified',
      identifiedAt: at,
      lastFoundAt: at,
      statusChangedAt: at,
    })
    .returning();
  return need!;
}

/**
 * A social worker signed in, a patient on their care team with an open food need, a pantry service in the
 * directory (with a referral email unless `referralEmail: null`) and, unless `consent: false`, the patient's
 * consent to share everything with the pantry.
 */
export async function referralScene(
  t: TestContext,
  opts: {
    organization?: typeof organizations.$inferSelect;
    referralEmail?: string | null;
    consent?: boolean;
    shares?: string[];
  } = {},
) {
  const organization = opts.organization ?? (await buildOrganization(t));
  const user = await buildUser(t, { organization });
  const patient = await buildPatient(t, { organization, careTeam: [user] });
  const need = await insertOpenNeed(t, patient);
  const {
    organization: pantry,
    service,
    location,
  } = await insertDirectoryService(t, organization, {
    referralEmail: opts.referralEmail,
  });
  const consent =
    opts.consent === false
      ? null
      : await insertConsent(t, patient, pantry.id, user.id, opts.shares ? { shares: opts.shares } : {});
  return {
    organization,
    user,
    patient,
    need,
    pantry,
    service,
    location,
    consent,
    worker: await signIn(t, user),
  };
}

/** The body of a referral of one service, sent unless told otherwise. */
export const referralBody = (serviceId: string, over: Record<string, unknown> = {}) => ({
  services: [{ serviceId }],
  note: 'Lives alone since March; runs out of food by the 20th',
  contactPreferences: { methods: ['phone'], phone: '617-555-0142', bestTimes: 'Mornings', language: 'es' },
  ...over,
});

type Scene = Awaited<ReturnType<typeof referralScene>>;

/** Sends the scene's referral through the API as its worker and gives back the referral (201 or it throws). */
export async function sendReferral(scene: Scene, over: Record<string, unknown> = {}) {
  const res = await scene.worker.post(
    `/api/needs/${scene.need.id}/referrals`,
    referralBody(scene.service.id, over),
  );
  if (res.statusCode !== 201) throw new Error(`the referral was not sent: ${res.statusCode} ${res.body}`);
  return res.json().items[0];
}

/** `POST /api/referrals/:referralId/transition` as `client`. */
export const transitionReferral = (client: Client, referralId: string, body: Record<string, unknown>) =>
  client.post(`/api/referrals/${referralId}/transition`, body);

/** The mail queued for one address, oldest first. */
export const outboxTo = (t: TestContext, address: string) =>
  t.database.db
    .select()
    .from(mailOutbox)
    .where(eq(mailOutbox.toAddress, address))
    .orderBy(asc(mailOutbox.createdAt));
