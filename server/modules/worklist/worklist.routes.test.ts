import { TZDate } from '@date-fns/tz';
import { addDays, startOfDay } from 'date-fns';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorklistItem } from '../../../domain/schemas/worklist.ts';
import type { ReferralStatus } from '../../../domain/workflows/referral.ts';
import { auditEvents, organizations } from '../../platform/platform.tables.ts';
import { buildOrganization, buildUser, signIn, startTestApp, type TestContext } from '../../test/harness.ts';
import { insertDirectoryService, insertReferral } from '../referrals/referrals.fixtures.ts';
import {
  daysAgo,
  hoursAgo,
  insertCase,
  insertEncounter,
  insertFlag,
  insertNeed,
  insertPatient,
  insertTask,
} from './worklist.fixtures.ts';

let t: TestContext;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.close());

type Page = { items: WorklistItem[]; total: number; page: number; pageSize: number };
const names = (page: Page) => page.items.map((i) => i.patient.familyName);

/** An organisation with a supervisor and two workers. */
async function department() {
  const org = await buildOrganization(t);
  const supervisor = await buildUser(t, { organization: org, role: 'supervisor' });
  const worker = await buildUser(t, { organization: org });
  const colleague = await buildUser(t, { organization: org });
  return { org, supervisor, worker, colleague };
}

