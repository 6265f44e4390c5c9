import { IconBuildingCommunity } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { AdminOnly } from './AdminOnly.tsx';
import { AssistancePage } from './AssistancePage.tsx';
import { DirectoryAdminPage } from './DirectoryAdminPage.tsx';
import { ResourcesLayout } from './ResourcesLayout.tsx';
import { SearchPage } from './SearchPage.tsx';
import { ServiceDetailPage } from './ServiceDetailPage.tsx';
import { ServiceEditPage } from './ServiceEditPage.tsx';

// The community resource directory (issue 5): search for staff who find services for patients, editing for
// admins. The referrals feature hangs its "Refer" action on the selection (selection.ts).
registerFeature({
  id: 'resources',
  label: 'Resources',
  path: '/resources',
  icon: IconBuildingCommunity,
  section: 'resources',
  roles: ['admin', 'supervisor', 'social_worker', 'clinician'],
  routes: [
    {
      path: 'resources',
      element: <ResourcesLayout />,
      children: [
        { index: true, element: <SearchPage /> },
        { path: 'assistance', element: <AssistancePage /> },
        { path: 'services/new', element: <AdminOnly element={<ServiceEditPage />} /> },
        { path: 'services/:serviceId', element: <ServiceDetailPage /> },
        { path: 'services/:serviceId/edit', element: <AdminOnly element={<ServiceEditPage />} /> },
        { path: 'directory', element: <AdminOnly element={<DirectoryAdminPage />} /> },
      ],
    },
  ],
});
