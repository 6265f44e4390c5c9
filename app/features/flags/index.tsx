import { registerChartTab } from '../chart/chart-tabs.ts';
import { FlagsTab } from './FlagsTab.tsx';

registerChartTab({
  id: 'flags',
  label: 'Flags',
  order: 60,
  element: FlagsTab,
  roles: ['admin', 'supervisor', 'social_worker', 'clinician'],
});
