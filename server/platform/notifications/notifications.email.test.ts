import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  signIn,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { startSmtp, type TestSmtp } from '../../test/smtp.ts';
import { emailNotifications } from './notifications.email.ts';
import { notifications } from './notifications.tables.ts';

const mailsTo = (smtp: TestSmtp, address: string) =>
  smtp.received.filter((m) => m.to && !Array.isArray(m.to) && m.to.value[0]?.address === address);

describe('notification emails', () => {
  let smtp: TestSmtp;
  let t: TestContext;
  beforeAll(async () => {
    smtp = await startSmtp();
    // No workers until the last test, so that no scheduled sweep races the sweeps called directly.
    t = await startTestApp({ SMTP_URL: smtp.url, PUBLIC_URL: 'https://kith.hospital.test' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  /** A worker who chose some kinds by email, and a colleague on the same patient's care team. */
  async function team(emailKinds: string[]) {
    const org = await buildOrganization(t);
    const worker = await buildUser(t, { organization: org });
    const colleague = await buildUser(t, { organization: org });
    const patient = await buildPatient(t, { organization: org, careTeam: [worker, colleague] });
    const workerClient = await signIn(t, worker);
    await workerClient.request({
      method: 'PUT',
      url: '/api/account/notification-preferences',
      payload: { emailKinds },
    });
    return { org, worker, colleague, patient, colleagueClient: await signIn(t, colleague) };
  }

  it('emails the kinds I chose, naming no patient and linking to the app, once', async () => {
    const { worker, patient, colleagueClient } = await team(['task-assigned']);
    const res = await colleagueClient.post('/api/tasks', {
      title: 'Call John Smith’s daughter',
      assigneeId: worker.id,
      patientId: patient.id,
    });
    expect(res.statusCode).toBe(201);

    // The sweep at a given moment, called directly.
    expect(await emailNotifications(t.database.db, t.app.kith.mailer, t.config)).toMatchObject({ emails: 1 });
    const [mail] = mailsTo(smtp, worker.email);
    expect(mail!.subject).toBe('Kith: Test social_worker assigned a task to you');
    expect(mail!.text).toContain('https://kith.hospital.test/notifications');
    expect(`${mail!.subject} ${mail!.text}`).not.toMatch(/Smith|John|daughter/);
    const [row] = await t.database.db.select().from(notifications).where(eq(notifications.userId, worker.id));
    expect(row!.emailed).toBe(true);

    expect(await emailNotifications(t.database.db, t.app.kith.mailer, t.config)).toEqual({
      emails: 0,
      notifications: 0,
    });
    expect(mailsTo(smtp, worker.email)).toHaveLength(1);
  });

  it('sends nothing for kinds I did not choose, nor for what I already read in the app', async () => {
    const { worker, patient, colleagueClient } = await team(['mention']);
    await colleagueClient.post('/api/tasks', {
      title: 'A task',
      assigneeId: worker.id,
      patientId: patient.id,
    });
    const { colleague, colleagueClient: otherClient, worker: chooser } = await team(['task-assigned']);
    await otherClient.post('/api/tasks', { title: 'Seen already', assigneeId: chooser.id });
    await (await signIn(t, chooser)).post('/api/notifications/read-all');
    await emailNotifications(t.database.db, t.app.kith.mailer, t.config);
    expect(mailsTo(smtp, worker.email)).toEqual([]);
    expect(mailsTo(smtp, chooser.email)).toEqual([]);
    expect(mailsTo(smtp, colleague.email)).toEqual([]);
  });

  it('goes out through the job queue too', async () => {
    const { worker, colleagueClient } = await team(['task-assigned']);
    await colleagueClient.post('/api/tasks', { title: 'By the queue', assigneeId: worker.id });
    await t.app.kith.jobs.stop();
    await t.app.kith.jobs.start({ work: true, pollingIntervalSeconds: 0.5 });
    await t.app.kith.jobs.send('notifications.email');
    await expect.poll(() => mailsTo(smtp, worker.email).length, { timeout: 15_000 }).toBe(1);
  });
});
