import { faker } from '@faker-js/faker';
import type { Database } from '../server/db/client.ts';
import { careTeamMembers, patients } from '../server/modules/patients/patients.tables.ts';
import { appendAudit } from '../server/platform/audit/audit.service.ts';
import { hashPassword } from '../server/platform/auth/passwords.ts';
import { organizations, users } from '../server/platform/platform.tables.ts';

export interface BenchData {
  workers: { id: string; email: string; patientIds: string[] }[];
  supervisorEmail: string;
  adminId: string;
  organizationId: string;
  patientIds: string[];
}

export const BENCH_PASSWORD = 'bench-password-riverside';

/** A hospital-sized department: 150 workers, `patientCount` patients each on one worker's care team, and a long audit trail. */
export async function generate(
  database: Database,
  opts: { patientCount: number; auditCount: number },
): Promise<BenchData> {
  faker.seed(7);
  const db = database.db;
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  const [org] = await db.insert(organizations).values({ slug: 'bench', name: 'Bench General' }).returning();
  const organizationId = org!.id;
  const staff = await db
    .insert(users)
    .values([
      {
        organizationId,
        email: 'admin@bench.test',
        displayName: 'Admin',
        role: 'admin',
        passwordHash,
        kind: 'person',
      },
      {
        organizationId,
        email: 'supervisor@bench.test',
        displayName: 'Supervisor',
        role: 'supervisor',
        passwordHash,
      },
      ...Array.from({ length: 150 }, (_, i) => ({
        organizationId,
        email: `worker${i}@bench.test`,
        displayName: faker.person.fullName(),
        role: 'social_worker',
        passwordHash,
      })),
    ])
    .returning();
  const workerRows = staff.filter((u) => u.role === 'social_worker');
  const workers = workerRows.map((w) => ({ id: w.id, email: w.email, patientIds: [] as string[] }));
  const patientIds: string[] = [];
  for (let start = 0; start < opts.patientCount; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, opts.patientCount - start) }, (_, j) => ({
      organizationId,
      mrn: `B${String(start + j).padStart(8, '0')}`,
      familyName: faker.person.lastName(),
      givenName: faker.person.firstName(),
      birthDate: faker.date.birthdate({ min: 18, max: 99, mode: 'age' }).toISOString().slice(0, 10),
      sex: faker.helpers.arrayElement(['female', 'male']),
      preferredLanguage: faker.helpers.weightedArrayElement([
        { weight: 8, value: 'en' },
        { weight: 2, value: 'es' },
      ]),
    }));
    const inserted = await db.insert(patients).values(batch).returning({ id: patients.id });
    const team = inserted.map((p, j) => {
      const worker = workers[(start + j) % workers.length]!;
      worker.patientIds.push(p.id);
      patientIds.push(p.id);
      return { organizationId, patientId: p.id, userId: worker.id, teamRole: 'Primary social worker' };
    });
    await db.insert(careTeamMembers).values(team);
  }
  for (let done = 0; done < opts.auditCount; done += 1000) {
    const entries = Array.from({ length: Math.min(1000, opts.auditCount - done) }, (_, j) => {
      const worker = workers[(done + j) % workers.length]!;
      return {
        organizationId,
        actorUserId: worker.id,
        actorRole: 'social_worker',
        actorLabel: worker.email,
        action: 'patient.read',
        outcome: 'success' as const,
        patientId: worker.patientIds[(done + j) % worker.patientIds.length] ?? null,
        recordKind: 'patient',
        ip: '127.0.0.1',
      };
    });
    await appendAudit(db, ...entries);
  }
  return {
    workers,
    supervisorEmail: 'supervisor@bench.test',
    adminId: staff[0]!.id,
    organizationId,
    patientIds,
  };
}
