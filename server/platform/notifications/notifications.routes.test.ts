import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { careTeamMembers } from '../../modules/patients/patients.tables.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { auditEvents, sessions } from '../platform.tables.ts';
import { notify } from './notifications.service.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

async function someone() {
  const org = await buildOrganization(t);
  const user = await buildUser(t, { organization: org });
  return { org, user, client: await signIn(t, user) };
}

const tell = (organizationId: string, userId: string, title: string, patientId: string | null = null) =>
  notify(t.database.db, {
    organizationId,
    userIds: [userId],
    kind: 'task-due',
    title,
    link: '/tasks',
    patientId,
  });

describe('the bell', () => {
  it('lists only my notifications, newest first, counts the unread, and marks one or all read', async () => {
    const { org, user, client } = await someone();
    const other = await buildUser(t, { organization: org });
    await tell(org.id, user.id, 'First');
    await tell(org.id, user.id, 'Second');
    await tell(org.id, other.id, 'Not mine');
    expect((await client.get('/api/notifications/unread-count')).json()).toEqual({ unread: 2 });
    const list = (await client.get('/api/notifications')).json();
    expect(list).toMatchObject({ total: 2, page: 1 });
    expect(list.items.map((n: { title: string }) => n.title)).toEqual(['Second', 'First']);

    const first = list.items[1];
    expect((await client.post(`/api/notifications/${first.id}/read`)).statusCode).toBe(204);
    expect((await client.get('/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
    const unread = (await client.get('/api/notifications?unread=true')).json();
    expect(unread.items.map((n: { title: string }) => n.title)).toEqual(['Second']);
    expect((await client.post('/api/notifications/read-all')).json()).toEqual({ marked: 1 });
    expect((await client.get('/api/notifications/unread-count')).json()).toEqual({ unread: 0 });
    expect(
      (await client.get('/api/notifications')).json().items.every((n: { readAt: string | null }) => n.readAt),
    ).toBe(true);
  });

  it("answers 404 when I mark someone else's notification read, and leaves it unread", async () => {
    const { org, client } = await someone();
    const other = await buildUser(t, { organization: org });
    await tell(org.id, other.id, 'Theirs');
    const otherClient = await signIn(t, other);
    const [theirs] = (await otherClient.get('/api/notifications')).json().items;
    expect((await client.post(`/api/notifications/${theirs.id}/read`)).statusCode).toBe(404);
    expect((await otherClient.get('/api/notifications/unread-count')).json()).toEqual({ unread: 1 });
  });

  it('names the patient only while I may see the patient, and audits the names shown', async () => {
    const { org, user, client } = await someone();
    const patient = await buildPatient(t, { organization: org, careTeam: [user] });
    await tell(org.id, user.id, 'A task of yours is due', patient.id);
    const [shown] = (await client.get('/api/notifications')).json().items;
    expect(shown.patient).toEqual({ id: patient.id, name: 'Smith, John' });
    const [audit] = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, user.id), eq(auditEvents.action, 'notification.list')));
    expect(audit!.detail).toEqual({ patientIds: [patient.id] });

    await t.database.db
      .update(careTeamMembers)
      .set({ removedAt: new Date() })
      .where(and(eq(careTeamMembers.patientId, patient.id), eq(careTeamMembers.userId, user.id)));
    const [hidden] = (await client.get('/api/notifications')).json().items;
    expect(hidden).toMatchObject({ title: 'A task of yours is due', patient: null });
  });

  it('refuses paging out of range (422) and an unknown id (404)', async () => {
    const { client } = await someone();
    expect((await client.get('/api/notifications?pageSize=201')).statusCode).toBe(422);
    expect((await client.get('/api/notifications?unread=maybe')).statusCode).toBe(422);
    expect(
      (await client.post('/api/notifications/01900000-0000-7000-8000-000000000000/read')).statusCode,
    ).toBe(404);
  });

  it('polls the unread count without keeping an idle session alive, and the poll still ends an expired one', async () => {
    const { user, client } = await someone();
    const tenMinutesAgo = new Date(Date.now() - 10 * 60_000);
    const lastSeen = async () =>
      (await t.database.db.select().from(sessions).where(eq(sessions.userId, user.id)))[0]!.lastSeenAt;
    await t.database.db
      .update(sessions)
      .set({ lastSeenAt: tenMinutesAgo })
      .where(eq(sessions.userId, user.id));
    expect((await client.get('/api/notifications/unread-count')).statusCode).toBe(200);
    expect(await lastSeen()).toEqual(tenMinutesAgo);
    // Opening the list is the user's own doing: that is activity.
    expect((await client.get('/api/notifications')).statusCode).toBe(200);
    expect((await lastSeen()).getTime()).toBeGreaterThan(tenMinutesAgo.getTime());

    const idleTooLong = new Date(Date.now() - 16 * 60_000);
    await t.database.db.update(sessions).set({ lastSeenAt: idleTooLong }).where(eq(sessions.userId, user.id));
    const expired = await client.get('/api/notifications/unread-count');
    expect(expired.statusCode).toBe(401);
  });

  it('needs a signed-in user (401)', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/notifications/unread-count' })).statusCode).toBe(
      401,
    );
  });
});

describe('email preferences', () => {
  it('starts with no email, saves the kinds I choose, and refuses an unknown kind (422)', async () => {
    const { client } = await someone();
    const url = '/api/account/notification-preferences';
    expect((await client.get(url)).json()).toEqual({ emailKinds: [] });
    const saved = await client.request({
      method: 'PUT',
      url,
      payload: { emailKinds: ['mention', 'task-overdue'] },
    });
    expect(saved.statusCode).toBe(200);
    expect((await client.get(url)).json()).toEqual({ emailKinds: ['mention', 'task-overdue'] });
    await client.request({ method: 'PUT', url, payload: { emailKinds: ['task-due'] } });
    expect((await client.get(url)).json()).toEqual({ emailKinds: ['task-due'] });
    const bad = await client.request({ method: 'PUT', url, payload: { emailKinds: ['gossip'] } });
    expect(bad.statusCode).toBe(422);
    expect(bad.json().errors[0].field).toBe('emailKinds.0');
  });
});
