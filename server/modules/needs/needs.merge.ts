import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { OPEN_NEED_SQL } from './lifecycle.service.ts';
import { needTransitions } from './needs.tables.ts';

/*
 * Merging two records of one person (patients/merge.service.ts) moves every need with the rest, but each
 * record may hold an open need of the same domain, and needs_open_once_idx allows one. Before the move, the
 * merged record's need is joined to the survivor's: its findings and live links move onto the survivor's open
 * need, and it is closed (`resolved`, with a `merge` history row that keeps its status before). Undo puts the
 * findings and links back and restores that status. What was joined is kept in the merge's `moved` record under
 * keys with a colon, which are notes, not tables.
 */
export const NEEDS_JOINED = 'needs:joined';
export const FINDINGS_JOINED = 'need_findings:joined';
export const LINKS_JOINED = 'need_links:joined';

const rowsOf = <T>(result: unknown): T[] => (result as { rows: T[] }).rows;
const idList = (ids: readonly string[]) =>
  sql`(select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::uuid)`;

/** Joins the merged record's open needs to the survivor's open needs of the same domains; returns what it did. */
export async function joinOpenNeeds(
  tx: Tx,
  input: { survivorId: string; mergedId: string; actorId: string },
): Promise<Record<string, string[]>> {
  const pairs = rowsOf<{ dup: string; keep: string; status: string; organization_id: string }>(
    await tx.execute(sql`
      select d.id as dup, s.id as keep, d.status, d.organization_id from needs d
      join needs s on s.patient_id = ${input.survivorId} and s.domain = d.domain and s.status in ${OPEN_NEED_SQL}
      where d.patient_id = ${input.mergedId} and d.status in ${OPEN_NEED_SQL}
      order by d.id
      for update of d, s`),
  );
  const joined: Record<string, string[]> = {};
  const add = (key: string, ids: string[]) => {
    if (ids.length) joined[key] = [...(joined[key] ?? []), ...ids];
  };
  for (const { dup, keep, status, organization_id } of pairs) {
    add(
      FINDINGS_JOINED,
      rowsOf<{ id: string }>(
        await tx.execute(sql`
          update need_findings f set need_id = ${keep} where f.need_id = ${dup}
            and not exists (select 1 from need_findings k where k.need_id = ${keep} and k.assessment_id = f.assessment_id)
          returning f.id`),
      ).map((r) => r.id),
    );
    const links = rowsOf<{ id: string }>(
      await tx.execute(sql`
        update need_links l set need_id = ${keep} where l.need_id = ${dup} and l.unlinked_at is null
          and not exists (select 1 from need_links k where k.need_id = ${keep} and k.kind = l.kind and k.target_id = l.target_id)
        returning l.id`),
    ).map((r) => r.id);
    add(LINKS_JOINED, links);
    // A referral or goal now hangs on the survivor's need: an identified one is being addressed, as on linking.
    if (links.length) await markAddressed(tx, keep, organization_id);
    await tx.execute(sql`
      update needs s set last_found_at = greatest(s.last_found_at, d.last_found_at), updated_at = now()
      from needs d where s.id = ${keep} and d.id = ${dup}`);
    await tx.execute(sql`
      update needs set status = 'resolved', status_changed_at = now(), status_changed_by = ${input.actorId},
        version = version + 1, updated_at = now()
      where id = ${dup}`);
    await addHistory(tx, {
      organizationId: organization_id,
      needId: dup,
      action: 'merge',
      from: status,
      to: 'resolved',
      by: input.actorId,
      note: 'The same need was open on the record kept by a merge: joined to it',
    });
    add(NEEDS_JOINED, [dup]);
  }
  return joined;
}

/** A history row of a need, at the transaction's time (the merge's own). */
async function addHistory(
  tx: Tx,
  h: {
    organizationId: string;
    needId: string;
    action: string;
    from: string;
    to: string;
    by: string | null;
    note: string;
  },
) {
  await tx.insert(needTransitions).values({
    organizationId: h.organizationId,
    needId: h.needId,
    action: h.action,
    fromStatus: h.from,
    toStatus: h.to,
    byUser: h.by,
    at: sql`now()`,
    note: h.note,
  });
}

async function markAddressed(tx: Tx, needId: string, organizationId: string) {
  const [moved] = rowsOf<{ id: string }>(
    await tx.execute(sql`
      update needs set status = 'being-addressed', status_changed_at = now(), status_changed_by = null,
        version = version + 1, updated_at = now()
      where id = ${needId} and status = 'identified' returning id`),
  );
  if (!moved) return;
  await addHistory(tx, {
    organizationId,
    needId,
    action: 'address',
    from: 'identified',
    to: 'being-addressed',
    by: null,
    note: 'A referral or goal came with a merged record',
  });
}

/**
 * Undoes `joinOpenNeeds` once the merge's rows are back on the merged record: findings and links return to the
 * joined need of their domain, which takes back the status it had (unless someone has changed it since). The
 * survivor's need keeps its status, as when a link is taken off.
 */
export async function separateJoinedNeeds(
  tx: Tx,
  input: { mergedId: string; moved: Record<string, string[]>; actorId: string },
): Promise<void> {
  const dups = input.moved[NEEDS_JOINED] ?? [];
  if (!dups.length) return;
  for (const [table, key] of [
    ['need_findings', FINDINGS_JOINED],
    ['need_links', LINKS_JOINED],
  ] as const) {
    const ids = input.moved[key];
    if (!ids?.length) continue;
    const kept = rowsOf<{ keep: string }>(
      await tx.execute(sql`
        update ${sql.identifier(table)} r set need_id = d.id
        from needs d, needs k
        where r.id in ${idList(ids)} and k.id = r.need_id and d.id in ${idList(dups)}
          and d.domain = k.domain and d.patient_id = ${input.mergedId}
        returning k.id as keep`),
    ).map((r) => r.keep);
    // The survivor's need was last found when its own findings say.
    for (const keep of new Set(kept)) {
      await tx.execute(sql`
        update needs s set last_found_at = greatest(s.identified_at,
          coalesce((select max(f.found_at) from need_findings f where f.need_id = s.id), s.identified_at))
        where s.id = ${keep}`);
    }
  }
  for (const dup of dups) {
    const [restored] = rowsOf<{ organization_id: string; from_status: string }>(
      await tx.execute(sql`
        update needs d set status = t.from_status, status_changed_at = now(), status_changed_by = ${input.actorId},
          version = d.version + 1, updated_at = now()
        from need_transitions t
        where d.id = ${dup} and d.status = 'resolved' and t.need_id = d.id and t.action = 'merge'
          and t.at = (select max(l.at) from need_transitions l where l.need_id = d.id)
        returning d.organization_id, t.from_status`),
    );
    if (!restored) continue;
    await addHistory(tx, {
      organizationId: restored.organization_id,
      needId: dup,
      action: 'merge-undone',
      from: 'resolved',
      to: restored.from_status,
      by: input.actorId,
      note: 'The merge was undone: a need of this record again',
    });
  }
}