describe('GET /api/worklist for a social worker', () => {
  it('lists the cases assigned to me with location, stay, tasks due, open needs, first contact and flags', async () => {
    const { org, worker, colleague } = await department();
    // Rosa: my active case on 4 West, admitted three days ago, with flags and tasks.
    const rosa = await insertPatient(t, org, {
      familyName: 'Delgado',
      givenName: 'Rosa',
      preferredName: 'Rosie',
      birthDate: '1951-07-02',
      interpreterNeeded: true,
      careTeam: [worker],
    });
    const rosaCase = await insertCase(t, rosa, {
      assignedTo: worker.id,
      status: 'active',
      urgency: 'urgent',
      acuity: 3,
      firstContactAt: hoursAgo(20),
    });
    await insertEncounter(t, rosa, { admittedAt: daysAgo(3.2), expectedDischargeOn: '2031-01-15' });
    await insertFlag(t, rosa, 'new-results');
    await insertFlag(t, rosa, 'crisis-risk');
    await insertFlag(t, rosa, 'advance-directive', { clearedAt: new Date() });
    const zone = 'America/New_York';
    const endOfToday = startOfDay(addDays(new TZDate(Date.now(), zone), 1)).getTime();
    const laterToday = new Date((Date.now() + endOfToday) / 2);
    await insertTask(t, rosa, worker, { dueAt: hoursAgo(5) }); // overdue
    await insertTask(t, rosa, colleague, { dueAt: laterToday }); // due later today
    await insertTask(t, rosa, worker, { dueAt: addDays(new Date(), 3) }); // not yet
    await insertTask(t, rosa, worker, { dueAt: hoursAgo(5), status: 'done' }); // done
    await insertNeed(t, rosa, 'food-insecurity');
    await insertNeed(t, rosa, 'housing-instability', { status: 'being-addressed' });
    await insertNeed(t, rosa, 'utility-insecurity', { status: 'resolved' }); // closed
    await insertNeed(t, rosa, 'stress', { status: 'declined' }); // closed
    // Arturo: newly assigned, first contact overdue, no encounter.
    const arturo = await insertPatient(t, org, { familyName: 'Benitez', careTeam: [worker] });
    await insertCase(t, arturo, {
      assignedTo: worker.id,
      requestedAt: hoursAgo(6),
      firstContactDueAt: hoursAgo(5),
    });
    // Not mine: a colleague's case, an unassigned consult and my closed case.
    const other = await insertPatient(t, org, { familyName: 'Other', careTeam: [colleague, worker] });
    await insertCase(t, other, { assignedTo: colleague.id });
    await insertCase(t, other, {});
    await insertCase(t, other, { assignedTo: worker.id, status: 'closed', closedAt: new Date() });

    const res = await (await signIn(t, worker)).get('/api/worklist');
    expect(res.statusCode).toBe(200);
    const page: Page = res.json();
    expect(page.total).toBe(2);
    expect(names(page)).toEqual(['Delgado', 'Benitez']); // urgent before routine
    const [first, second] = page.items;
    expect(first).toEqual({
      case: {
        id: rosaCase.id,
        version: 1,
        status: 'active',
        urgency: 'urgent',
        acuity: 3,
        reasonCode: 'discharge-planning',
        requestedAt: rosaCase.requestedAt.toISOString(),
        firstContactDueAt: rosaCase.firstContactDueAt.toISOString(),
        firstContactAt: rosaCase.firstContactAt!.toISOString(),
        firstContactOverdue: false,
      },
      patient: {
        id: rosa.id,
        mrn: rosa.mrn,
        familyName: 'Delgado',
        givenName: 'Rosa',
        preferredName: 'Rosie',
        birthDate: '1951-07-02',
        age: expect.any(Number),
      },
      encounter: {
        unit: '4 West',
        room: '412',
        bed: 'A',
        admittedAt: expect.any(String),
        daysSinceAdmission: 3,
        expectedDischargeOn: '2031-01-15',
      },
      assignee: { id: worker.id, displayName: worker.displayName },
      tasksDue: 2,
      openNeeds: 2,
      stalledReferrals: 0,
      flags: ['crisis-risk', 'interpreter-needed', 'new-results'],
    });
    expect(first!.patient.age).toBeGreaterThanOrEqual(74);
    expect(second).toMatchObject({
      case: { status: 'assigned', firstContactOverdue: true, firstContactAt: null },
      encounter: null,
      tasksDue: 0,
      openNeeds: 0,
      flags: [],
    });
  });

  it('counts the active referrals that have not moved for the department’s stall days', async () => {
    const { org, worker } = await department();
    await t.database.db
      .update(organizations)
      .set({ referralStallDays: 5 })
      .where(eq(organizations.id, org.id));
    const rosa = await insertPatient(t, org, { familyName: 'Stalled', careTeam: [worker] });
    await insertCase(t, rosa, { assignedTo: worker.id, status: 'active' });
    const need = await insertNeed(t, rosa, 'food-insecurity', { status: 'being-addressed' });
    const { service } = await insertDirectoryService(t, org);
    const referral = (status: ReferralStatus, days: number) =>
      insertReferral(t, {
        patient: rosa,
        needId: need.id,
        service,
        requestedBy: worker.id,
        status,
        statusChangedAt: daysAgo(days),
      });
    await referral('requested', 6); // stalled
    await referral('on-hold', 30); // stalled
    await referral('accepted', 4); // not yet
    await referral('completed', 40); // ended
    await referral('draft', 40); // never sent
    const page: Page = (await (await signIn(t, worker)).get('/api/worklist')).json();
    expect(page.items.map((i) => [i.patient.familyName, i.stalledReferrals])).toEqual([['Stalled', 2]]);

    await t.database.db
      .update(organizations)
      .set({ referralStallDays: 3 })
      .where(eq(organizations.id, org.id));
    const sooner: Page = (await (await signIn(t, worker)).get('/api/worklist')).json();
    expect(sooner.items[0]!.stalledReferrals).toBe(3);
  });

  it('records one audit entry per request naming the patients shown', async () => {
    const { org, worker } = await department();
    const a = await insertPatient(t, org, { familyName: 'Audit', careTeam: [worker] });
    await insertCase(t, a, { assignedTo: worker.id });
    await insertCase(t, a, { assignedTo: worker.id, status: 'active' });

    await (await signIn(t, worker)).get('/api/worklist');
    const entries = await t.database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.actorUserId, worker.id), eq(auditEvents.action, 'worklist.read')));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ outcome: 'success', detail: { patientIds: [a.id], scope: 'mine' } });
  });

  it('shows only patients on my care teams, even when a case names me', async () => {
    const { org, worker } = await department();
    const onTeam = await insertPatient(t, org, { familyName: 'Team', careTeam: [worker] });
    const offTeam = await insertPatient(t, org, { familyName: 'Removed' });
    await insertCase(t, onTeam, { assignedTo: worker.id });
    await insertCase(t, offTeam, { assignedTo: worker.id });

    const page: Page = (await (await signIn(t, worker)).get('/api/worklist')).json();
    expect(names(page)).toEqual(['Team']);
  });

  it('returns 403 when a worker asks for the unassigned queue, a colleague’s caseload or all cases', async () => {
    const { worker, colleague } = await department();
    const client = await signIn(t, worker);
    for (const query of ['scope=unassigned', `scope=worker&workerId=${colleague.id}`, 'scope=all']) {
      const res = await client.get(`/api/worklist?${query}`);
      expect(res.statusCode, query).toBe(403);
    }
  });

  it('returns 403 to a clinician, whose role has no worklist', async () => {
    const clinician = await buildUser(t, { role: 'clinician' });
    expect((await (await signIn(t, clinician)).get('/api/worklist')).statusCode).toBe(403);
  });
});

