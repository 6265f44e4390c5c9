import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../../domain/roles.ts';
import type { Message } from '../../../domain/schemas/messages.ts';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { auditEvents, users } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { careTeamMembers } from '../patients/patients.tables.ts';
import { messages } from './messages.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Org = Awaited<ReturnType<typeof buildOrganization>>;

/** A colleague with a real name, so that titles and summaries can be read. */
async function colleague(organization: Org, role: Role, displayName: string) {
  const user = await buildUser(t, { organization, role });
  await t.database.db.update(users).set({ displayName }).where(eq(users.id, user.id));
  return { ...user, displayName };
}

/** A department: a worker and a clinician on the patient's care team, a supervisor, and a worker who is not. */
async function department() {
  const org = await buildOrganization(t);
  const worker = await colleague(org, 'social_worker', 'Ana Lopez');
  const clinician = await colleague(org, 'clinician', 'Dr Wei Chen');
  const supervisor = await colleague(org, 'supervisor', 'Sam Reyes');
  const outsider = await colleague(org, 'social_worker', 'Olive Park');
  const patient = await buildPatient(t, { organization: org, careTeam: [worker, clinician] });
  return { org, worker, clinician, supervisor, outsider, patient };
}

const notificationsOf = (userId: string) =>
  t.database.db.select().from(notifications).where(eq(notifications.userId, userId));

const auditOf = (patientId: string, action: string) =>
  t.database.db
    .select()
    .from(auditEvents)
    .where(and(eq(auditEvents.patientId, patientId), eq(auditEvents.action, action)));

