import type { Db } from '../../db/client.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { hl7Feeds } from './hl7.tables.ts';
import { hl7RoutingGeneration } from './routing.cache.ts';

/**
 * Which organisation a message belongs to: MSH-4 → the organisation's feed (case ignored), else the only
 * organisation; with the facts the applier needs of it on every message (time zone, admission triggers).
 * Cached per process for 30 seconds and dropped on `invalidateHl7Routing` (routing.cache.ts).
 */
export interface Route {
  organizationId: string;
  assigningAuthority: string | null;
  timeZone: string;
  /** organizations.admission_triggers as stored (the applier validates them rule by rule). */
  admissionTriggers: unknown;
}

interface RoutingTable {
  loadedAt: number;
  generation: number;
  byFacility: Map<string, Route>;
  /** The only organisation, when there is exactly one: it takes every message. */
  only: Route | null;
  zones: Map<string, string>;
}

const ROUTING_TTL_MS = 30_000;
const routing = new WeakMap<object, RoutingTable>();

export async function routingTable(db: Db): Promise<RoutingTable> {
  const cached = routing.get(db);
  const generation = hl7RoutingGeneration();
  if (cached && cached.generation === generation && Date.now() - cached.loadedAt < ROUTING_TTL_MS)
    return cached;
  const orgs = await db
    .select({
      id: organizations.id,
      timeZone: organizations.timeZone,
      admissionTriggers: organizations.admissionTriggers,
    })
    .from(organizations);
  const feeds = await db.select().from(hl7Feeds);
  const zones = new Map(orgs.map((o) => [o.id, o.timeZone]));
  const triggers = new Map(orgs.map((o) => [o.id, o.admissionTriggers as unknown]));
  const byFacility = new Map<string, Route>();
  for (const f of feeds) {
    byFacility.set(f.sendingFacility.toLowerCase(), {
      organizationId: f.organizationId,
      assigningAuthority: f.assigningAuthority,
      timeZone: zones.get(f.organizationId) ?? 'UTC',
      admissionTriggers: triggers.get(f.organizationId) ?? [],
    });
  }
  const only =
    orgs.length === 1
      ? {
          organizationId: orgs[0]!.id,
          assigningAuthority: null,
          timeZone: orgs[0]!.timeZone,
          admissionTriggers: orgs[0]!.admissionTriggers as unknown,
        }
      : null;
  const table = { loadedAt: Date.now(), generation, byFacility, only, zones };
  routing.set(db, table);
  return table;
}

export async function route(db: Db, facility: string): Promise<Route | null> {
  const table = await routingTable(db);
  return table.byFacility.get(facility.toLowerCase()) ?? table.only;
}
