import { IconListCheck } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { WorklistPage } from './WorklistPage.tsx';

registerFeature({
  id: 'worklist',
  label: 'Worklist',
  path: '/worklist',
  icon: IconListCheck,
  // First in the navigation, so the home page of social workers, supervisors and admins.
  section: 'worklist',
  roles: ['admin', 'supervisor', 'social_worker'],
  homeFor: ['social_worker', 'admin'],
  routes: [{ path: 'worklist', element: <WorklistPage /> }],
});
