import type { Role } from '../../../domain/roles.ts';
import { allowedCaseActions, type CaseAction, type CaseStatus } from '../../../domain/workflows/case.ts';
import type { Actor } from '../../platform/actor.ts';

/**
 * Who does what with cases. The lifecycle itself (which action from which state, by whom) is the state
 * machine in domain/workflows/case.ts; these are the rules around it. Patient access (care team, emergency
 * grant) is always checked first by `requirePatient`.
 */
export const CASE_LEADS = ['supervisor', 'admin'] as const satisfies readonly Role[];
/** Everyone who may look at cases of the patients they may see. */
export const CASE_READERS = [
  'admin',
  'supervisor',
  'social_worker',
  'clinician',
  'read_only',
] as const satisfies readonly Role[];
/** Who may ask social work for a consult. */
export const CONSULT_REQUESTERS = [
  'clinician',
  'social_worker',
  'supervisor',
  'admin',
] as const satisfies readonly Role[];
/** Who may open a case without a consult. */
export const CASE_OPENERS = ['social_worker', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** Who may change first-contact targets. */
export const TARGET_EDITORS = ['admin'] as const satisfies readonly Role[];

const isLead = (actor: Actor) => (CASE_LEADS as readonly Role[]).includes(actor.role);

interface CaseFacts {
  status: CaseStatus;
  assignedTo: string | null;
  firstContactAt: Date | null;
}

/** The lifecycle actions this actor may take on the case now. */
export const caseActionsFor = (actor: Actor, c: CaseFacts): CaseAction[] =>
  allowedCaseActions(c, { id: actor.userId, role: actor.role });

/** What else the actor may do: change urgency, acuity and details (leads, or the case's own worker). */
export const caseAbilities = (actor: Actor, c: CaseFacts) => ({
  update: c.status !== 'closed' && (isLead(actor) || c.assignedTo === actor.userId),
});
