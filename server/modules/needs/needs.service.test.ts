import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdohDomain } from '../../../domain/needs.ts';
import { auditEvents } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import { testEngine } from '../../test/database.ts';
import {
  buildOrganization,
  buildPatient,
  buildUser,
  startTestApp,
  type TestContext,
} from '../../test/harness.ts';
import { insertAssessment } from './needs.fixtures.ts';
import { linkToNeed, needsFoundBy, recordNeedsFound, unlinkFromNeed } from './needs.service.ts';
import { needFindings, needLinks, needs, needTransitions } from './needs.tables.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

/** A patient on a worker's care team, and a way to record what one of their screens found. */
async function patientWithWorker() {
  const organization = await buildOrganization(t);
  const worker = await buildUser(t, { organization });
  const patient = await buildPatient(t, { organization, careTeam: [worker] });
  const screen = (over: Parameters<typeof insertAssessment>[3] = {}) =>
    insertAssessment(t, patient, worker, over);
  const found = (assessmentId: string, domains: SdohDomain[], db = t.database.db) =>
    db.transaction((tx) =>
      recordNeedsFound(tx, {
        organizationId: organization.id,
        patientId: patient.id,
        assessmentId,
        domains,
        foundAt: new Date(),
        actorId: worker.id,
      }),
    );
  return { organization, worker, patient, screen, found };
}

const needsOf = (patientId: string) =>
  t.database.db.select().from(needs).where(eq(needs.patientId, patientId)).orderBy(needs.identifiedAt);
const findingsOf = (needId: string) =>
  t.database.db.select().from(needFindings).where(eq(needFindings.needId, needId));

