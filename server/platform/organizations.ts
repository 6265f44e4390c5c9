import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { organizations } from './platform.tables.ts';

/** The organisation's IANA time zone: the hospital's days, hours and midnights are counted in it. */
export async function zoneOf(db: DbOrTx, organizationId: string): Promise<string> {
  const [org] = await db
    .select({ timeZone: organizations.timeZone })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return org?.timeZone ?? 'UTC';
}

/** The organisation's id, slug and name (what mail and pages name it by), or null. */
export async function organizationSummary(
  db: DbOrTx,
  organizationId: string,
): Promise<{ id: string; slug: string; name: string } | null> {
  const [org] = await db
    .select({ id: organizations.id, slug: organizations.slug, name: organizations.name })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return org ?? null;
}
