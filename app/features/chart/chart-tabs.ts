import type { ComponentType } from 'react';
import type { Role } from '../../../domain/roles.ts';

/** A tab of the patient chart, registered by the feature that owns it (as features register in nav.ts). */
export interface ChartTab {
  /** The URL segment after /patients/{id}/; the timeline is the chart's first tab, at ''. */
  id: string;
  label: string;
  /** Lower comes first. Timeline 0, cases 10, tasks 20, messages 30, family 40, visits 50, details 80... */
  order: number;
  element: ComponentType<{ patientId: string }>;
  /** Roles that see the tab; everyone who may open the chart when absent. */
  roles?: readonly Role[];
}

const tabs: ChartTab[] = [];

/** Each feature registers its chart tabs from its own folder's index. */
export function registerChartTab(tab: ChartTab): void {
  if (tabs.some((t) => t.id === tab.id)) throw new Error(`Chart tab ${tab.id} registered twice`);
  tabs.push(tab);
}

/** The chart's tabs in order, optionally only those a role may see. */
export function listChartTabs(role?: Role): ChartTab[] {
  return tabs.filter((t) => !role || !t.roles || t.roles.includes(role)).sort((a, b) => a.order - b.order);
}
