import type { Hl7Message } from '../../../domain/hl7/message.ts';
import type { Tx } from '../../db/client.ts';
import type { AuditEntry } from '../../platform/audit/audit.service.ts';
import { mergePatientsIn } from '../patients/merge.service.ts';
import type { AdtContext } from './adt.contract.ts';
import { refuse } from './adt.errors.ts';
import { FEED_USER_NAME, feedUserId } from './adt.feed-user.ts';
import { changeMrn, checkMrn, mrnIn, patientByMrn, readPid, updateFromPid } from './adt.patient.ts';

/**
 * A40: each PID/MRG pair joins the record of the prior MRN (MRG-1) into the survivor's (PID-3) through the
 * merge service, which an admin can undo. A prior record unknown here needs nothing; a survivor unknown here
 * means the identifier changed, so the prior record takes the survivor's MRN.
 */
export async function applyMerge(run: { tx: Tx; ctx: AdtContext; message: Hl7Message; audit: AuditEntry[] }) {
  const { tx, message, audit } = run;
  const pids = message.all('PID');
  const mrgs = message.all('MRG');
  if (!pids.length) throw refuse('PID', undefined, 100, 'Required segment PID is missing');
  if (!mrgs.length) throw refuse('MRG', undefined, 100, 'Required segment MRG is missing');
  let last: { patientId: string; encounterId: null } = { patientId: '', encounterId: null };
  for (const [i, pid] of pids.entries()) {
    const mrg = mrgs[i];
    if (!mrg) throw refuse('MRG', undefined, 100, 'Each PID needs its MRG', pid.sequence);
    const survivorMrn = checkMrn(mrnIn(pid, 3, run.ctx.assigningAuthority), 'PID', 3, pid.sequence);
    const priorMrn = checkMrn(mrnIn(mrg, 1, run.ctx.assigningAuthority), 'MRG', 1, mrg.sequence);
    const survivor = await patientByMrn(tx, run.ctx.organizationId, survivorMrn);
    const prior = survivorMrn === priorMrn ? null : await patientByMrn(tx, run.ctx.organizationId, priorMrn);
    if (!survivor && !prior)
      throw refuse('PID', 3, 204, 'Neither the surviving nor the prior MRN is known here', pid.sequence);
    if (!prior) {
      last = { patientId: (await updateFromPid(tx, survivor!, readPid(pid), audit)).id, encounterId: null };
      continue;
    }
    if (!survivor) {
      const renamed = await changeMrn(tx, prior, survivorMrn, audit);
      last = { patientId: (await updateFromPid(tx, renamed, readPid(pid), audit)).id, encounterId: null };
      continue;
    }
    const mergedBy = await feedUserId(tx, run.ctx.organizationId, audit);
    await mergePatientsIn(
      tx,
      {
        organizationId: run.ctx.organizationId,
        userId: mergedBy,
        entry: (action, extra) => ({
          organizationId: run.ctx.organizationId,
          actorUserId: null,
          actorRole: null,
          actorLabel: FEED_USER_NAME,
          action,
          outcome: 'success',
          ...extra,
        }),
      },
      {
        survivorId: survivor.id,
        mergedId: prior.id,
        reason: `ADT feed A40 (message ${run.ctx.messageId})`,
      },
      audit,
    );
    const refreshed = await patientByMrn(tx, run.ctx.organizationId, survivorMrn);
    last = { patientId: (await updateFromPid(tx, refreshed!, readPid(pid), audit)).id, encounterId: null };
  }
  return last;
}
