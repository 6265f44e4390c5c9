import { buildOrganization, buildPatient, buildUser, signIn, type TestContext } from '../../test/harness.ts';

/** A department: a worker and a colleague on one patient's care team, a supervisor, and an outsider. */
export async function department(t: TestContext) {
  const org = await buildOrganization(t);
  const worker = await buildUser(t, { organization: org });
  const colleague = await buildUser(t, { organization: org, role: 'clinician' });
  const supervisor = await buildUser(t, { organization: org, role: 'supervisor' });
  const outsider = await buildUser(t, { organization: org });
  const patient = await buildPatient(t, { organization: org, careTeam: [worker, colleague] });
  return { org, worker, colleague, supervisor, outsider, patient, client: await signIn(t, worker) };
}

/** A due time `h` hours from now, as the API takes it. */
export const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();
