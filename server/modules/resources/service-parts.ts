import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { ServiceWrite } from '../../../domain/schemas/resources.ts';
import type { Tx } from '../../db/client.ts';
import { newId } from '../../platform/ids.ts';
import { APP_SOURCE } from './hsds/import.ts';
import { languageName } from './hsds/legacy.ts';
import {
  directoryAttributes,
  directoryCostOptions,
  directoryLanguages,
  directoryPhones,
  directoryRequiredDocuments,
  directorySchedules,
  directoryServiceAreas,
  directoryServiceAtLocations,
  type directoryServices,
  directoryTaxonomyTerms,
} from './resources.tables.ts';
import { removeSearchDocs } from './search.index.ts';
import { costsNothing, ownLanguages, scheduleOfService, serviceAttributes } from './service-detail.ts';

type ServiceRow = typeof directoryServices.$inferSelect;

/** Rows of the app are keyed like imported ones: source `kith`, their HSDS id their own id. */
const made = (organizationId: string) => {
  const id = newId();
  return { id, organizationId, source: APP_SOURCE, externalId: id };
};

/** Everything of a service beyond its own row, replaced by what the body says. */
export async function writeParts(tx: Tx, service: ServiceRow, body: ServiceWrite): Promise<void> {
  const own = made.bind(null, service.organizationId);
  // Languages the service itself speaks, by code.
  const languages = await tx
    .select({ id: directoryLanguages.id, code: directoryLanguages.code })
    .from(directoryLanguages)
    .where(ownLanguages(service.id));
  const wanted = new Set(body.languages);
  const dropped = languages.filter((l) => l.code && !wanted.has(l.code)).map((l) => l.id);
  if (dropped.length) await tx.delete(directoryLanguages).where(inArray(directoryLanguages.id, dropped));
  const spoken = new Set(languages.map((l) => l.code));
  const added = [...wanted].filter((code) => !spoken.has(code));
  if (added.length) {
    await tx
      .insert(directoryLanguages)
      .values(added.map((code) => ({ ...own(), serviceId: service.id, code, name: languageName(code) })));
  }
  // Required documents, by their text.
  const documents = await tx
    .select()
    .from(directoryRequiredDocuments)
    .where(eq(directoryRequiredDocuments.serviceId, service.id));
  const wantedDocs = new Set(body.requiredDocuments);
  const staleDocs = documents.filter((d) => !wantedDocs.has(d.document)).map((d) => d.id);
  if (staleDocs.length)
    await tx.delete(directoryRequiredDocuments).where(inArray(directoryRequiredDocuments.id, staleDocs));
  const held = new Set(documents.map((d) => d.document));
  const newDocs = [...wantedDocs].filter((d) => !held.has(d));
  if (newDocs.length) {
    await tx
      .insert(directoryRequiredDocuments)
      .values(newDocs.map((document) => ({ ...own(), serviceId: service.id, document })));
  }
  await writeTaxonomy(tx, service, body.taxonomyCodes);
  await writePhone(tx, service, body.phone);
  await writeLocations(tx, service, body.locationIds);
  await writeSchedules(tx, service, body.schedules);
  await writeCost(tx, service, body.free);
}

/** Taxonomy codes as attributes of the service (in its source, so that an export links them). */
async function writeTaxonomy(tx: Tx, service: ServiceRow, codes: string[]): Promise<void> {
  const current = await tx
    .select({ id: directoryAttributes.id, code: directoryTaxonomyTerms.code })
    .from(directoryAttributes)
    .innerJoin(directoryTaxonomyTerms, eq(directoryTaxonomyTerms.id, directoryAttributes.taxonomyTermId))
    .where(serviceAttributes(service));
  const wanted = new Set(codes);
  const stale = current.filter((c) => !c.code || !wanted.has(c.code)).map((c) => c.id);
  if (stale.length) await tx.delete(directoryAttributes).where(inArray(directoryAttributes.id, stale));
  const have = new Set(current.map((c) => c.code));
  const missing = [...wanted].filter((c) => !have.has(c));
  if (!missing.length) return;
  // The term of each code, from the service's own source first.
  const terms = await tx
    .select({
      id: directoryTaxonomyTerms.id,
      code: directoryTaxonomyTerms.code,
      source: directoryTaxonomyTerms.source,
    })
    .from(directoryTaxonomyTerms)
    .where(
      and(
        eq(directoryTaxonomyTerms.organizationId, service.organizationId),
        inArray(directoryTaxonomyTerms.code, missing),
      ),
    )
    .orderBy(
      sql`${directoryTaxonomyTerms.source} = ${service.source} desc`,
      asc(directoryTaxonomyTerms.createdAt),
    );
  const termOf = new Map<string, string>();
  for (const t of terms) if (t.code && !termOf.has(t.code)) termOf.set(t.code, t.id);
  await tx.insert(directoryAttributes).values(
    missing.map((code) => {
      const id = newId();
      return {
        id,
        organizationId: service.organizationId,
        source: service.source,
        externalId: id,
        linkEntity: 'service',
        linkExternalId: service.externalId,
        taxonomyTermId: termOf.get(code)!,
      };
    }),
  );
}

