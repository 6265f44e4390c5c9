import { IconMail } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { NewsletterPage } from './NewsletterPage.tsx';

// The newsletter's people and lists (issue 7): admins look subscribers up, export, erase, manage lists.
registerFeature({
  id: 'newsletter',
  label: 'Newsletter',
  path: '/admin/newsletter',
  icon: IconMail,
  section: 'admin',
  roles: ['admin'],
  routes: [{ path: 'admin/newsletter', element: <NewsletterPage /> }],
});
