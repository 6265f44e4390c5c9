import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../platform/platform.tables.ts';
import { testEngine } from '../../test/database.ts';
import { signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { DEMO_PASSWORD, seedDemo } from '../seed-demo.ts';

// A Wednesday afternoon in Boston, as in generate.test.ts.
const NOW = new Date('2026-03-11T19:30:00Z');
const SLOW = { timeout: 120_000 };

describe(`the demo referrals on ${testEngine}`, () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await startTestApp();
    await seedDemo(t.database, { seed: 2026, now: NOW });
  }, 180_000);
  afterAll(() => t?.close());

  it('puts one referral in each state a worker meets on open food and housing needs', SLOW, async () => {
    const rows = await t.database.query<{
      status: string;
      domain: string;
      need_status: string;
      linked: boolean;
    }>(
      `select r.status, n.domain, n.status as need_status,
         exists(select 1 from need_links l where l.target_id = r.id and l.unlinked_at is null) as linked
       from referrals r join needs n on n.id = r.need_id order by r.created_at`,
    );
    expect(rows.map((r) => r.status).sort()).toEqual(
      ['accepted', 'completed', 'draft', 'in-progress', 'received', 'rejected', 'requested'].sort(),
    );
    for (const row of rows) {
      expect(['food-insecurity', 'housing-instability']).toContain(row.domain);
      expect(row.need_status).toBe('being-addressed');
      expect(row.linked).toBe(row.status !== 'rejected');
    }
    const [events] = await t.database.query<{ bad: number }>(
      `select count(*)::int as bad from referrals r
       where r.version <> (select count(*) from referral_events e where e.referral_id = r.id)
          or r.status <> (select e.to_status from referral_events e where e.referral_id = r.id order by e.at desc, e.id desc limit 1)
          or r.consent_id is null`,
    );
    expect(events!.bad).toBe(0);
  });

  it(
    'shows them through the API: the patient’s referrals, the needs page and the worklist’s stalled flag',
    SLOW,
    async () => {
      const [user] = await t.database.db
        .select()
        .from(users)
        .where(eq(users.email, 'supervisor@riverside.example'));
      const supervisor = await signIn(t, user!, DEMO_PASSWORD);
      const patients = await t.database.query<{ patient_id: string }>(
        'select distinct patient_id from referrals',
      );
      for (const { patient_id: id } of patients) {
        for (const url of [
          `/api/patients/${id}/referrals`,
          `/api/patients/${id}/needs`,
          `/api/patients/${id}/referral-consents`,
        ]) {
          const res = await supervisor.get(url);
          expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
        }
      }
      // The referral sent ten days before the seeded "now" has stalled (the stall days are 7).
      const worklist = await supervisor.get('/api/worklist?scope=all&pageSize=200');
      const flagged = worklist
        .json()
        .items.filter((i: { stalledReferrals: number }) => i.stalledReferrals > 0);
      expect(flagged.length).toBeGreaterThan(0);
    },
  );
});