describe('GET /api/worklist for a supervisor', () => {
  it('shows the unassigned queue, one worker’s caseload and all open cases of the organisation only', async () => {
    const { org, supervisor, worker, colleague } = await department();
    const p = (familyName: string) => insertPatient(t, org, { familyName });
    await insertCase(t, await p('New'), { status: 'new' });
    await insertCase(t, await p('Triaged'), { status: 'triaged' });
    await insertCase(t, await p('Mine'), { assignedTo: worker.id });
    await insertCase(t, await p('Active'), { assignedTo: worker.id, status: 'active' });
    await insertCase(t, await p('Colleague'), { assignedTo: colleague.id });
    await insertCase(t, await p('Closed'), { status: 'closed', closedAt: new Date() });
    // Another organisation's case never shows.
    const elsewhere = await buildOrganization(t);
    await insertCase(t, await insertPatient(t, elsewhere, { familyName: 'Elsewhere' }), {});

    const client = await signIn(t, supervisor);
    const byName = async (query: string) => {
      const res = await client.get(`/api/worklist?sort=name&${query}`);
      expect(res.statusCode, query).toBe(200);
      return names(res.json());
    };
    expect(await byName('scope=unassigned')).toEqual(['New', 'Triaged']);
    expect(await byName(`scope=worker&workerId=${worker.id}`)).toEqual(['Active', 'Mine']);
    expect(await byName('scope=all')).toEqual(['Active', 'Colleague', 'Mine', 'New', 'Triaged']);
    expect(await byName('scope=all&status=triaged')).toEqual(['Triaged']);
    // The supervisor has no cases of their own.
    expect(await byName('scope=mine')).toEqual([]);
  });

  it('filters by unit, urgency and flag, including interpreter-needed from the record', async () => {
    const { org, supervisor } = await department();
    const west = await insertPatient(t, org, { familyName: 'West', interpreterNeeded: true });
    await insertEncounter(t, west, { unit: '4 West' });
    await insertCase(t, west, { urgency: 'emergent' });
    const east = await insertPatient(t, org, { familyName: 'East' });
    await insertEncounter(t, east, { unit: '5 East' });
    await insertEncounter(t, east, { unit: '4 West', dischargedAt: daysAgo(10), admittedAt: daysAgo(20) });
    await insertCase(t, east, {});
    await insertFlag(t, east, 'crisis-risk');
    await insertFlag(t, east, 'interpreter-needed');

    const client = await signIn(t, supervisor);
    const list = async (query: string) =>
      names((await client.get(`/api/worklist?scope=all&sort=name&${query}`)).json());
    expect(await list('unit=4%20West')).toEqual(['West']);
    expect(await list('unit=5%20East')).toEqual(['East']);
    expect(await list('urgency=emergent')).toEqual(['West']);
    expect(await list('flag=crisis-risk')).toEqual(['East']);
    expect(await list('flag=interpreter-needed')).toEqual(['East', 'West']);
    expect(await list('flag=new-results')).toEqual([]);
    const units = await client.get('/api/worklist/units');
    expect(units.json()).toEqual(['4 West', '5 East']);
  });

  it('sorts by priority, admission, expected discharge, name and tasks due, both ways', async () => {
    const { org, supervisor, worker } = await department();
    const make = async (
      familyName: string,
      c: { urgency: string; acuity: number | null },
      admittedDaysAgo: number,
      discharge: string | null,
      tasksDue: number,
    ) => {
      const patient = await insertPatient(t, org, { familyName });
      await insertEncounter(t, patient, {
        admittedAt: daysAgo(admittedDaysAgo),
        expectedDischargeOn: discharge,
      });
      await insertCase(t, patient, c);
      for (let i = 0; i < tasksDue; i++) await insertTask(t, patient, worker);
    };
    await make('Able', { urgency: 'routine', acuity: 4 }, 9, '2031-03-01', 0);
    await make('Baker', { urgency: 'emergent', acuity: 1 }, 1, null, 2);
    await make('Cole', { urgency: 'urgent', acuity: 2 }, 5, '2031-02-01', 1);
    await make('Dunn', { urgency: 'urgent', acuity: 4 }, 2, '2031-01-01', 3);
    await make('Eads', { urgency: 'urgent', acuity: 4 }, 7, null, 0);

    const client = await signIn(t, supervisor);
    const list = async (query: string) =>
      names((await client.get(`/api/worklist?scope=all&${query}`)).json());
    // Emergent first, then by acuity (highest first), then the longest stay.
    expect(await list('')).toEqual(['Baker', 'Eads', 'Dunn', 'Cole', 'Able']);
    expect(await list('sort=priority&dir=desc')).toEqual(['Able', 'Cole', 'Dunn', 'Eads', 'Baker']);
    expect(await list('sort=admitted')).toEqual(['Able', 'Eads', 'Cole', 'Dunn', 'Baker']);
    expect(await list('sort=admitted&dir=desc')).toEqual(['Baker', 'Dunn', 'Cole', 'Eads', 'Able']);
    // No expected discharge date comes last either way.
    expect(await list('sort=expectedDischarge')).toEqual(['Dunn', 'Cole', 'Able', 'Baker', 'Eads']);
    expect(await list('sort=expectedDischarge&dir=desc')).toEqual(['Able', 'Cole', 'Dunn', 'Baker', 'Eads']);
    expect(await list('sort=name&dir=desc')).toEqual(['Eads', 'Dunn', 'Cole', 'Baker', 'Able']);
    expect(await list('sort=tasksDue')).toEqual(['Dunn', 'Baker', 'Cole', 'Eads', 'Able']);
  });

  it('pages on the server with the total of the whole scope', async () => {
    const { org, supervisor } = await department();
    for (const name of ['Ant', 'Bee', 'Cat', 'Doe', 'Elk']) {
      await insertCase(t, await insertPatient(t, org, { familyName: name }), {});
    }
    const client = await signIn(t, supervisor);
    const get = async (query: string): Promise<Page> =>
      (await client.get(`/api/worklist?scope=unassigned&sort=name&pageSize=2&${query}`)).json();
    expect(await get('page=1')).toMatchObject({ total: 5, page: 1, pageSize: 2 });
    expect(names(await get('page=2'))).toEqual(['Cat', 'Doe']);
    expect(names(await get('page=3'))).toEqual(['Elk']);
    // Past the end: no rows, and still the total.
    expect(await get('page=4')).toMatchObject({ items: [], total: 5 });
  });
});

describe('GET /api/worklist with bad parameters', () => {
  it('returns 422 naming each bad field', async () => {
    const { supervisor } = await department();
    const client = await signIn(t, supervisor);
    const cases: [string, string][] = [
      ['scope=worker', 'query.workerId'],
      ['scope=mine&workerId=5b0f3b1e-4a8e-4c55-9a43-2f6d8f1c0a11', 'query.workerId'],
      ['scope=everyone', 'query.scope'],
      ['sort=age', 'query.sort'],
      ['dir=up', 'query.dir'],
      ['urgency=soon', 'query.urgency'],
      ['flag=vip', 'query.flag'],
      ['status=new', 'query.status'],
      ['status=closed&scope=all', 'query.status'],
      ['page=0', 'query.page'],
      ['pageSize=201', 'query.pageSize'],
    ];
    for (const [query, field] of cases) {
      const res = await client.get(`/api/worklist?${query}`);
      expect(res.statusCode, query).toBe(422);
      expect(
        res.json().errors.map((e: { field: string }) => e.field),
        query,
      ).toContain(field);
    }
  });
});
