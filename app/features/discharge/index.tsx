import { IconClipboardHeart, IconReportMedical } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { DischargeFiguresPage } from './DischargeFiguresPage.tsx';
import { DischargeTab } from './DischargeTab.tsx';
import { UnitListPage } from './UnitListPage.tsx';

// Discharge planning: the chart tab, the unit list, and the department figures.
registerChartTab({ id: 'discharge', label: 'Discharge', order: 55, element: DischargeTab });

registerFeature({
  id: 'discharge-unit-list',
  label: 'Unit list',
  path: '/discharge/units',
  icon: IconClipboardHeart,
  section: 'discharge-planning',
  roles: ['admin', 'supervisor', 'social_worker'],
  routes: [{ path: 'discharge/units', element: <UnitListPage /> }],
});

registerFeature({
  id: 'discharge-figures',
  label: 'Discharge figures',
  path: '/reports/discharge',
  icon: IconReportMedical,
  section: 'reports',
  roles: ['supervisor', 'admin'],
  routes: [{ path: 'reports/discharge', element: <DischargeFiguresPage /> }],
});

import './AdmissionTriggers.register.tsx';
