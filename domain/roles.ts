/** Every role a Kith user can hold, from most to least privileged. */
export const ROLES = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'community_partner',
  'read_only',
] as const;
export type Role = (typeof ROLES)[number];

/** Human labels for roles, as the department says them. */
export const ROLE_LABELS: Record<Role, string> = {
  admin: 'Administrator',
  supervisor: 'Supervisor',
  social_worker: 'Social worker',
  clinician: 'Clinician',
  community_partner: 'Community partner',
  read_only: 'Read only',
};

/** Roles that see every patient of their organisation without being on the care team. */
export const ORGANISATION_WIDE_ROLES: readonly Role[] = ['admin', 'supervisor'];
