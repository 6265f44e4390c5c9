import { IconReportAnalytics } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { ScreeningCoveragePage } from './ScreeningCoveragePage.tsx';

registerFeature({
  id: 'screening-coverage',
  label: 'Screening coverage',
  path: '/reports/screening-coverage',
  icon: IconReportAnalytics,
  section: 'reports',
  roles: ['supervisor', 'admin'],
  routes: [{ path: 'reports/screening-coverage', element: <ScreeningCoveragePage /> }],
});
