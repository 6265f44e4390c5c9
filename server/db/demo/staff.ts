import type { Role } from '../../../domain/roles.ts';
import type { DemoRandom } from './random.ts';
import { DEPARTMENT_PEOPLE } from './vocab.ts';

/** A member of staff of the generated department. */
export interface StaffMember {
  email: string;
  displayName: string;
  role: Role;
  /** The unit a social worker covers. */
  unit?: string;
  note?: string;
}

export interface StaffSizes {
  socialWorkers: number;
  supervisors: number;
  clinicians: number;
}

const credential = (i: number) => (i % 3 === 0 ? 'LICSW' : i % 3 === 1 ? 'LCSW' : 'LMSW');

/**
 * The department's accounts: the fixed demo logins first (so the seed's accounts are the same whatever the
 * sizes), then generated colleagues when a larger set asks for more than the fixed ones. `random` is needed
 * only for those extra names.
 */
export function planStaff(sizes: StaffSizes, units: readonly string[], random?: DemoRandom): StaffMember[] {
  const name = (i: number, title: (n: string) => string) => {
    if (!random) throw new Error(`staff member ${i + 1} needs generated names: pass the random source`);
    return title(`${random.faker.person.firstName()} ${random.faker.person.lastName().split('-')[0]}`);
  };
  const people = <T extends { email: string; displayName: string }>(
    fixed: readonly T[],
    count: number,
    email: (i: number) => string,
    title: (n: string, i: number) => string,
  ) =>
    Array.from({ length: count }, (_, i) =>
      i < fixed.length
        ? { email: fixed[i]!.email, displayName: fixed[i]!.displayName }
        : { email: email(i), displayName: name(i, (n) => title(n, i)) },
    );

  const staff: StaffMember[] = [
    { ...DEPARTMENT_PEOPLE.admin, role: 'admin', note: 'sets up two-step sign-in at first sign-in' },
    ...people(
      DEPARTMENT_PEOPLE.supervisors,
      sizes.supervisors,
      (i) => `supervisor${i + 1}@riverside.example`,
      (n, i) => `${n}, ${credential(i)}`,
    ).map((p) => ({ ...p, role: 'supervisor' as const, note: 'triages and assigns consults' })),
    ...people(
      DEPARTMENT_PEOPLE.socialWorkers,
      sizes.socialWorkers,
      (i) => `worker${i + 1}@riverside.example`,
      (n, i) => `${n}, ${credential(i)}`,
    ).map((p, i) => {
      const unit = units[i % units.length]!;
      return { ...p, role: 'social_worker' as const, unit, note: unit };
    }),
    ...people(
      DEPARTMENT_PEOPLE.clinicians,
      sizes.clinicians,
      (i) => `clinician${i + 1}@riverside.example`,
      (n) => `Dr. ${n}`,
    ).map((p) => ({ ...p, role: 'clinician' as const, note: 'requests consults' })),
    { ...DEPARTMENT_PEOPLE.partner, role: 'community_partner' },
    { ...DEPARTMENT_PEOPLE.readOnly, role: 'read_only' },
  ];
  return staff;
}
