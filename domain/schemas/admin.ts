import { z } from 'zod';
import { NewPassword, Role } from './auth.ts';
import { Email, IsoDate, IsoDateTime, PageQuery, pageOf, Uuid } from './common.ts';

export const UserSummary = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  role: Role,
  kind: z.enum(['person', 'service']),
  mfaEnabled: z.boolean(),
  disabled: z.boolean(),
  lastSignInAt: IsoDateTime.nullable(),
  createdAt: IsoDateTime,
});
export type UserSummary = z.infer<typeof UserSummary>;

export const UserCreateRequest = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('person'),
    email: Email,
    displayName: z.string().trim().min(1, 'is required').max(200),
    role: Role,
    password: NewPassword,
  }),
  z.object({
    kind: z.literal('service'),
    email: Email,
    displayName: z.string().trim().min(1, 'is required').max(200),
    role: Role,
  }),
]);

export const UserUpdateRequest = z
  .object({
    role: Role.optional(),
    disabled: z.boolean().optional(),
    displayName: z.string().trim().min(1).max(200).optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: 'nothing to change' });

export const UserListQuery = PageQuery.extend({ q: z.string().trim().max(100).optional() });

export const ApiTokenCreateRequest = z.object({
  userId: Uuid,
  name: z.string().trim().min(1, 'is required').max(100),
  expiresInDays: z.coerce.number().int().min(1).max(3650).optional(),
});
export const ApiTokenSummary = z.object({
  id: Uuid,
  userId: Uuid,
  userEmail: z.string(),
  name: z.string(),
  prefix: z.string(),
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime.nullable(),
  lastUsedAt: IsoDateTime.nullable(),
  revokedAt: IsoDateTime.nullable(),
});
/** The token itself is shown once, here, and never again. */
export const ApiTokenCreateResponse = z.object({ token: z.string(), apiToken: ApiTokenSummary });

/** True for a time zone name the platform knows, e.g. America/Chicago. */
function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const OrganizationSettings = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: z
    .string()
    .min(1)
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as America/New_York'),
  requireMfa: z.boolean(),
});
export const OrganizationUpdateRequest = OrganizationSettings.partial();

export const AuditEvent = z.object({
  seq: z.number().int(),
  id: Uuid,
  occurredAt: IsoDateTime,
  actorUserId: Uuid.nullable(),
  actorLabel: z.string().nullable(),
  actorRole: z.string().nullable(),
  action: z.string(),
  outcome: z.string(),
  patientId: Uuid.nullable(),
  recordKind: z.string().nullable(),
  recordId: z.string().nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  reason: z.string().nullable(),
  emergency: z.boolean(),
});
export type AuditEvent = z.infer<typeof AuditEvent>;

export const AuditSearchQuery = PageQuery.extend({
  userId: Uuid.optional(),
  patientId: Uuid.optional(),
  action: z.string().trim().max(100).optional(),
  emergency: z.enum(['true', 'false']).optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
});

export const EmergencyAccessReview = z.object({
  id: Uuid,
  userId: Uuid,
  userEmail: z.string(),
  patientId: Uuid,
  patientName: z.string(),
  reason: z.string(),
  grantedAt: IsoDateTime,
  expiresAt: IsoDateTime,
  reviewedAt: IsoDateTime.nullable(),
  reviewNote: z.string().nullable(),
});
export const EmergencyAccessReviewRequest = z.object({
  note: z.string().trim().min(1, 'is required').max(2000),
});

/** The organisation's mail outbox as admins see it: every email Kith sent or kept (no SMTP_URL), newest first. */
export const OutboxQuery = PageQuery.extend({ status: z.enum(['queued', 'sent', 'failed']).optional() });
export const OutboxMessage = z.object({
  id: Uuid,
  to: z.string(),
  subject: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  lastError: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
});
export type OutboxMessage = z.infer<typeof OutboxMessage>;
export const OutboxPage = pageOf(OutboxMessage);
export type OutboxPage = z.infer<typeof OutboxPage>;
