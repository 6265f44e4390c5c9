// Rows of other modules for the worklist and chart tests, inserted directly: these read models must not
// depend on the routes that write them.
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import type { TestContext } from '../../test/harness.ts';
import { cases } from '../cases/cases.tables.ts';
import { encounters } from '../encounters/encounters.tables.ts';
import { needs } from '../needs/needs.tables.ts';
import { careTeamMembers, patientContacts, patientFlags, patients } from '../patients/patients.tables.ts';
import { tasks } from '../tasks/tasks.tables.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let mrnCounter = 0;

export const hoursAgo = (h: number) => new Date(Date.now() - h * HOUR);
export const daysAgo = (d: number) => new Date(Date.now() - d * DAY);

type Org = { id: string };
type User = { id: string };

export async function insertPatient(
  t: TestContext,
  org: Org,
  over: Partial<typeof patients.$inferInsert> & { careTeam?: User[] } = {},
) {
  const { careTeam = [], ...fields } = over;
  mrnCounter += 1;
  const [patient] = await t.database.db
    .insert(patients)
    .values({
      organizationId: org.id,
      mrn: `WL${Date.now().toString(36)}${mrnCounter}`,
      familyName: 'Smith',
      givenName: 'John',
      birthDate: '1950-04-01',
      sex: 'male',
      ...fields,
    })
    .returning();
  for (const member of careTeam) {
    await t.database.db.insert(careTeamMembers).values({
      organizationId: org.id,
      patientId: patient!.id,
      userId: member.id,
      teamRole: 'Primary social worker',
    });
  }
  return patient!;
}

export async function insertCase(
  t: TestContext,
  patient: { id: string; organizationId: string },
  over: Partial<typeof cases.$inferInsert> = {},
) {
  const requestedAt = over.requestedAt ?? hoursAgo(30);
  const [row] = await t.database.db
    .insert(cases)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      status: over.assignedTo ? 'assigned' : 'new',
      source: 'consult',
      urgency: 'routine',
      reasonCode: 'discharge-planning',
      requestedAt,
      firstContactDueAt: new Date(requestedAt.getTime() + 48 * HOUR),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertEncounter(
  t: TestContext,
  patient: { id: string; organizationId: string },
  over: Partial<typeof encounters.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(encounters)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      encounterClass: 'inpatient',
      status: 'in-progress',
      unit: '4 West',
      room: '412',
      bed: 'A',
      admittedAt: daysAgo(3),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertFlag(
  t: TestContext,
  patient: { id: string; organizationId: string },
  kind: string,
  over: Partial<typeof patientFlags.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(patientFlags)
    .values({ organizationId: patient.organizationId, patientId: patient.id, kind, ...over })
    .returning();
  return row!;
}

export async function insertTask(
  t: TestContext,
  patient: { id: string; organizationId: string },
  assignee: User,
  over: Partial<typeof tasks.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(tasks)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      title: 'Call the daughter',
      assigneeId: assignee.id,
      dueAt: hoursAgo(1),
      ...over,
    })
    .returning();
  return row!;
}

export async function insertContact(
  t: TestContext,
  patient: { id: string; organizationId: string },
  over: Partial<typeof patientContacts.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(patientContacts)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      name: 'Maria Smith',
      relationship: 'Daughter',
      ...over,
    })
    .returning();
  return row!;
}

export async function insertTimelineEvent(
  t: TestContext,
  patient: { id: string; organizationId: string },
  over: Partial<typeof timelineEvents.$inferInsert> = {},
) {
  const [row] = await t.database.db
    .insert(timelineEvents)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      kind: 'task',
      occurredAt: new Date(),
      summary: 'Task created',
      ...over,
    })
    .returning();
  return row!;
}

export async function insertNeed(
  t: TestContext,
  patient: { id: string; organizationId: string },
  domain: string,
  over: Partial<typeof needs.$inferInsert> = {},
) {
  const at = new Date();
  const [row] = await t.database.db
    .insert(needs)
    .values({
      organizationId: patient.organizationId,
      patientId: patient.id,
      domain,
      status: 'identified',
      identifiedAt: at,
      lastFoundAt: at,
      statusChangedAt: at,
      ...over,
    })
    .returning();
  return row!;
}
