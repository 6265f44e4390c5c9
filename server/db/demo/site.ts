import { sitePages } from '../../modules/site/site.tables.ts';
import type { DbOrTx } from '../client.ts';

/**
 * The demo department's public site (issue 7) fills in what every real department must: its contacts and
 * hours (the default page asks the admin to). Fictional 555 numbers. The other pages keep their default text
 * (domain/site.ts), which is what a new department starts with.
 */
export const DEMO_CONTACT_PAGE = {
  slug: 'contact',
  title: 'Contacts and hours',
  summary: 'How to reach Riverside’s social workers, and when we are open.',
  bodyMarkdown: `## Social Work Department

Riverside General Hospital, Main Building, 2nd floor, room 2150 (take the B elevators).

- **Phone:** [(617) 555-0142](tel:+16175550142)
- **Email:** socialwork@riverside.example (not for emergencies; we answer within one working day)
- **Office hours:** Monday to Friday, 8 AM to 6 PM; Saturday, 9 AM to 1 PM

## Evenings, nights and weekends

If you are in the hospital, ask your nurse to page the social worker on call. The Emergency Department has a social worker every day from 8 AM to midnight.

## Emergencies

Call **911**. For a mental health crisis, call or text **988** at any hour.

## Other departments

| Department | Phone |
|:-|:-|
| Hospital main number | [(617) 555-0100](tel:+16175550100) |
| Patient relations | [(617) 555-0177](tel:+16175550177) |
| Interpreter services | [(617) 555-0188](tel:+16175550188) |`,
  position: 100,
  published: true,
} as const;

/** Stores the demo's contacts and hours page, saved once by the demo admin. */
export async function writeDemoSite(
  db: DbOrTx,
  opts: { id: string; organizationId: string; adminId: string; now: Date },
): Promise<void> {
  await db.insert(sitePages).values({
    id: opts.id,
    organizationId: opts.organizationId,
    ...DEMO_CONTACT_PAGE,
    updatedAt: opts.now,
    updatedBy: opts.adminId,
  });
}
