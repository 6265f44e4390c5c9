import { ASSESSMENT_READER_ROLES } from '../../../domain/assessments.ts';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { AssessmentsTab } from './AssessmentsTab.tsx';

// The chart's Assessments tab, at /patients/:id/assessments and /patients/:id/assessments/:assessmentId.
// The patient's tablet page (/fill/:token) lives outside the signed-in shell, in app/routes.tsx.
registerChartTab({
  id: 'assessments',
  label: 'Assessments',
  order: 15,
  element: AssessmentsTab,
  roles: ASSESSMENT_READER_ROLES,
});
