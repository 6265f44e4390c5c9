import { registerChartTab } from '../chart/chart-tabs.ts';
import { FamilyTab } from './FamilyTab.tsx';

// Other features show who may be told what with the same badge and data.
export { DisclosureBadge } from './DisclosureBadge.tsx';
export { useContacts } from './FamilyTab.tsx';

registerChartTab({ id: 'family', label: 'Family', order: 40, element: FamilyTab });
