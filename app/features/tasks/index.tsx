import { IconChecklist } from '@tabler/icons-react';
import { TASK_READER_ROLES } from '../../../domain/tasks.ts';
import { registerFeature } from '../../nav.ts';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { MyTasksPage } from './MyTasksPage.tsx';
import { PatientTasksTab } from './PatientTasksTab.tsx';

registerFeature({
  id: 'tasks',
  label: 'Tasks',
  path: '/tasks',
  icon: IconChecklist,
  section: 'worklist',
  roles: TASK_READER_ROLES,
  routes: [{ path: 'tasks', element: <MyTasksPage /> }],
});

registerChartTab({
  id: 'tasks',
  label: 'Tasks',
  order: 20,
  element: PatientTasksTab,
  roles: TASK_READER_ROLES,
});
