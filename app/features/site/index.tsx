import { IconWorldWww } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { SitePagesPage } from './SitePagesPage.tsx';

// The public site's pages (issue 7): admins edit the text the department publishes.
registerFeature({
  id: 'public-site',
  label: 'Public site',
  path: '/admin/site',
  icon: IconWorldWww,
  section: 'admin',
  roles: ['admin'],
  routes: [
    { path: 'admin/site', element: <SitePagesPage /> },
    { path: 'admin/site/:slug', element: <SitePagesPage /> },
  ],
});