describe('staff messages about a patient', () => {
  it('threads a conversation: mentions notify, replies follow in order, the timeline names the subject but not the body', async () => {
    const { worker, clinician, supervisor, patient } = await department();
    const url = `/api/patients/${patient.id}/messages`;

    // Ana, the social worker, asks the team about going home, mentioning the supervisor and the clinician.
    const ana = await signIn(t, worker);
    const started = await ana.post(url, {
      subject: 'Discharge to home',
      body: 'Daughter can take him home on Friday if the walker arrives. @Wei can PT confirm?',
      mentions: [supervisor.id, clinician.id],
    });
    expect(started.statusCode).toBe(201);
    const first = started.json();
    expect(first).toMatchObject({
      threadId: first.id,
      author: { userId: worker.id, displayName: 'Ana Lopez', role: 'social_worker' },
      enteredInError: null,
      abilities: { markEnteredInError: true },
    });
    expect(first.mentions.map((m: { displayName: string }) => m.displayName)).toEqual([
      'Dr Wei Chen',
      'Sam Reyes',
    ]);

    // Each mentioned colleague is notified, without the patient's name; Ana is not.
    for (const person of [supervisor, clinician]) {
      const [note] = await notificationsOf(person.id);
      expect(note).toMatchObject({
        kind: 'mention',
        title: 'Ana Lopez mentioned you in a message',
        link: `/patients/${patient.id}/messages`,
        patientId: patient.id,
      });
      expect(note!.title).not.toContain('Smith');
    }
    expect(await notificationsOf(worker.id)).toHaveLength(0);

    // Ana starts a second thread; then the clinician replies to the first, which becomes the newest activity.
    const second = await ana.post(url, {
      subject: 'Interpreter for family meeting',
      body: 'Booked for 3pm.',
    });
    expect(second.statusCode).toBe(201);
    const wei = await signIn(t, clinician);
    const reply = await wei.post(url, { threadId: first.id, body: 'PT cleared him with a walker.' });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ threadId: first.id, mentions: [] });
    // Only mentions notify: Ana, who started the thread, gets nothing for the reply.
    expect(await notificationsOf(worker.id)).toHaveLength(0);

    const list = await ana.get(url);
    expect(list.statusCode).toBe(200);
    const page = list.json();
    expect(page).toMatchObject({ total: 2, page: 1, abilities: { post: true } });
    expect(page.items.map((th: { subject: string }) => th.subject)).toEqual([
      'Discharge to home',
      'Interpreter for family meeting',
    ]);
    const thread = page.items[0];
    expect(thread.messages.map((m: { author: { displayName: string } }) => m.author.displayName)).toEqual([
      'Ana Lopez',
      'Dr Wei Chen',
    ]);
    expect(thread.startedAt).toBe(first.createdAt);
    expect(thread.lastActivityAt).toBe(reply.json().createdAt);
    // Ana may mark her own message entered in error, not the clinician's.
    expect(thread.messages.map((m: Message) => m.abilities.markEnteredInError)).toEqual([true, false]);

    // Paged by thread: a page of one holds the whole first thread.
    const paged = (await ana.get(`${url}?pageSize=1&page=2`)).json();
    expect(paged.items).toHaveLength(1);
    expect(paged.items[0].subject).toBe('Interpreter for family meeting');

    // The list was audited as a read of this patient.
    expect(await auditOf(patient.id, 'message.list')).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorUserId: worker.id, outcome: 'success' })]),
    );
    expect(await auditOf(patient.id, 'message.create')).toHaveLength(3);

    // The timeline says who wrote in which thread, never what they wrote.
    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.kind, 'message')));
    expect(entries.map((e) => e.summary).sort()).toEqual([
      'Ana Lopez started a message thread: "Discharge to home"',
      'Ana Lopez started a message thread: "Interpreter for family meeting"',
      'Dr Wei Chen replied in the message thread "Discharge to home"',
    ]);
    for (const e of entries) {
      expect(JSON.stringify(e)).not.toMatch(/walker|3pm/);
    }
  });

  it('returns 422 on mentions.N and saves nothing when a mentioned colleague is not on the care team', async () => {
    const { worker, clinician, outsider, patient } = await department();
    const ana = await signIn(t, worker);
    const res = await ana.post(`/api/patients/${patient.id}/messages`, {
      subject: 'Housing',
      body: 'Shelter bed found for tonight.',
      mentions: [clinician.id, outsider.id],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors).toEqual([
      { field: 'mentions.1', message: expect.stringContaining("not on this patient's care team") },
    ]);
    expect(res.body).not.toContain('Smith');
    expect(await t.database.db.select().from(messages).where(eq(messages.patientId, patient.id))).toEqual([]);
    expect(await notificationsOf(clinician.id)).toHaveLength(0);
    expect(await notificationsOf(outsider.id)).toHaveLength(0);
  });

  it('returns 422 for a mentioned colleague who is disabled, of another organisation, or for more than 20 mentions', async () => {
    const { org, worker, patient } = await department();
    const disabled = await buildUser(t, { organization: org, role: 'supervisor', disabled: true });
    const stranger = await buildUser(t, { role: 'supervisor' });
    const ana = await signIn(t, worker);
    const url = `/api/patients/${patient.id}/messages`;
    const res = await ana.post(url, {
      subject: 'Family',
      body: 'Son called.',
      mentions: [disabled.id, stranger.id],
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().errors.map((e: { field: string }) => e.field)).toEqual(['mentions.0', 'mentions.1']);

    const many = Array.from({ length: 21 }, () => worker.id);
    const tooMany = await ana.post(url, { subject: 'Family', body: 'Son called.', mentions: many });
    expect(tooMany.statusCode).toBe(422);
    expect(tooMany.json().errors[0].field).toBe('mentions');
  });

  it('returns 422 for a body over 5000 characters, an empty body, a new thread without a subject, or a reply to a reply', async () => {
    const { worker, patient } = await department();
    const ana = await signIn(t, worker);
    const url = `/api/patients/${patient.id}/messages`;
    const long = await ana.post(url, { subject: 'Notes', body: 'x'.repeat(5001) });
    expect(long.statusCode).toBe(422);
    expect(long.json().errors).toEqual([expect.objectContaining({ field: 'body' })]);
    const blank = await ana.post(url, { subject: 'Notes', body: '   ' });
    expect(blank.json().errors).toEqual([expect.objectContaining({ field: 'body' })]);
    const noSubject = await ana.post(url, { body: 'Hello' });
    expect(noSubject.statusCode).toBe(422);
    expect(noSubject.json().errors).toEqual([expect.objectContaining({ field: 'subject' })]);
    expect(await t.database.db.select().from(messages).where(eq(messages.patientId, patient.id))).toEqual([]);

    // A reply goes to the first message of a thread, and takes its subject.
    const start = (await ana.post(url, { subject: 'Notes', body: 'First' })).json();
    const reply = (await ana.post(url, { threadId: start.id, body: 'Second' })).json();
    const toReply = await ana.post(url, { threadId: reply.id, body: 'Third' });
    expect(toReply.statusCode).toBe(422);
    expect(toReply.json().errors).toEqual([expect.objectContaining({ field: 'threadId' })]);
    const withSubject = await ana.post(url, { threadId: start.id, subject: 'New', body: 'Third' });
    expect(withSubject.json().errors).toEqual([expect.objectContaining({ field: 'subject' })]);
    // Only the thread's two good messages were saved.
    expect(
      await t.database.db.select().from(messages).where(eq(messages.patientId, patient.id)),
    ).toHaveLength(2);
  });

  it('returns 404 for an unknown patient, and for a thread of another patient or another organisation', async () => {
    const { org, worker, patient } = await department();
    const ana = await signIn(t, worker);
    const unknown = '0190c0de-0000-7000-8000-000000000000';
    expect((await ana.get(`/api/patients/${unknown}/messages`)).statusCode).toBe(404);
    expect(
      (await ana.post(`/api/patients/${unknown}/messages`, { subject: 'Hi', body: 'Hello' })).statusCode,
    ).toBe(404);

    // A thread of another organisation's patient.
    const orgB = await buildOrganization(t);
    const workerB = await colleague(orgB, 'social_worker', 'Bea Otto');
    const patientB = await buildPatient(t, { organization: orgB, careTeam: [workerB] });
    const theirs = await (await signIn(t, workerB)).post(`/api/patients/${patientB.id}/messages`, {
      subject: 'Theirs',
      body: 'Not for organisation A.',
    });
    expect(theirs.statusCode).toBe(201);
    const intoTheirs = await ana.post(`/api/patients/${patient.id}/messages`, {
      threadId: theirs.json().id,
      body: 'Replying across organisations',
    });
    expect(intoTheirs.statusCode).toBe(404);
    expect(intoTheirs.body).not.toContain('Theirs');

    // A thread of another patient of the same organisation.
    const other = await buildPatient(t, { organization: org, careTeam: [worker] });
    const otherThread = await ana.post(`/api/patients/${other.id}/messages`, { subject: 'Other', body: 'x' });
    const crossed = await ana.post(`/api/patients/${patient.id}/messages`, {
      threadId: otherThread.json().id,
      body: 'Wrong patient',
    });
    expect(crossed.statusCode).toBe(404);
    expect(await t.database.db.select().from(messages).where(eq(messages.patientId, patient.id))).toEqual([]);
  });

  it('returns 403 and audits the refusal when a worker outside the care team reads or writes the messages', async () => {
    const { outsider, patient } = await department();
    const olive = await signIn(t, outsider);
    const res = await olive.get(`/api/patients/${patient.id}/messages`);
    expect(res.statusCode).toBe(403);
    expect(res.body).not.toContain('Smith');
    expect(await auditOf(patient.id, 'message.list')).toEqual([
      expect.objectContaining({ actorUserId: outsider.id, outcome: 'denied' }),
    ]);
    const post = await olive.post(`/api/patients/${patient.id}/messages`, { subject: 'Hi', body: 'Hello' });
    expect(post.statusCode).toBe(403);
  });

  it('lets a read-only member of the care team read the messages (200) but not post (403)', async () => {
    const { org, worker, patient } = await department();
    const reader = await colleague(org, 'read_only', 'Rita Read');
    await t.database.db.insert(careTeamMembers).values({
      organizationId: org.id,
      patientId: patient.id,
      userId: reader.id,
      teamRole: 'Auditor',
    });
    await (await signIn(t, worker)).post(`/api/patients/${patient.id}/messages`, {
      subject: 'Plan',
      body: 'Plan',
    });
    const rita = await signIn(t, reader);
    const list = await rita.get(`/api/patients/${patient.id}/messages`);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toMatchObject({ total: 1, abilities: { post: false } });
    expect(list.json().items[0].messages[0].abilities.markEnteredInError).toBe(false);
    const post = await rita.post(`/api/patients/${patient.id}/messages`, { subject: 'Hi', body: 'Hello' });
    expect(post.statusCode).toBe(403);
  });
});

