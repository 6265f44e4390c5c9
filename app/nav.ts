import type { ComponentType } from 'react';
import type { RouteObject } from 'react-router';
import type { Role } from '../domain/roles.ts';

/**
 * The department's services in the order the navigation shows them. A feature names its section;
 * features not yet built simply have nothing registered, and slot into place when they are.
 */
export const SECTION_ORDER = [
  'worklist',
  'patients',
  'assessments',
  'resources',
  'referrals',
  'counseling',
  'advance-care-planning',
  'crisis',
  'advocacy',
  'discharge-planning',
  'support-groups',
  'reports',
  'admin',
] as const;
export type Section = (typeof SECTION_ORDER)[number];

export interface Feature {
  id: string;
  label: string;
  /** Where the navigation link goes. */
  path: string;
  icon?: ComponentType<{ size?: number; stroke?: number; 'aria-hidden'?: boolean }>;
  /** Roles that see the feature; everyone signed in when absent. */
  roles?: readonly Role[];
  /** Roles whose start page this is; others start at the first feature they may see. */
  homeFor?: readonly Role[];
  section: Section;
  /** Routes rendered inside the signed-in shell. */
  routes: RouteObject[];
}

const features: Feature[] = [];

/** Each feature registers itself from its own folder's index. */
export function registerFeature(feature: Feature): void {
  if (features.some((f) => f.id === feature.id)) throw new Error(`Feature ${feature.id} registered twice`);
  features.push(feature);
}

/** Registered features in section order, optionally only those a role may see. */
export function listFeatures(role?: Role): Feature[] {
  return features
    .filter((f) => !role || !f.roles || f.roles.includes(role))
    .sort((a, b) => SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section));
}

/** The page a role starts on: the feature that names the role as its home, else the first one it may see. */
export function homeFeature(role: Role): Feature | undefined {
  const visible = listFeatures(role);
  return visible.find((f) => f.homeFor?.includes(role)) ?? visible[0];
}
