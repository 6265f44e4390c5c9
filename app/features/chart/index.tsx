import { registerChartTab } from './chart-tabs.ts';
import { TimelineTab } from './TimelineTab.tsx';

// The chart's first tab, at /patients/{id}: one timeline of everything done for the patient.
registerChartTab({ id: '', label: 'Timeline', order: 0, element: TimelineTab });
