import type { Role } from '../../domain/roles.ts';

/** Who is making a request: a signed-in person (cookie session) or an integration (API token). */
export interface Actor {
  userId: string;
  organizationId: string;
  role: Role;
  email: string;
  displayName: string;
  via: 'session' | 'token';
  sessionId: string | null;
  tokenId: string | null;
  /** A second factor is still to be enrolled: only the enrolment routes are open. */
  mfaEnrolmentRequired: boolean;
}

/** Where a request came from, for the audit trail. */
export interface RequestOrigin {
  ip: string | null;
  userAgent: string | null;
}

/** The actor fields every audit record carries. */
export const auditActor = (actor: Actor) => ({
  organizationId: actor.organizationId,
  actorUserId: actor.userId,
  actorRole: actor.role,
  actorLabel: actor.via === 'token' ? `${actor.email} (API token)` : actor.email,
});