describe('a message entered in error', () => {
  it('is marked by its author with a reason, keeps its text, and cannot be marked twice (409) or by anyone else (403)', async () => {
    const { worker, clinician, patient } = await department();
    const url = `/api/patients/${patient.id}/messages`;
    const ana = await signIn(t, worker);
    const posted = (await ana.post(url, { subject: 'Meds', body: 'Wrong patient: ignore.' })).json();
    const markUrl = `${url}/${posted.id}/entered-in-error`;

    const byOther = await (await signIn(t, clinician)).post(markUrl, { reason: 'Not mine to mark' });
    expect(byOther.statusCode).toBe(403);

    const noReason = await ana.post(markUrl, { reason: '' });
    expect(noReason.statusCode).toBe(422);
    expect(noReason.json().errors).toEqual([expect.objectContaining({ field: 'reason' })]);

    const marked = await ana.post(markUrl, { reason: 'Written in the wrong chart' });
    expect(marked.statusCode).toBe(200);
    expect(marked.json()).toMatchObject({
      body: 'Wrong patient: ignore.',
      enteredInError: { reason: 'Written in the wrong chart' },
      abilities: { markEnteredInError: false },
    });
    expect((await ana.post(markUrl, { reason: 'Again' })).statusCode).toBe(409);

    const [shown] = (await ana.get(url)).json().items[0].messages;
    expect(shown).toMatchObject({
      body: 'Wrong patient: ignore.',
      enteredInError: { reason: 'Written in the wrong chart' },
    });
    const audited = await auditOf(patient.id, 'message.entered-in-error');
    expect(audited.map((a) => [a.actorUserId, a.outcome]).sort()).toEqual(
      [
        [clinician.id, 'denied'],
        [worker.id, 'success'],
      ].sort(),
    );
    const entries = await t.database.db
      .select({ summary: timelineEvents.summary })
      .from(timelineEvents)
      .where(eq(timelineEvents.patientId, patient.id));
    expect(entries.map((e) => e.summary)).toContain(
      'Ana Lopez marked a message in "Meds" as entered in error',
    );

    expect(
      (await ana.post(`${url}/0190c0de-0000-7000-8000-000000000000/entered-in-error`, { reason: 'Unknown' }))
        .statusCode,
    ).toBe(404);
  });
});
