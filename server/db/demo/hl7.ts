import { asc, eq } from 'drizzle-orm';
import { hl7Feeds } from '../../modules/hl7/hl7.tables.ts';
import { ingestHl7, invalidateHl7Routing } from '../../modules/hl7/ingest.service.ts';
import { patients } from '../../modules/patients/patients.tables.ts';
import type { Db } from '../client.ts';

const stamp = (at: Date) => at.toISOString().replace(/[-:T]/g, '').slice(0, 14);

/**
 * The ADT feed's admin screen is not empty in the demo: Riverside's feed, and a few messages received through
 * the ingest service like any other: one applied (an A08 naming a demo patient, changing nothing), one in
 * error (no MRN), one refused (a message type Kith does not take) and one that does not parse. None of them
 * changes the demo's patients, encounters or timeline.
 */
export async function writeDemoHl7(db: Db, opts: { organizationId: string; now: Date }): Promise<void> {
  await db
    .insert(hl7Feeds)
    .values({ organizationId: opts.organizationId, sendingFacility: 'RIVERSIDE', assigningAuthority: null });
  invalidateHl7Routing(db);
  const [patient] = await db
    .select({ mrn: patients.mrn })
    .from(patients)
    .where(eq(patients.organizationId, opts.organizationId))
    .orderBy(asc(patients.mrn))
    .limit(1);
  const at = (minutesAgo: number) => stamp(new Date(opts.now.getTime() - minutesAgo * 60_000));
  const msh = (minutesAgo: number, type: string, control: string) =>
    `MSH|^~\\&|EPIC|RIVERSIDE|KITH|KITH|${at(minutesAgo)}||${type}|${control}|P|2.5.1`;
  const messages = [
    [
      msh(95, 'ADT^A08^ADT_A01', 'DEMO-0001'),
      `EVN|A08|${at(95)}`,
      `PID|1||${patient?.mrn ?? 'UNKNOWN'}`,
    ].join('\r'),
    [msh(62, 'ADT^A08^ADT_A01', 'DEMO-0002'), `EVN|A08|${at(62)}`, 'PID|1||||Nomrn^Pat'].join('\r'),
    [msh(40, 'ORU^R01^ORU_R01', 'DEMO-0003'), 'PID|1||X', 'OBX|1|NM|8867-4^Heart rate^LN||72'].join('\r'),
    `${msh(12, 'ADT^A01', 'DEMO-0004')}\rPV1 truncated by the sender`,
  ];
  for (const raw of messages) await ingestHl7(db, raw, { transport: 'mllp' });
}
