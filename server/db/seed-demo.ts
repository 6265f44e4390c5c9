import { faker } from '@faker-js/faker';
import { sql } from 'drizzle-orm';
import type { Role } from '../../domain/roles.ts';
import { careTeamMembers, patients } from '../modules/patients/patients.tables.ts';
import { hashPassword } from '../platform/auth/passwords.ts';
import { organizations, users } from '../platform/platform.tables.ts';
import type { Database } from './client.ts';

export const DEMO_PASSWORD = 'riverside-demo-2026';

export const DEMO_ACCOUNTS: { email: string; displayName: string; role: Role; note?: string }[] = [
  {
    email: 'admin@riverside.example',
    displayName: 'Alex Admin',
    role: 'admin',
    note: 'sets up two-step sign-in at first sign-in',
  },
  { email: 'supervisor@riverside.example', displayName: 'Sam Rivera, LICSW', role: 'supervisor' },
  { email: 'worker@riverside.example', displayName: 'Jordan Lee, LCSW', role: 'social_worker' },
  { email: 'worker2@riverside.example', displayName: 'Priya Nair, LMSW', role: 'social_worker' },
  { email: 'clinician@riverside.example', displayName: 'Dr. Morgan Chen', role: 'clinician' },
  { email: 'partner@riverside.example', displayName: 'Harbor Food Bank', role: 'community_partner' },
  { email: 'readonly@riverside.example', displayName: 'Quality Reviewer', role: 'read_only' },
];

/** True when the database holds no organisation yet: the first start of a new embedded install. */
export async function isEmpty(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ n: sql<number>`count(*)::int` }).from(organizations);
  return (row?.n ?? 0) === 0;
}

/** Seeds a demo department: one organisation, an account per role and 60 synthetic patients (fixed seed). */
export async function seedDemo(database: Database): Promise<void> {
  faker.seed(2026);
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await database.db.transaction(async (tx) => {
    const [org] = await tx
      .insert(organizations)
      .values({
        slug: 'riverside',
        name: 'Riverside General Hospital — Social Work',
        timeZone: 'America/New_York',
      })
      .returning();
    const created = await tx
      .insert(users)
      .values(
        DEMO_ACCOUNTS.map((a) => ({
          organizationId: org!.id,
          email: a.email,
          displayName: a.displayName,
          role: a.role,
          passwordHash,
          passwordChangedAt: new Date(),
        })),
      )
      .returning();
    const workers = created.filter((u) => u.role === 'social_worker' || u.role === 'clinician');
    const rows = Array.from({ length: 60 }, (_, i) => {
      const sex = faker.helpers.arrayElement(['female', 'male'] as const);
      const spanish = i % 5 === 0;
      return {
        organizationId: org!.id,
        mrn: `RGH${String(100_001 + i)}`,
        familyName: faker.person.lastName(),
        givenName: faker.person.firstName(sex),
        birthDate: faker.date.birthdate({ min: 18, max: 95, mode: 'age' }).toISOString().slice(0, 10),
        sex,
        preferredLanguage: spanish ? 'es' : 'en',
        interpreterNeeded: spanish && i % 2 === 0,
        address: {
          line1: faker.location.streetAddress(),
          city: faker.location.city(),
          state: 'MA',
          postalCode: faker.location.zipCode('021##'),
          country: 'US',
        },
        phones: [{ use: 'mobile', number: faker.phone.number({ style: 'national' }) }],
      };
    });
    const inserted = await tx.insert(patients).values(rows).returning({ id: patients.id });
    await tx.insert(careTeamMembers).values(
      inserted.flatMap((p, i) => {
        const worker = workers[i % workers.length]!;
        return [
          {
            organizationId: org!.id,
            patientId: p.id,
            userId: worker.id,
            teamRole: worker.role === 'clinician' ? 'Attending' : 'Primary social worker',
          },
        ];
      }),
    );
  });
}
