import { IconClipboardList, IconMessagePlus } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { CasesTab } from './CasesTab.tsx';
import { ConsultRequestPage } from './ConsultRequestPage.tsx';
import { TriagePage } from './TriagePage.tsx';

registerFeature({
  id: 'triage',
  label: 'Triage',
  path: '/triage',
  icon: IconClipboardList,
  section: 'worklist',
  roles: ['supervisor', 'admin'],
  homeFor: ['supervisor'],
  routes: [{ path: 'triage', element: <TriagePage /> }],
});

// Clinicians reach the consult form from the menu; everyone else from the chart's Cases tab.
registerFeature({
  id: 'consults',
  label: 'Request consult',
  path: '/consults/new',
  icon: IconMessagePlus,
  section: 'worklist',
  roles: ['clinician'],
  routes: [
    { path: 'consults/new', element: <ConsultRequestPage /> },
    { path: 'cases/new', element: <ConsultRequestPage mode="case" /> },
  ],
});

registerChartTab({
  id: 'cases',
  label: 'Cases',
  order: 10,
  element: CasesTab,
  roles: ['admin', 'supervisor', 'social_worker', 'clinician', 'read_only'],
});
