import type { z } from 'zod';
import type * as Admin from '../../domain/schemas/admin.ts';
import type * as Auth from '../../domain/schemas/auth.ts';
import type * as Chart from '../../domain/schemas/chart.ts';
import type * as Patients from '../../domain/schemas/patients.ts';
import type * as Worklist from '../../domain/schemas/worklist.ts';

export type Me = z.infer<typeof Auth.MeResponse>;
export type SessionUser = z.infer<typeof Auth.SessionUser>;
export type SessionSummary = z.infer<typeof Auth.SessionSummary>;
export type MfaEnrolStart = z.infer<typeof Auth.MfaEnrolStartResponse>;
export type MfaEnrolConfirm = z.infer<typeof Auth.MfaEnrolConfirmResponse>;

export type Patient = z.infer<typeof Patients.Patient>;
export type PatientListItem = z.infer<typeof Patients.PatientListItem>;
export type PatientCreate = z.input<typeof Patients.PatientCreateRequest>;
export type CareTeamMember = z.infer<typeof Patients.CareTeamMember>;
export type EmergencyAccessGrant = z.infer<typeof Patients.EmergencyAccessResponse>;

export type UserSummary = z.infer<typeof Admin.UserSummary>;
export type ApiTokenSummary = z.infer<typeof Admin.ApiTokenSummary>;
export type ApiTokenCreated = z.infer<typeof Admin.ApiTokenCreateResponse>;
export type AuditEvent = z.infer<typeof Admin.AuditEvent>;
export type EmergencyAccessReview = z.infer<typeof Admin.EmergencyAccessReview>;
export type OrganizationSettings = z.infer<typeof Admin.OrganizationSettings>;

/** A colleague from the directory, to pick for a care team. */
export interface DirectoryUser {
  id: string;
  displayName: string;
  role: string;
}

export type WorklistItem = z.infer<typeof Worklist.WorklistItem>;
export type PatientChart = z.infer<typeof Chart.PatientChart>;
export type TimelineEntry = z.infer<typeof Chart.TimelineEntry>;
