import { z } from 'zod';
import { ROLES } from '../roles.ts';
import { Email, IsoDateTime, Uuid } from './common.ts';

export const PASSWORD_MIN_LENGTH = 12;

/** A new password: length only here; the common-password list is checked on the server. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .max(256, 'must be at most 256 characters');

export const Role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });

export const LoginRequest = z.object({
  email: z.string().trim().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(256),
  /** A 6-digit TOTP code or a recovery code. */
  totp: z.string().trim().min(6).max(32).optional(),
});

export const SessionUser = z.object({
  id: Uuid,
  email: z.string(),
  displayName: z.string(),
  role: Role,
  organization: z.object({
    id: Uuid,
    slug: z.string(),
    name: z.string(),
    /** IANA time zone in which the organisation's dates are shown. */
    timeZone: z.string(),
    requireMfa: z.boolean(),
  }),
  mfaEnabled: z.boolean(),
  /** True when the user must enrol a second factor before anything else. */
  mfaEnrolmentRequired: z.boolean(),
});

export const MeResponse = z.object({
  user: SessionUser,
  /** Send back as the `x-csrf-token` header on every write made with the session cookie. */
  csrfToken: z.string(),
  session: z.object({
    idleTimeoutSeconds: z.number().int(),
    expiresAt: IsoDateTime,
    lastSeenAt: IsoDateTime,
  }),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const MfaEnrolStartResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  /** PNG data URL of the otpauth URI, for the authenticator app to scan. */
  qrCodeDataUrl: z.string(),
});

export const MfaEnrolConfirmRequest = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be 6 digits'),
});
export const MfaEnrolConfirmResponse = z.object({ recoveryCodes: z.array(z.string()) });
export const MfaDisableRequest = z.object({ password: z.string().min(1, 'is required') });
export const ChangePasswordRequest = z.object({
  currentPassword: z.string().min(1, 'is required'),
  newPassword: NewPassword,
});

export const SessionSummary = z.object({
  id: Uuid,
  current: z.boolean(),
  createdAt: IsoDateTime,
  lastSeenAt: IsoDateTime,
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});

export const LogoutAllResponse = z.object({ ended: z.number().int() });

export { Email };