describe('recordNeedsFound', () => {
  it('makes one identified need per positive domain, with a finding, history, timeline entry and audit record', async () => {
    const { patient, worker, screen, found } = await patientWithWorker();
    const ahc = await screen();
    const result = await found(ahc.id, ['food-insecurity', 'housing-instability']);
    expect(result.map((r) => [r.domain, r.status, r.isNew])).toEqual([
      ['food-insecurity', 'identified', true],
      ['housing-instability', 'identified', true],
    ]);
    const rows = await needsOf(patient.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ sourceAssessmentId: ahc.id, identifiedBy: worker.id, version: 1 });
    expect(await findingsOf(rows[0]!.id)).toHaveLength(1);
    const history = await t.database.db
      .select()
      .from(needTransitions)
      .where(eq(needTransitions.needId, rows[0]!.id));
    expect(history).toMatchObject([{ action: 'identify', fromStatus: null, toStatus: 'identified' }]);
    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.kind, 'need')));
    expect(entries.map((e) => e.summary).sort()).toEqual([
      'Need identified: Food insecurity (AHC HRSN)',
      'Need identified: Housing instability (AHC HRSN)',
    ]);
    const audits = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.patientId, patient.id), eq(auditEvents.action, 'need.identify')));
    expect(audits).toHaveLength(2);
    expect(audits[0]).toMatchObject({ actorUserId: worker.id, recordKind: 'need', outcome: 'success' });
    expect(await needsFoundBy(t.database.db, ahc.id)).toEqual(result);
  });

  it('changes nothing when the same assessment is recorded twice', async () => {
    const { patient, screen, found } = await patientWithWorker();
    const ahc = await screen();
    const first = await found(ahc.id, ['food-insecurity']);
    const counts = async () => ({
      needs: (await needsOf(patient.id)).length,
      findings: (await findingsOf(first[0]!.id)).length,
      timeline: (
        await t.database.db.select().from(timelineEvents).where(eq(timelineEvents.patientId, patient.id))
      ).length,
      audit: (await t.database.db.select().from(auditEvents).where(eq(auditEvents.patientId, patient.id)))
        .length,
    });
    const before = await counts();
    const again = await found(ahc.id, ['food-insecurity']);
    expect(again).toEqual(first);
    expect(await counts()).toEqual(before);
    expect((await needsOf(patient.id))[0]!.version).toBe(1);

    // Still nothing once that need is resolved and a later screen has opened another.
    await t.database.db.update(needs).set({ status: 'resolved' }).where(eq(needs.id, first[0]!.id));
    const [later] = await found((await screen()).id, ['food-insecurity']);
    const findingsBefore = (await findingsOf(later!.id)).length;
    expect(await found(ahc.id, ['food-insecurity'])).toEqual([{ ...first[0]!, status: 'resolved' }]);
    expect(await findingsOf(later!.id)).toHaveLength(findingsBefore);
  });

  it('adds a finding to the open need when found again, and makes a new need once the old one is resolved', async () => {
    const { patient, screen, found } = await patientWithWorker();
    const first = await screen();
    const second = await screen({ instrumentId: 'hunger-vital-sign' });
    const [need] = await found(first.id, ['food-insecurity']);
    const [again] = await found(second.id, ['food-insecurity']);
    expect(again).toEqual({ id: need!.id, domain: 'food-insecurity', status: 'identified', isNew: false });
    expect(await needsOf(patient.id)).toHaveLength(1);
    expect(await findingsOf(need!.id)).toHaveLength(2);
    expect(await needsFoundBy(t.database.db, second.id)).toEqual([again]);
    // No second "identified" entry for a need found again.
    const entries = await t.database.db
      .select()
      .from(timelineEvents)
      .where(and(eq(timelineEvents.patientId, patient.id), eq(timelineEvents.kind, 'need')));
    expect(entries).toHaveLength(1);

    await t.database.db.update(needs).set({ status: 'resolved' }).where(eq(needs.id, need!.id));
    const third = await screen();
    const [fresh] = await found(third.id, ['food-insecurity']);
    expect(fresh).toMatchObject({ status: 'identified', isNew: true });
    expect(fresh!.id).not.toBe(need!.id);
    expect(await needsOf(patient.id)).toHaveLength(2);
  });

  it('does not bring back a need closed since, when an amendment of the screen that found it is recorded', async () => {
    const { patient, screen, found } = await patientWithWorker();
    const original = await screen();
    const [need] = await found(original.id, ['food-insecurity']);
    await t.database.db.update(needs).set({ status: 'resolved' }).where(eq(needs.id, need!.id));
    const amendment = await screen({ amendsId: original.id, rootId: original.id });
    const result = await found(amendment.id, ['food-insecurity']);
    expect(result).toEqual([{ id: need!.id, domain: 'food-insecurity', status: 'resolved', isNew: false }]);
    expect(await needsOf(patient.id)).toHaveLength(1);
  });

  it('refuses an assessment of another patient', async () => {
    const { organization, worker, found } = await patientWithWorker();
    const other = await buildPatient(t, { organization });
    const elsewhere = await insertAssessment(t, other, worker);
    await expect(found(elsewhere.id, ['food-insecurity'])).rejects.toMatchObject({ status: 404 });
  });

  it(`makes one need when two transactions find the same domain at once (${testEngine})`, async () => {
    const { patient, screen, found } = await patientWithWorker();
    const [a, b] = [await screen(), await screen()];
    let results: Awaited<ReturnType<typeof found>>[];
    if (testEngine === 'postgres') {
      // The first transaction inserts the need and holds its commit until the second is waiting on the
      // unique index behind it; then the second must find the need the first made.
      let release!: () => void;
      const held = new Promise<void>((r) => {
        release = r;
      });
      let firstDone!: () => void;
      const firstInserted = new Promise<void>((r) => {
        firstDone = r;
      });
      const first = t.database.db.transaction(async (tx) => {
        const r = await recordNeedsFoundIn(tx, patient, a.id);
        firstDone();
        await held;
        return r;
      });
      await firstInserted;
      const second = found(b.id, ['food-insecurity']);
      await waitForLockWait();
      release();
      results = await Promise.all([first, second]);
    } else {
      // PGlite runs one transaction at a time: both still go through the same index.
      results = await Promise.all([found(a.id, ['food-insecurity']), found(b.id, ['food-insecurity'])]);
    }
    expect(results[0]![0]!.id).toBe(results[1]![0]!.id);
    const rows = await needsOf(patient.id);
    expect(rows).toHaveLength(1);
    expect(await findingsOf(rows[0]!.id)).toHaveLength(2);
  });
});

