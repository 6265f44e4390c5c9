import { registerChartTab } from '../chart/chart-tabs.ts';
import { VisitsTab } from './VisitsTab.tsx';

registerChartTab({ id: 'visits', label: 'Visits', order: 50, element: VisitsTab });
