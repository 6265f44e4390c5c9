import type { z } from 'zod';
import type * as Needs from '../../../domain/schemas/needs.ts';

/** A need as the API shows it, with its referrals at a glance and the actions the signed-in user may take. */
export type NeedView = z.infer<typeof Needs.Need>;
export type NeedCreate = z.input<typeof Needs.NeedCreateRequest>;
export type NeedTransitionRequest = z.input<typeof Needs.NeedTransitionRequest>;
/** The actions a person takes on a need (`address` is the system's, when a referral or goal is linked). */
export type NeedPersonAction = NeedTransitionRequest['action'];
