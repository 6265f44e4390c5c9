import { describe, expect, it } from 'vitest';
import type { Role } from '../roles.ts';
import {
  actionsFrom,
  allowedCaseActions,
  CASE_ACTIONS,
  CASE_STATUSES,
  type CaseAction,
  type CaseStatus,
  caseActionLabel,
  caseActionNeeds,
  decideCaseTransition,
  openingStatus,
} from './case.ts';

// The lifecycle as the department describes it, written out by hand so that the machine is checked against
// the specification rather than against itself.
const FROM: Record<CaseStatus, CaseAction[]> = {
  new: ['triage', 'assign', 'close'],
  triaged: ['assign', 'close'],
  assigned: ['reassign', 'start', 'close'],
  active: ['reassign', 'close'],
  closed: ['reopen'],
};
const LEAD_ONLY: CaseAction[] = ['triage', 'assign', 'reassign'];

const supervisor = { id: 'sup', role: 'supervisor' as Role };
const admin = { id: 'adm', role: 'admin' as Role };
const assignee = { id: 'sw-1', role: 'social_worker' as Role };
const otherWorker = { id: 'sw-2', role: 'social_worker' as Role };
const clinician = { id: 'doc', role: 'clinician' as Role };

const caseIn = (status: CaseStatus) => ({
  status,
  assignedTo: ['new', 'triaged'].includes(status) ? null : 'sw-1',
  firstContactAt: status === 'active' || status === 'closed' ? new Date('2026-11-02T10:00:00Z') : null,
});

describe('case lifecycle', () => {
  it('offers from each state exactly the actions of the specification', () => {
    for (const status of CASE_STATUSES) expect(actionsFrom(status).sort()).toEqual([...FROM[status]].sort());
  });

  describe.each(CASE_STATUSES)('from %s', (status) => {
    it.each(CASE_ACTIONS)('a supervisor and an admin may %s only when the state allows it', (action) => {
      for (const lead of [supervisor, admin]) {
        const decision = decideCaseTransition(caseIn(status), action, lead);
        expect(decision.ok).toBe(FROM[status].includes(action));
        if (!decision.ok) {
          expect(decision.reason).toBe('not-from-here');
          expect(decision.allowed).toEqual(FROM[status]);
        }
      }
    });

    it.each(CASE_ACTIONS)(
      'the case’s worker may %s when the state allows and it is not a lead action',
      (action) => {
        const c = caseIn(status);
        const decision = decideCaseTransition(c, action, assignee);
        // A case waiting in the queue has no worker yet: nothing is theirs to do.
        const expected =
          c.assignedTo === assignee.id && FROM[status].includes(action) && !LEAD_ONLY.includes(action);
        expect(decision.ok).toBe(expected);
        if (!decision.ok)
          expect(decision.reason).toBe(FROM[status].includes(action) ? 'not-yours' : 'not-from-here');
      },
    );

    it.each(CASE_ACTIONS)('another worker and a clinician may never %s', (action) => {
      for (const user of [otherWorker, clinician]) {
        const decision = decideCaseTransition(caseIn(status), action, user);
        expect(decision).toMatchObject({ ok: false, allowed: [] });
      }
    });
  });

  it('moves a case forward: triage → triaged, assign → assigned, start → active, close → closed', () => {
    expect(decideCaseTransition(caseIn('new'), 'triage', supervisor)).toMatchObject({
      ok: true,
      to: 'triaged',
    });
    expect(decideCaseTransition(caseIn('triaged'), 'assign', supervisor)).toMatchObject({ to: 'assigned' });
    expect(decideCaseTransition(caseIn('new'), 'assign', supervisor)).toMatchObject({ to: 'assigned' });
    expect(decideCaseTransition(caseIn('assigned'), 'start', assignee)).toMatchObject({ to: 'active' });
    expect(decideCaseTransition(caseIn('active'), 'close', assignee)).toMatchObject({ to: 'closed' });
  });

  it('keeps the state when a case changes worker', () => {
    expect(decideCaseTransition(caseIn('assigned'), 'reassign', supervisor)).toMatchObject({
      to: 'assigned',
    });
    expect(decideCaseTransition(caseIn('active'), 'reassign', supervisor)).toMatchObject({ to: 'active' });
  });

  it('reopens to active after contact, to assigned before it, and to the queue without a worker', () => {
    const closed = { status: 'closed' as const, assignedTo: 'sw-1' };
    expect(decideCaseTransition({ ...closed, firstContactAt: new Date() }, 'reopen', assignee)).toMatchObject(
      { ok: true, to: 'active' },
    );
    expect(decideCaseTransition({ ...closed, firstContactAt: null }, 'reopen', assignee)).toMatchObject({
      to: 'assigned',
    });
    expect(
      decideCaseTransition(
        { status: 'closed', assignedTo: null, firstContactAt: null },
        'reopen',
        supervisor,
      ),
    ).toMatchObject({ to: 'triaged' });
  });

  it('names what each action needs: a worker, a close reason, a hand-off note', () => {
    expect(caseActionNeeds('assign')).toEqual(['assignee']);
    expect(caseActionNeeds('reassign')).toEqual(['assignee', 'note']);
    expect(caseActionNeeds('close')).toEqual(['closeReason']);
    expect(caseActionNeeds('reopen')).toEqual(['note']);
    expect(caseActionNeeds('start')).toEqual([]);
  });

  it('lists what the assigned worker may do on an assigned case', () => {
    expect(allowedCaseActions(caseIn('assigned'), assignee)).toEqual(['start', 'close']);
    expect(allowedCaseActions(caseIn('assigned'), otherWorker)).toEqual([]);
  });

  it('opens a consult in the queue and a worker’s own case assigned to them', () => {
    expect(openingStatus({ assignedTo: null })).toBe('new');
    expect(openingStatus({ assignedTo: 'sw-1' })).toBe('assigned');
  });

  it('labels actions as the department says them', () => {
    expect(caseActionLabel('start')).toBe('Record first contact');
    expect(caseActionLabel('open')).toBe('Opened');
  });
});
