// Rows the placement tests build on, inserted directly: a stay with its discharge plan, post-acute providers.

import { eq } from 'drizzle-orm';
import { newId } from '../../platform/ids.ts';
import { buildOrganization, buildPatient, buildUser, signIn, type TestContext } from '../../test/harness.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { patients } from '../patients/patients.tables.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { dischargePlans, postAcuteRatings } from './discharge.tables.ts';

type Tenant = { id: string };
const provenance = () => ({ source: 'test', externalId: newId() });

/** A post-acute provider with one location at a point, an address, and ratings. */
export async function insertProvider(
  t: TestContext,
  tenant: Tenant,
  over: {
    name: string;
    kind: string;
    latitude: number;
    longitude: number;
    postalCode?: string;
    capabilities?: string[];
    eligibility?: Record<string, unknown>;
    status?: string;
    stars?: number;
    referralEmail?: string | null;
    financialInterest?: string | null;
  },
) {
  const db = t.database.db;
  const [org] = await db
    .insert(directoryOrganizations)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      name: over.name,
      referralEmail:
        over.referralEmail === undefined
          ? `intake-${newId().slice(-6)}@provider.example`
          : over.referralEmail,
    })
    .returning();
  const [service] = await db
    .insert(directoryServices)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      directoryOrganizationId: org!.id,
      name: over.name,
      status: over.status ?? 'active',
      postAcuteKind: over.kind,
      postAcuteCapabilities: over.capabilities ?? [],
      postAcuteFinancialInterest: over.financialInterest ?? null,
      eligibility: over.eligibility ?? {},
    })
    .returning();
  const [location] = await db
    .insert(directoryLocations)
    .values({
      organizationId: tenant.id,
      ...provenance(),
      directoryOrganizationId: org!.id,
      name: over.name,
      latitude: over.latitude,
      longitude: over.longitude,
    })
    .returning();
  await db.insert(directoryAddresses).values({
    organizationId: tenant.id,
    ...provenance(),
    locationId: location!.id,
    address1: '1 Care Way',
    city: 'Boston',
    stateProvince: 'MA',
    postalCode: over.postalCode ?? '02118',
    country: 'US',
    addressType: 'physical',
  });
  await db.insert(directoryServiceAtLocations).values({
    organizationId: tenant.id,
    ...provenance(),
    serviceId: service!.id,
    locationId: location!.id,
  });
  if (over.stars) {
    await db.insert(postAcuteRatings).values({
      organizationId: tenant.id,
      serviceId: service!.id,
      measure: 'overall',
      value: String(over.stars),
      source: 'CMS Care Compare',
      asOf: '2025-01-01',
    });
  }
  return { organization: org!, service: service! };
}

/**
 * A social worker signed in, an inpatient of theirs living in Boston (02118) with Medicare, admitted, with
 * an open discharge plan.
 */
export async function placementScene(t: TestContext) {
  const organization = await buildOrganization(t);
  const user = await buildUser(t, { organization });
  const patient = await buildPatient(t, { organization, careTeam: [user] });
  await t.database.db
    .update(patients)
    .set({
      address: { line1: '5 Shawmut Ave', city: 'Boston', state: 'MA', postalCode: '02118' },
      insurance: [{ payerType: 'medicare', payerName: 'Medicare', memberId: '1EG4TE5MK73' }],
    })
    .where(eq(patients.id, patient.id));
  const [encounter] = await t.database.db
    .insert(encounters)
    .values({
      organizationId: organization.id,
      patientId: patient.id,
      encounterClass: 'inpatient',
      status: 'in-progress',
      admittedAt: new Date('2025-03-01T10:00:00Z'),
    })
    .returning();
  const [plan] = await t.database.db
    .insert(dischargePlans)
    .values({
      organizationId: organization.id,
      patientId: patient.id,
      encounterId: encounter!.id,
      createdBy: user.id,
    })
    .returning();
  return { organization, user, patient, encounter: encounter!, plan: plan!, worker: await signIn(t, user) };
}
