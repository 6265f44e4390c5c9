import { registerChartTab } from '../chart/chart-tabs.ts';
import { MessagesTab } from './MessagesTab.tsx';

registerChartTab({
  id: 'messages',
  label: 'Messages',
  order: 30,
  element: MessagesTab,
  roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'],
});