async function recordNeedsFoundIn(
  tx: Parameters<Parameters<TestContext['database']['db']['transaction']>[0]>[0],
  patient: { id: string; organizationId: string },
  assessmentId: string,
) {
  return recordNeedsFound(tx, {
    organizationId: patient.organizationId,
    patientId: patient.id,
    assessmentId,
    domains: ['food-insecurity'],
    foundAt: new Date(),
    actorId: null,
  });
}

/** Until another backend of this database waits on a lock (the second insert behind the first). */
async function waitForLockWait() {
  for (let i = 0; i < 500; i++) {
    const [row] = await t.database.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    if (Number(row?.n) > 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('the second transaction never waited on the first');
}

describe('linking referrals and goals', () => {
  it('moves an identified need to being-addressed on the first link, idempotently, as the system', async () => {
    const { organization, worker, screen, found } = await patientWithWorker();
    const [need] = await found((await screen()).id, ['transportation-insecurity']);
    const link = {
      organizationId: organization.id,
      needId: need!.id,
      kind: 'referral' as const,
      actorId: worker.id,
    };
    const referralId = '00000000-0000-7000-8000-0000000000aa';
    const linked = await t.database.db.transaction((tx) => linkToNeed(tx, { ...link, targetId: referralId }));
    expect(linked).toMatchObject({ status: 'being-addressed', version: 2, statusChangedBy: null });
    const again = await t.database.db.transaction((tx) => linkToNeed(tx, { ...link, targetId: referralId }));
    expect(again).toMatchObject({ status: 'being-addressed', version: 2 });
    expect(await t.database.db.select().from(needLinks).where(eq(needLinks.needId, need!.id))).toHaveLength(
      1,
    );
    const history = await t.database.db
      .select()
      .from(needTransitions)
      .where(eq(needTransitions.needId, need!.id))
      .orderBy(needTransitions.at);
    expect(history.map((h) => [h.action, h.toStatus, h.byUser])).toEqual([
      ['identify', 'identified', worker.id],
      ['address', 'being-addressed', null],
    ]);
    const entries = await t.database.db
      .select({ summary: timelineEvents.summary })
      .from(timelineEvents)
      .where(eq(timelineEvents.recordId, need!.id));
    expect(entries.map((e) => e.summary)).toContain(
      'Need being addressed: Transportation insecurity (referral linked)',
    );

    // Taking the referral off leaves the status: a person resolves or declines the need.
    const unlinked = await t.database.db.transaction((tx) =>
      unlinkFromNeed(tx, { ...link, targetId: referralId }),
    );
    expect(unlinked.status).toBe('being-addressed');
    const [row] = await t.database.db.select().from(needLinks).where(eq(needLinks.needId, need!.id));
    expect(row!.unlinkedAt).not.toBeNull();
    // Linking it again puts the same link back.
    await t.database.db.transaction((tx) => linkToNeed(tx, { ...link, targetId: referralId }));
    const relinked = await t.database.db.select().from(needLinks).where(eq(needLinks.needId, need!.id));
    expect(relinked.map((l) => [l.id, l.unlinkedAt])).toEqual([[row!.id, null]]);
    const audits = await t.database.db
      .select({ action: auditEvents.action })
      .from(auditEvents)
      .where(eq(auditEvents.recordId, need!.id))
      .orderBy(auditEvents.seq);
    expect(audits.map((a) => a.action)).toEqual([
      'need.identify',
      'need.link',
      'need.address',
      'need.unlink',
      'need.link',
    ]);
  });

  it('refuses a link to a closed need (409 need-closed)', async () => {
    const { organization, screen, found } = await patientWithWorker();
    const [need] = await found((await screen()).id, ['utility-insecurity']);
    await t.database.db.update(needs).set({ status: 'declined' }).where(eq(needs.id, need!.id));
    await expect(
      t.database.db.transaction((tx) =>
        linkToNeed(tx, {
          organizationId: organization.id,
          needId: need!.id,
          kind: 'goal',
          targetId: '00000000-0000-7000-8000-0000000000bb',
          actorId: null,
        }),
      ),
    ).rejects.toMatchObject({ status: 409, code: 'need-closed' });
  });
});
