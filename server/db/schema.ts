// Every table of Kith, for drizzle-kit and for typed queries. Each module owns its own `*.tables.ts`.
export * from '../modules/patients/patients.tables.ts';
export * from '../platform/platform.tables.ts';
