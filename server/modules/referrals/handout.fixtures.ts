// Directory rows and a referral the handout tests build on, inserted directly: the handout must not depend
// on the import or the referral routes.
import { inflateSync } from 'node:zlib';
import { and, eq } from 'drizzle-orm';
import { newId } from '../../platform/ids.ts';
import type { TestContext } from '../../test/harness.ts';
import { needs } from '../needs/needs.tables.ts';
import {
  directoryAddresses,
  directoryLocations,
  directoryOrganizations,
  directoryPhones,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAtLocations,
  directoryServices,
} from '../resources/resources.tables.ts';
import { referrals } from './referrals.tables.ts';

const SOURCE = 'handout-test';
const provenance = (organizationId: string) => ({ organizationId, source: SOURCE, externalId: newId() });

export interface ServiceFixture {
  name: string;
  organizationName?: string;
  address?: { line1: string; city: string; state: string; postalCode: string } | null;
  phone?: string;
  schedules?: { byday: string; opensAt: string; closesAt: string }[];
  documents?: string[];
  status?: string;
  url?: string;
}

/** A service of the tenant's directory at one location, with its phone, weekly hours and documents to bring. */
export async function insertService(t: TestContext, organizationId: string, f: ServiceFixture) {
  const db = t.database.db;
  const [org] = await db
    .insert(directoryOrganizations)
    .values({ ...provenance(organizationId), name: f.organizationName ?? `${f.name} Inc.` })
    .returning();
  const [service] = await db
    .insert(directoryServices)
    .values({
      ...provenance(organizationId),
      directoryOrganizationId: org!.id,
      name: f.name,
      status: f.status ?? 'active',
      url: f.url ?? null,
    })
    .returning();
  let locationId: string | null = null;
  if (f.address !== null) {
    const address = f.address ?? { line1: '10 Main St', city: 'Boston', state: 'MA', postalCode: '02118' };
    const [location] = await db
      .insert(directoryLocations)
      .values({ ...provenance(organizationId), directoryOrganizationId: org!.id, name: `${f.name} site` })
      .returning();
    locationId = location!.id;
    await db.insert(directoryAddresses).values({
      ...provenance(organizationId),
      locationId,
      address1: address.line1,
      city: address.city,
      stateProvince: address.state,
      postalCode: address.postalCode,
      country: 'US',
      addressType: 'physical',
    });
    await db
      .insert(directoryServiceAtLocations)
      .values({ ...provenance(organizationId), serviceId: service!.id, locationId });
  }
  if (f.phone) {
    await db
      .insert(directoryPhones)
      .values({ ...provenance(organizationId), serviceId: service!.id, number: f.phone });
  }
  for (const s of f.schedules ?? []) {
    await db
      .insert(directorySchedules)
      .values({ ...provenance(organizationId), serviceId: service!.id, freq: 'WEEKLY', ...s });
  }
  for (const document of f.documents ?? []) {
    await db
      .insert(directoryRequiredDocuments)
      .values({ ...provenance(organizationId), serviceId: service!.id, document });
  }
  return { serviceId: service!.id, locationId, directoryOrganizationId: org!.id };
}

/** A referral of the patient to the service (sent, under an open need). */
export async function insertReferral(
  t: TestContext,
  patient: { id: string; organizationId: string },
  worker: { id: string },
  service: { serviceId: string; locationId: string | null; directoryOrganizationId: string },
) {
  const db = t.database.db;
  const now = new Date();
  const [need] = await db
    .insert(needs)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      domain: 'food-insecurity',
      status: 'being-addressed',
      identifiedAt: now,
      lastFoundAt: now,
      statusChangedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  const [referral] = await db
    .insert(referrals)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      needId:
        need?.id ??
        (
          await db
            .select({ id: needs.id })
            .from(needs)
            .where(and(eq(needs.patientId, patient.id), eq(needs.domain, 'food-insecurity')))
        )[0]!.id,
      serviceId: service.serviceId,
      locationId: service.locationId,
      directoryOrganizationId: service.directoryOrganizationId,
      status: 'requested',
      requestedBy: worker.id,
      requestedAt: now,
      statusChangedAt: now,
    })
    .returning();
  return referral!;
}

/**
 * The text a PDF draws, page by page, from its content streams (inflated when compressed): the hex strings of
 * each TJ operator decoded as WinAnsi, one line per operator.
 */
export function pdfText(pdf: Buffer): string {
  const raw = pdf.toString('latin1');
  const decoder = new TextDecoder('windows-1252');
  const lines: string[] = [];
  for (const match of raw.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    const bytes = Buffer.from(match[1]!, 'latin1');
    let content: string;
    try {
      content = inflateSync(bytes).toString('latin1');
    } catch {
      content = bytes.toString('latin1');
    }
    for (const tj of content.matchAll(/\[([^\]]*)\]\s*TJ/g)) {
      const hex = [...tj[1]!.matchAll(/<([0-9a-fA-F]*)>/g)].map((h) => h[1]).join('');
      lines.push(decoder.decode(Buffer.from(hex, 'hex')));
    }
  }
  return lines.join('\n');
}
