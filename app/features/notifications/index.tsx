import { IconBell } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { NotificationsPage } from './NotificationsPage.tsx';

registerFeature({
  id: 'notifications',
  label: 'Notifications',
  path: '/notifications',
  icon: IconBell,
  section: 'worklist',
  // Reached from the bell in the top bar and from the emails, not from the navigation: no role lists it.
  roles: [],
  routes: [{ path: 'notifications', element: <NotificationsPage /> }],
});
