import {
  assessmentAlarms,
  assessmentHandoffs,
  assessments,
  observations,
} from '../../modules/assessments/assessments.tables.ts';
import { cases, caseTransitions } from '../../modules/cases/cases.tables.ts';
import { encounters } from '../../modules/encounters/encounters.tables.ts';
import { messageMentions, messages } from '../../modules/messages/messages.tables.ts';
import { needFindings, needs, needTransitions } from '../../modules/needs/needs.tables.ts';
import {
  careTeamMembers,
  patientContacts,
  patientFlags,
  patients,
} from '../../modules/patients/patients.tables.ts';
import { reindexSearchDocs } from '../../modules/resources/search.index.ts';
import { tasks } from '../../modules/tasks/tasks.tables.ts';
import { hashPassword } from '../../platform/auth/passwords.ts';
import { notifications } from '../../platform/notifications/notifications.tables.ts';
import { organizations, users } from '../../platform/platform.tables.ts';
import { timelineEvents } from '../../platform/timeline/timeline.tables.ts';
import type { Database, DbOrTx } from '../client.ts';
import { DEMO_ADMISSION_TRIGGERS } from './admission-triggers.ts';
import { DAY, type DemoContext, MINUTE, type Person } from './context.ts';
import {
  DEMO_DIRECTORY_SERVICES,
  type DemoDirectory,
  DIRECTORY_TABLES,
  writeDemoDirectory,
} from './directory.ts';
import { writeDemoDischarge } from './discharge.ts';
import { writeDemoHl7 } from './hl7.ts';
import { writeDemoNewsletter } from './newsletter.ts';
import { writeDemoPostAcute } from './post-acute.ts';
import { demoRandom } from './random.ts';
import { writeDemoReferrals } from './referrals.ts';
import { finishScreening, pendingNeedEntries } from './screens.ts';
import { writeDemoSite } from './site.ts';
import { planStaff } from './staff.ts';
import { type Bed, fillerVisit, type Profile, patientStory } from './story.ts';
import { bedsOf } from './visits.ts';
import { unitNames } from './vocab.ts';
import { RowWriter } from './writer.ts';

/** How big a department to generate. */
export interface DemoSizes {
  patients: number;
  socialWorkers: number;
  supervisors: number;
  clinicians: number;
  units: number;
  /** Open (assigned or active) cases per social worker, on average. */
  caseload: number;
  /** Timeline entries to reach in all, by adding older visits; without it, what the stories make. */
  timelineEvents?: number;
  /** Services in the community resource directory (directory.ts); a few hundred when not given. */
  directoryServices?: number;
}

/** The demo department the seed builds: 3 units, 6 social workers, a supervisor, 2 clinicians, 150 patients. */
export const DEPARTMENT_SIZES: DemoSizes = {
  patients: 150,
  socialWorkers: 6,
  supervisors: 1,
  clinicians: 2,
  units: 3,
  caseload: 12,
};

/** A large hospital for the benchmark: 100,000 patients, 1,000,000 timeline entries, 150 social workers. */
export const HOSPITAL_SIZES: DemoSizes = {
  patients: 100_000,
  socialWorkers: 150,
  supervisors: 8,
  clinicians: 60,
  units: 60,
  caseload: 28,
  timelineEvents: 1_000_000,
  directoryServices: 100_000,
};

export interface GenerateOptions {
  /** Same seed, same `now` and same sizes: the same rows, ids included. */
  seed: number;
  /** The generator's present: admissions, consults and due times are placed relative to it. */
  now: Date;
  sizes: DemoSizes;
  /** Every account's password. */
  password: string;
  /** Patients written per transaction; by default everything is one transaction. */
  patientsPerTransaction?: number;
  onProgress?: (patientsDone: number, rowsWritten: number) => void;
}

export interface DemoSummary {
  organizationId: string;
  staff: Person[];
  /** Rows written per table. */
  rows: Record<string, number>;
  /** Seconds spent writing the resource directory and building its search read model. */
  directorySeconds: { write: number; reindex: number };
}

const TABLE_ORDER = [
  organizations,
  users,
  ...DIRECTORY_TABLES,
  patients,
  careTeamMembers,
  patientContacts,
  encounters,
  cases,
  caseTransitions,
  assessments,
  assessmentHandoffs,
  assessmentAlarms,
  observations,
  needs,
  needFindings,
  needTransitions,
  tasks,
  messages,
  messageMentions,
  patientFlags,
  notifications,
  timelineEvents,
];