/** The service's phone: its first phone's number; cleared, every phone of the service goes. */
async function writePhone(tx: Tx, service: ServiceRow, phone: string | null | undefined): Promise<void> {
  if (phone === undefined) return;
  const phones = await tx
    .select({ id: directoryPhones.id, number: directoryPhones.number })
    .from(directoryPhones)
    .where(eq(directoryPhones.serviceId, service.id))
    .orderBy(asc(directoryPhones.createdAt), asc(directoryPhones.externalId));
  if (!phone) {
    await deletePhones(
      tx,
      phones.map((p) => p.id),
    );
  } else if (phones[0]) {
    if (phones[0].number !== phone)
      await tx
        .update(directoryPhones)
        .set({ number: phone, updatedAt: new Date() })
        .where(eq(directoryPhones.id, phones[0].id));
  } else {
    await tx
      .insert(directoryPhones)
      .values({ ...made(service.organizationId), serviceId: service.id, number: phone, type: 'voice' });
  }
}

async function deletePhones(tx: Tx, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await tx.delete(directoryLanguages).where(inArray(directoryLanguages.phoneId, ids));
  await tx.delete(directoryPhones).where(inArray(directoryPhones.id, ids));
}

/**
 * Where the service is offered. A location taken off moves what hung on it there (schedules, areas) to the
 * service itself, unlinks its phones (deleting those left linked to nothing) and drops its search documents.
 */
async function writeLocations(tx: Tx, service: ServiceRow, locationIds: string[]): Promise<void> {
  const current = await tx
    .select({ id: directoryServiceAtLocations.id, locationId: directoryServiceAtLocations.locationId })
    .from(directoryServiceAtLocations)
    .where(eq(directoryServiceAtLocations.serviceId, service.id));
  const wanted = new Set(locationIds);
  const removed = current.filter((c) => !wanted.has(c.locationId)).map((c) => c.id);
  if (removed.length) {
    await tx
      .update(directorySchedules)
      .set({ serviceAtLocationId: null, serviceId: service.id })
      .where(inArray(directorySchedules.serviceAtLocationId, removed));
    await tx
      .update(directoryServiceAreas)
      .set({ serviceAtLocationId: null, serviceId: service.id })
      .where(inArray(directoryServiceAreas.serviceAtLocationId, removed));
    const unlinked = await tx
      .update(directoryPhones)
      .set({ serviceAtLocationId: null })
      .where(inArray(directoryPhones.serviceAtLocationId, removed))
      .returning();
    await deletePhones(
      tx,
      unlinked
        .filter((p) => !p.serviceId && !p.locationId && !p.directoryOrganizationId && !p.contactExternalId)
        .map((p) => p.id),
    );
    // Its search documents point at the service-at-location: gone first, written again by the reindex.
    await removeSearchDocs(tx, service.organizationId, [service.id]);
    await tx.delete(directoryServiceAtLocations).where(inArray(directoryServiceAtLocations.id, removed));
  }
  const offered = new Set(current.map((c) => c.locationId));
  const added = [...wanted].filter((id) => !offered.has(id));
  if (added.length) {
    await tx
      .insert(directoryServiceAtLocations)
      .values(
        added.map((locationId) => ({ ...made(service.organizationId), serviceId: service.id, locationId })),
      );
  }
}

/** The service's schedules: those with an id are changed in place, new ones added, the others removed. */
async function writeSchedules(
  tx: Tx,
  service: ServiceRow,
  schedules: ServiceWrite['schedules'],
): Promise<void> {
  const keep = schedules.map((s) => s.id).filter((id): id is string => Boolean(id));
  await tx
    .delete(directorySchedules)
    .where(
      and(scheduleOfService(service.id), keep.length ? notInArray(directorySchedules.id, keep) : undefined),
    );
  for (const s of schedules) {
    const fields = {
      freq: s.freq,
      byday: s.byday ?? null,
      opensAt: s.opensAt ?? null,
      closesAt: s.closesAt ?? null,
      validFrom: s.validFrom ?? null,
      validTo: s.validTo ?? null,
      description: s.description ?? null,
    };
    if (s.id)
      await tx
        .update(directorySchedules)
        .set({ ...fields, updatedAt: new Date() })
        .where(eq(directorySchedules.id, s.id));
    else
      await tx
        .insert(directorySchedules)
        .values({ ...made(service.organizationId), serviceId: service.id, ...fields });
  }
}

/**
 * Free or not, as HSDS cost options: free is an option of amount 0; charged removes those and, when no other
 * option is left, adds a "Fee" option without an amount; unknown removes the options Kith added.
 */
async function writeCost(tx: Tx, service: ServiceRow, free: boolean | null | undefined): Promise<void> {
  if (free === undefined) return;
  const options = await tx
    .select()
    .from(directoryCostOptions)
    .where(eq(directoryCostOptions.serviceId, service.id));
  const kithMade = (kind: string) =>
    options.filter((o) => (o.extra as { kith?: string }).kith === kind).map((o) => o.id);
  const remove = async (ids: string[]) => {
    if (ids.length) await tx.delete(directoryCostOptions).where(inArray(directoryCostOptions.id, ids));
  };
  const add = (option: string, amount: number | null, kith: string) =>
    tx.insert(directoryCostOptions).values({
      ...made(service.organizationId),
      serviceId: service.id,
      option,
      amount,
      currency: 'USD',
      extra: { kith },
    });
  if (free === null) return remove([...kithMade('free'), ...kithMade('fee')]);
  if (free) {
    await remove(kithMade('fee'));
    if (!options.some(costsNothing)) await add('Free', 0, 'free');
    return;
  }
  const freeOptions = options.filter(costsNothing).map((o) => o.id);
  await remove(freeOptions);
  if (options.length === freeOptions.length) await add('Fee', null, 'fee');
}
