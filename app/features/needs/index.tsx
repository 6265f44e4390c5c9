import { ASSESSMENT_READER_ROLES } from '../../../domain/assessments.ts';
import { registerChartTab } from '../chart/chart-tabs.ts';
import { NeedsTab } from './NeedsTab.tsx';

// Next to Assessments: the needs the screens found. The tab API takes a fixed label, so no count here.
registerChartTab({
  id: 'needs',
  label: 'Needs',
  order: 16,
  element: NeedsTab,
  roles: ASSESSMENT_READER_ROLES,
});
