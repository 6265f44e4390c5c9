import type { z } from 'zod';
import type * as Encounters from '../../../domain/schemas/encounters.ts';

export type Encounter = z.infer<typeof Encounters.Encounter>;
export type EncounterList = z.infer<typeof Encounters.EncounterList>;
export type EncounterAdmit = z.input<typeof Encounters.EncounterAdmitRequest>;
export type EncounterUpdate = z.input<typeof Encounters.EncounterUpdateRequest>;
export type EncounterDischarge = z.input<typeof Encounters.EncounterDischargeRequest>;
