import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { cases } from '../cases/cases.tables.ts';
import { sweepReminders } from './tasks.reminders.ts';
import { createTask } from './tasks.service.ts';
import { tasks } from './tasks.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

const settings = { overdueAfterMinutes: 60 };
const at = (iso: string) => new Date(iso);

async function worker() {
  const org = await buildOrganization(t);
  const user = await buildUser(t, { organization: org });
  const patient = await buildPatient(t, { organization: org, careTeam: [user] });
  return { org, user, patient };
}

async function taskDue(who: Awaited<ReturnType<typeof worker>>, dueAt: string) {
  return t.database.db.transaction((tx) =>
    createTask(
      tx,
      { system: 'test', organizationId: who.org.id },
      {
        title: 'Call the family',
        assigneeId: who.user.id,
        patientId: who.patient.id,
        dueAt: at(dueAt),
      },
    ),
  );
}

const remindersOf = async (userId: string) =>
  (
    await t.database.db
      .select({ kind: notifications.kind })
      .from(notifications)
      .where(and(eq(notifications.userId, userId), inArray(notifications.kind, ['task-due', 'task-overdue'])))
      .orderBy(notifications.createdAt)
  ).map((n) => n.kind);

// Each sweep looks at every organisation, so the story is told far in the future of the other tests' tasks.
describe('task reminders', () => {
  it('sends the due reminder when the due time arrives and the overdue one an hour later, each once', async () => {
    const who = await worker();
    await taskDue(who, '2031-03-02T10:00:00Z');
    await sweepReminders(t.database.db, at('2031-03-02T09:59:00Z'), settings);
    expect(await remindersOf(who.user.id)).toEqual([]);
    await sweepReminders(t.database.db, at('2031-03-02T10:00:00Z'), settings);
    expect(await remindersOf(who.user.id)).toEqual(['task-due']);
    await sweepReminders(t.database.db, at('2031-03-02T10:30:00Z'), settings);
    expect(await remindersOf(who.user.id)).toEqual(['task-due']);
    await sweepReminders(t.database.db, at('2031-03-02T11:00:00Z'), settings);
    await sweepReminders(t.database.db, at('2031-03-02T12:00:00Z'), settings);
    expect(await remindersOf(who.user.id)).toEqual(['task-due', 'task-overdue']);
  });

  it('sends only the overdue reminder for a task first seen long past its due time, and honours the configured delay', async () => {
    const who = await worker();
    await taskDue(who, '2032-01-01T08:00:00Z');
    const counts = await sweepReminders(t.database.db, at('2032-01-01T08:20:00Z'), {
      overdueAfterMinutes: 15,
    });
    expect(counts).toMatchObject({ overdue: 1, due: 0 });
    expect(await remindersOf(who.user.id)).toEqual(['task-overdue']);
  });

  it('reminds no one of a completed or cancelled task', async () => {
    const who = await worker();
    const task = await taskDue(who, '2033-01-01T08:00:00Z');
    await t.database.db
      .update(tasks)
      .set({ status: 'done', completedAt: new Date() })
      .where(eq(tasks.id, task.id));
    await sweepReminders(t.database.db, at('2033-01-02T08:00:00Z'), settings);
    expect(await remindersOf(who.user.id)).toEqual([]);
  });

  it('never reminds twice when two workers sweep at the same moment', async () => {
    const who = await worker();
    for (let i = 0; i < 5; i++) await taskDue(who, '2034-05-05T09:00:00Z');
    const now = at('2034-05-05T09:01:00Z');
    await Promise.all([
      sweepReminders(t.database.db, now, settings),
      sweepReminders(t.database.db, now, settings),
    ]);
    expect(await remindersOf(who.user.id)).toEqual(Array(5).fill('task-due'));
  });
});

describe('overdue consults', () => {
  async function consult(
    organizationId: string,
    patientId: string,
    over: Partial<typeof cases.$inferInsert>,
  ) {
    const [row] = await t.database.db
      .insert(cases)
      .values({
        organizationId,
        patientId,
        status: 'new',
        source: 'consult',
        urgency: 'urgent',
        reasonCode: 'discharge-planning',
        requestedAt: at('2035-06-01T08:00:00Z'),
        firstContactDueAt: at('2035-06-01T12:00:00Z'),
        ...over,
      })
      .returning();
    return row!;
  }

  it("tells the organisation's supervisors once when a consult's first contact is overdue, and no one else", async () => {
    const { org, user, patient } = await worker();
    const supervisors = [
      await buildUser(t, { organization: org, role: 'supervisor' }),
      await buildUser(t, { organization: org, role: 'supervisor' }),
    ];
    const elsewhere = await buildUser(t, { role: 'supervisor' });
    const overdue = await consult(org.id, patient.id, {});
    await consult(org.id, patient.id, { firstContactAt: at('2035-06-01T09:00:00Z') });
    await consult(org.id, patient.id, { status: 'closed', closedAt: at('2035-06-01T10:00:00Z') });
    await consult(org.id, patient.id, { firstContactDueAt: at('2035-06-02T12:00:00Z') });

    const now = at('2035-06-01T12:01:00Z');
    expect((await sweepReminders(t.database.db, now, settings)).consults).toBe(1);
    expect((await sweepReminders(t.database.db, now, settings)).consults).toBe(0);
    const told = await t.database.db
      .select()
      .from(notifications)
      .where(eq(notifications.kind, 'consult-overdue'));
    expect(told.map((n) => n.userId).sort()).toEqual(supervisors.map((s) => s.id).sort());
    expect(told[0]).toMatchObject({
      link: `/patients/${patient.id}/cases/${overdue.id}`,
      patientId: patient.id,
      title: 'A consult missed its first-contact target (Urgent)',
    });
    expect(told.map((n) => n.userId)).not.toContain(elsewhere.id);
    expect(told.map((n) => n.userId)).not.toContain(user.id);
    const [marked] = await t.database.db.select().from(cases).where(eq(cases.id, overdue.id));
    expect(marked!.overdueNotifiedAt).toEqual(now);
  });
});

describe('the reminder sweep as a job', () => {
  it('runs through pg-boss and sends a due reminder', async () => {
    const app = await startTestApp({}, { jobs: 'work' });
    try {
      const org = await buildOrganization(app);
      const user = await buildUser(app, { organization: org });
      await app.database.db.transaction((tx) =>
        createTask(
          tx,
          { system: 'test', organizationId: org.id },
          {
            title: 'Due a minute ago',
            assigneeId: user.id,
            dueAt: new Date(Date.now() - 60_000),
          },
        ),
      );
      await app.app.kith.jobs.send('tasks.reminders');
      await expect
        .poll(
          async () =>
            (
              await app.database.db
                .select({ kind: notifications.kind })
                .from(notifications)
                .where(and(eq(notifications.userId, user.id), eq(notifications.kind, 'task-due')))
            ).length,
          { timeout: 15_000 },
        )
        .toBe(1);
    } finally {
      await app.close();
    }
  });
});