/** How many patients of each profile a department of these sizes has. */
export function profileCounts(sizes: DemoSizes): Record<Profile, number> {
  const caseload = sizes.socialWorkers * sizes.caseload;
  const inpatients = Math.ceil(caseload / 0.72);
  const queue = Math.max(2, Math.round(inpatients * 0.12));
  const queueEd = Math.max(1, Math.round(queue * 0.25));
  const queueWard = queue - queueEd;
  const ward = Math.max(0, inpatients - caseload - queueWard);
  const ed = Math.max(1, Math.round(inpatients * 0.03));
  const clinic = Math.max(1, Math.round(inpatients * 0.05));
  const rest = sizes.patients - (caseload + queueWard + queueEd + ward + ed + clinic);
  if (rest < 0)
    throw new Error(`${sizes.patients} patients are too few for ${caseload} open cases and their wards`);
  const discharged = Math.min(rest, Math.round(inpatients * 0.6));
  return {
    caseload,
    'queue-ward': queueWard,
    'queue-ed': queueEd,
    ward,
    ed,
    clinic,
    discharged,
    history: rest - discharged,
  };
}

/**
 * Generates a whole department into an empty database: the Riverside organisation, its staff (the demo
 * logins first), and patients with families, visits, cases in every state with their history, care teams,
 * tasks, messages, flags, notifications, the year's screens (screens.ts) with the needs and alarms they
 * raised, and one timeline, all placed relative to `now`.
 */
