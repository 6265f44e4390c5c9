import { IconBuildingHospital } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { ChoiceListPrintPage } from './ChoiceListPrintPage.tsx';
import { PostAcuteProvidersPage } from './PostAcuteProvidersPage.tsx';

// Post-acute providers (kind, capabilities, ratings) for admins; the choice list's print page rides along
// (no menu entry of its own: it is opened from the placement panel on the Discharge tab).
registerFeature({
  id: 'post-acute-providers',
  label: 'Post-acute providers',
  path: '/admin/post-acute',
  icon: IconBuildingHospital,
  section: 'admin',
  roles: ['admin'],
  routes: [
    { path: 'admin/post-acute', element: <PostAcuteProvidersPage /> },
    { path: 'patients/:patientId/choice-lists/:choiceListId/print', element: <ChoiceListPrintPage /> },
  ],
});
