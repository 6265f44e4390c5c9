import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUser, startTestApp, type TestContext } from '../test/harness.ts';
import { startSmtp, type TestSmtp } from '../test/smtp.ts';
import { mailOutbox } from './platform.tables.ts';

describe('mail over real SMTP', () => {
  let smtp: TestSmtp;
  let t: TestContext;
  beforeAll(async () => {
    smtp = await startSmtp();
    t = await startTestApp({ SMTP_URL: smtp.url, MAIL_FROM: 'Kith <kith@hospital.test>' });
  });
  afterAll(async () => {
    await t.close();
    await smtp.close();
  });

  it('emails the account owner when five failed attempts lock the account', async () => {
    const user = await buildUser(t);
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: 'not-the-password!' },
      });
    }
    // The notice goes out after the answer, so that its timing reveals nothing: wait for it.
    await expect.poll(() => smtp.received.length, { timeout: 10_000 }).toBe(1);
    const [mail] = smtp.received;
    expect(mail!.to).toMatchObject({ value: [{ address: user.email }] });
    expect(mail!.from?.value[0]?.address).toBe('kith@hospital.test');
    expect(mail!.subject).toMatch(/locked/);
    expect(mail!.text).toContain('15 minutes');
    await expect
      .poll(
        async () =>
          (await t.database.db.select().from(mailOutbox).where(eq(mailOutbox.toAddress, user.email)))[0]
            ?.status,
      )
      .toBe('sent');
  });

  it('sends no email for an address that has no account', async () => {
    const before = smtp.received.length;
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'nobody@hospital.test', password: 'not-the-password!' },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.received.length).toBe(before);
  });

  it('keeps a message the relay refuses in the outbox with the SMTP reply', async () => {
    const refusing = await startSmtp({ refuse: true });
    const other = await startTestApp({ SMTP_URL: refusing.url });
    try {
      const result = await other.app.kith.mailer.send({
        to: 'someone@hospital.test',
        subject: 'Test',
        text: 'Hello',
      });
      expect(result.status).toBe('failed');
      const [row] = await other.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, result.id));
      expect(row!.lastError).toContain('550');
    } finally {
      await other.close();
      await refusing.close();
    }
  });

  it('keeps mail in the outbox when no SMTP_URL is set', async () => {
    const offline = await startTestApp();
    try {
      const result = await offline.app.kith.mailer.send({
        to: 'someone@hospital.test',
        subject: 'Test',
        text: 'Hello',
      });
      expect(result.status).toBe('queued');
      const [row] = await offline.database.db.select().from(mailOutbox).where(eq(mailOutbox.id, result.id));
      expect(row).toMatchObject({ status: 'queued', subject: 'Test', textBody: 'Hello' });
    } finally {
      await offline.close();
    }
  });
});