export async function generateDemo(database: Database, opts: GenerateOptions): Promise<DemoSummary> {
  const { sizes } = opts;
  const r = demoRandom(opts.seed);
  const now = opts.now.getTime();
  const w = new RowWriter(TABLE_ORDER);
  const units = unitNames(sizes.units);
  const organizationId = r.id(now - 730 * DAY);
  w.add(organizations, {
    id: organizationId,
    slug: 'riverside',
    name: 'Riverside General Hospital — Social Work',
    timeZone: 'America/New_York',
    admissionTriggers: DEMO_ADMISSION_TRIGGERS,
    createdAt: new Date(now - 730 * DAY),
  });
  const passwordHash = await hashPassword(opts.password);
  const staff: Person[] = planStaff(
    sizes,
    units.map((u) => u.name),
    r,
  ).map((s, i) => ({ ...s, id: r.id(now - 730 * DAY + (i + 1) * MINUTE) }));
  w.add(
    users,
    ...staff.map((s) => ({
      id: s.id,
      organizationId,
      email: s.email,
      displayName: s.displayName,
      role: s.role,
      kind: 'person',
      passwordHash,
      passwordChangedAt: new Date(now),
      createdAt: new Date(now - 730 * DAY),
    })),
  );
  const byRole = (role: Person['role']) => staff.filter((s) => s.role === role);
  const workers = byRole('social_worker');
  const ctx: DemoContext = {
    r,
    w,
    now,
    timeZone: 'America/New_York',
    organizationId,
    units,
    admin: byRole('admin')[0]!,
    supervisors: byRole('supervisor'),
    workers,
    workersByUnit: new Map(units.map((u) => [u.name, workers.filter((s) => s.unit === u.name)])),
    clinicians: byRole('clinician'),
    attendings: [
      ...byRole('clinician').map((c) => c.displayName),
      ...Array.from(
        { length: 30 },
        () => `Dr. ${r.faker.person.firstName()} ${r.faker.person.lastName().split('-')[0]}`,
      ),
    ],
    openCases: new Map(),
    seq: { visit: 0 },
    events: 0,
    screening: null,
  };

  // Who is where today, in a shuffled order so that MRNs do not follow profiles; beds for the inpatients.
  const counts = profileCounts(sizes);
  const profiles = (Object.entries(counts) as [Profile, number][]).flatMap(([p, n]) =>
    Array.from({ length: n }, () => p),
  );
  shuffle(r.int, profiles);
  // Patients known only from older visits close the run: their older visits absorb what the timeline
  // still lacks, so that it ends at the size asked for.
  for (let k = 0, j = profiles.length - 1; k < 20 && j >= 0; j--) {
    const last = profiles.length - 1 - k;
    if (profiles[j] !== 'history' || j > last) continue;
    [profiles[j], profiles[last]] = [profiles[last]!, profiles[j]!];
    k += 1;
  }
  const inpatients = counts.caseload + counts['queue-ward'] + counts.ward;
  const perUnit = Math.ceil(inpatients / units.length / 0.92);
  const beds: Bed[] = units.flatMap((unit) => bedsOf(unit, perUnit).map((b) => ({ unit, ...b })));
  shuffle(r.int, beds);
  let nextBed = 0;

  const target = sizes.timelineEvents;
  const perTransaction = opts.patientsPerTransaction ?? Number.POSITIVE_INFINITY;
  const generateRange = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const profile = profiles[i]!;
      const bed = ['caseload', 'queue-ward', 'ward'].includes(profile) ? beds[nextBed++]! : null;
      const { patient, historyWindow } = patientStory(ctx, i, profile, bed);
      if (target !== undefined && historyWindow) {
        // Older visits until the timeline holds its share of the target so far, counting the entries of the
        // needs the patient's screens found, which are written last.
        const share = Math.floor((target * (i + 1)) / sizes.patients);
        const left = () => share - ctx.events - pendingNeedEntries(ctx);
        while (left() > 0) fillerVisit(ctx, patient, historyWindow, left());
      }
      finishScreening(ctx);
    }
  };
  let directory: DemoDirectory = { services: [] };
  const directorySeconds = { write: 0, reindex: 0 };
  const writeAll = async (db: DbOrTx) => {
    await w.flush(db);
    const started = performance.now();
    directory = await writeDemoDirectory(db, w, {
      seed: opts.seed,
      now,
      organizationId,
      services: sizes.directoryServices ?? DEMO_DIRECTORY_SERVICES,
    });
    await writeDemoPostAcute(db, { seed: opts.seed, now, organizationId }); // post-acute providers (issue 6)
    directorySeconds.write = (performance.now() - started) / 1000;
    opts.onProgress?.(0, total(w));
  };

  if (perTransaction >= sizes.patients) {
    await database.db.transaction(async (tx) => {
      await writeAll(tx);
      generateRange(0, sizes.patients);
      await w.flush(tx);
    });
    opts.onProgress?.(sizes.patients, total(w));
  } else {
    await database.db.transaction(writeAll);
    for (let start = 0; start < sizes.patients; start += perTransaction) {
      const end = Math.min(sizes.patients, start + perTransaction);
      generateRange(start, end);
      await database.db.transaction((tx) => w.flush(tx));
      opts.onProgress?.(end, total(w));
    }
  }
  // The directory's search read model, once everything is written.
  const indexing = performance.now();
  await database.db.transaction((tx) => reindexSearchDocs(tx, organizationId));
  directorySeconds.reindex = (performance.now() - indexing) / 1000;
  // A few referrals on open food and housing needs, once the needs and the directory are there.
  await database.db.transaction((tx) =>
    writeDemoReferrals(tx, { seed: opts.seed, now, organizationId, services: directory.services }),
  );
  // Discharge plans of the inpatients, with barriers and follow-up calls (issue 6).
  await database.db.transaction((tx) => writeDemoDischarge(tx, { seed: opts.seed, now, organizationId }));
  // A few ADT feed messages, through the ingest service (issue 6).
  await writeDemoHl7(database.db, { organizationId, now: new Date(now) });
  // The public site's contacts and hours (issue 7); last, so that the seeded ids before it do not move.
  await writeDemoSite(database.db, {
    id: r.id(now),
    organizationId,
    adminId: ctx.admin.id,
    now: new Date(now),
  });
  // The newsletter's readers, two past issues and a draft (issue 7).
  await database.db.transaction((tx) =>
    writeDemoNewsletter(tx, { organizationId, adminId: ctx.admin.id, now, id: (at) => r.id(at) }),
  );
  return { organizationId, staff, rows: Object.fromEntries(w.written), directorySeconds };
}

const total = (w: RowWriter) => [...w.written.values()].reduce((a, b) => a + b, 0);

/** Fisher-Yates with the seeded source. */
function shuffle<T>(int: (min: number, max: number) => number, items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = int(0, i);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}
