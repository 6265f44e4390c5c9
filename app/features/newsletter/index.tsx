import { IconMail } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { IssuePage } from './IssuePage.tsx';
import { IssuesPage } from './IssuesPage.tsx';
import { NewsletterPage } from './NewsletterPage.tsx';
import { OutboxPage } from './OutboxPage.tsx';

// The newsletter (issue 7): its subscribers and lists, its issues (written, previewed, tested, sent to lists
// and followed delivery by delivery), and the mail outbox.
registerFeature({
  id: 'newsletter',
  label: 'Newsletter',
  path: '/admin/newsletter',
  icon: IconMail,
  section: 'admin',
  roles: ['admin'],
  routes: [
    { path: 'admin/newsletter', element: <NewsletterPage /> },
    { path: 'admin/newsletter/issues', element: <IssuesPage /> },
    { path: 'admin/newsletter/issues/:issueId', element: <IssuePage /> },
    { path: 'admin/newsletter/outbox', element: <OutboxPage /> },
  ],
});
