import { eq, sql } from 'drizzle-orm';
import { REFERRAL_STATUS_LABELS, type ReferralStatus } from '../../../domain/workflows/referral.ts';
import type { Db, DbOrTx } from '../../db/client.ts';
import { type Actor, auditActor, type RequestOrigin } from '../../platform/actor.ts';
import { appendAudit } from '../../platform/audit/audit.service.ts';
import { defineJob, type JobDefinition } from '../../platform/jobs.ts';
import { organizations } from '../../platform/platform.tables.ts';
import { createTask } from '../tasks/tasks.service.ts';
import { ACTIVE_REFERRAL_SQL } from './referrals.sql.ts';
import { referrals } from './referrals.tables.ts';
import { assignIfPossible, SYSTEM } from './referrals.transitions.ts';

/*
 * Follow-up: a referral that has not moved for the department's stall days gives the worker who sent it a
 * task, once; the task closes by itself when the referral moves (referrals.transitions.ts). A worker who closes
 * the task while the referral still sits gets another after as many days again.
 */

interface Stalled {
  id: string;
  organization_id: string;
  patient_id: string;
  requested_by: string;
  status: string;
  status_changed_at: Date | string;
  days: number;
  org_name: string;
  service_name: string;
}

/** Active referrals past their organisation's stall days with no open follow-up task, in id order after `after`. */
const stalledAfter = (after: string, now: Date, limit: number) => sql`
  select r.id, r.organization_id, r.patient_id, r.requested_by, r.status, r.status_changed_at,
    floor(extract(epoch from (${now.toISOString()}::timestamptz - r.status_changed_at)) / 86400)::int as days,
    d.name as org_name, s.name as service_name
  from referrals r
  join organizations o on o.id = r.organization_id
  join directory_organizations d on d.id = r.directory_organization_id
  join directory_services s on s.id = r.service_id
  left join tasks t on t.id = r.stalled_task_id
  where r.status in ${ACTIVE_REFERRAL_SQL}
    and r.status_changed_at < ${now.toISOString()}::timestamptz - make_interval(days => o.referral_stall_days)
    and (r.stalled_task_id is null
      or (t.status <> 'open' and t.completed_at < ${now.toISOString()}::timestamptz - make_interval(days => o.referral_stall_days)))
    and r.id > ${after}
  order by r.id
  limit ${limit}`;

/**
 * Gives each stalled referral its follow-up task, each in its own transaction under a row lock (a referral that
 * moved meanwhile is left alone). A worker who can no longer take the task (left the care team, disabled) is
 * skipped. Returns how many tasks were made.
 */
export async function followUpStalledReferrals(
  db: Db,
  now = new Date(),
  batchSize = 200,
): Promise<{ tasks: number }> {
  let made = 0;
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const result = await db.execute(stalledAfter(after, now, batchSize));
    const rows = (result as unknown as { rows: Stalled[] }).rows;
    for (const row of rows) {
      if (await followUp(db, row)) made++;
    }
    if (rows.length < batchSize) return { tasks: made };
    after = rows.at(-1)!.id;
  }
}

async function followUp(db: Db, row: Stalled): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [current] = await tx.select().from(referrals).where(eq(referrals.id, row.id)).for('update');
    const unchanged =
      current &&
      current.status === row.status &&
      current.statusChangedAt.getTime() === new Date(row.status_changed_at).getTime();
    if (!unchanged) return false;
    const label = REFERRAL_STATUS_LABELS[row.status as ReferralStatus];
    const task = await assignIfPossible(() =>
      createTask(tx, SYSTEM(row.organization_id), {
        title: `Referral to ${row.org_name} has not moved for ${row.days} days`,
        detail: `${row.service_name}: ${label} since ${current.statusChangedAt.toISOString().slice(0, 10)}. Call the organisation, send the link again, or record what happened.`,
        assigneeId: row.requested_by,
        dueAt: new Date(),
        patientId: row.patient_id,
        kind: 'stalled-referral',
      }),
    );
    if (!task) return false;
    await tx.update(referrals).set({ stalledTaskId: task.id }).where(eq(referrals.id, row.id));
    return true;
  });
}

export const referralJobs: readonly JobDefinition<never>[] = [
  defineJob({
    name: 'referrals.follow-up',
    cron: '17 * * * *',
    policy: 'singleton',
    batchSize: 10,
    // A missed hour is caught by the next one.
    retryLimit: 0,
    handler: async (_jobs, ctx) => {
      const { tasks } = await followUpStalledReferrals(ctx.database.db);
      if (tasks) ctx.logger.info({ tasks }, 'stalled referral follow-up tasks created');
    },
  }),
];

/** The department's stall days. */
export async function stallDaysOf(db: DbOrTx, organizationId: string): Promise<number> {
  const [org] = await db
    .select({ days: organizations.referralStallDays })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return org!.days;
}

/** Sets the department's stall days (admins), audited. */
export async function setStallDays(
  db: Db,
  actor: Actor,
  origin: RequestOrigin,
  days: number,
): Promise<number> {
  await db.transaction(async (tx) => {
    await tx
      .update(organizations)
      .set({ referralStallDays: days })
      .where(eq(organizations.id, actor.organizationId));
    await appendAudit(tx, {
      ...auditActor(actor),
      action: 'organization.update',
      outcome: 'success',
      recordKind: 'organization',
      recordId: actor.organizationId,
      ip: origin.ip,
      userAgent: origin.userAgent,
      detail: { fields: ['referralStallDays'], referralStallDays: days },
    });
  });
  return days;
}
