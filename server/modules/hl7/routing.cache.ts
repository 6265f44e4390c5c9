/**
 * Invalidation of the ADT feed's routing cache (ingest.service.ts): MSH-4 → organisation, assigning
 * authority, and the organisation's facts the applier needs on every message (time zone, admission
 * triggers). Whatever changes those in this process (feeds, organisation settings, admission triggers) calls
 * `invalidateHl7Routing`; another process (a separate `kith mllp`) sees the change within the cache's
 * 30 seconds. Its own module so that the services that change those facts need not import the feed.
 */
let generation = 0;

/** Forget the cached feeds and organisation facts (after feeds or organisations change). */
export function invalidateHl7Routing(_db?: unknown): void {
  generation += 1;
}

export const hl7RoutingGeneration = (): number => generation;
