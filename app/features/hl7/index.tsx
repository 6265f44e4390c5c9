import { IconPlugConnected } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { AdminLayout } from '../admin/AdminLayout.tsx';
import { Hl7MessagePage } from './Hl7MessagePage.tsx';
import { Hl7MessagesPage } from './Hl7MessagesPage.tsx';

// The ADT feed's admin screen, under the admin pages' navigation.
registerFeature({
  id: 'hl7',
  label: 'ADT feed',
  path: '/admin/hl7',
  icon: IconPlugConnected,
  roles: ['admin'],
  section: 'admin',
  routes: [
    {
      path: 'admin/hl7',
      element: <AdminLayout />,
      children: [
        { index: true, element: <Hl7MessagesPage /> },
        { path: ':messageId', element: <Hl7MessagePage /> },
      ],
    },
  ],
});
