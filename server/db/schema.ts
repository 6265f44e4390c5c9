// Every table of Kith, for drizzle-kit and for typed queries. Each module owns its own `*.tables.ts`.

export * from '../modules/assessments/assessments.tables.ts';
export * from '../modules/cases/cases.tables.ts';
export * from '../modules/discharge/discharge.tables.ts';
export * from '../modules/encounters/encounters.tables.ts';
export * from '../modules/hl7/hl7.tables.ts';
export * from '../modules/messages/messages.tables.ts';
export * from '../modules/needs/needs.tables.ts';
export * from '../modules/newsletter/newsletter.tables.ts';
export * from '../modules/patients/patients.tables.ts';
export * from '../modules/referrals/referrals.tables.ts';
export * from '../modules/resources/resources.tables.ts';
export * from '../modules/site/site.tables.ts';
export * from '../modules/tasks/tasks.tables.ts';
export * from '../platform/notifications/notifications.tables.ts';
export * from '../platform/platform.tables.ts';
export * from '../platform/timeline/timeline.tables.ts';
