import { IconBolt } from '@tabler/icons-react';
import { registerFeature } from '../../nav.ts';
import { AdmissionTriggersPage } from './AdmissionTriggersPage.tsx';

// The admission triggers' admin page (part of discharge planning; admins edit, supervisors read).
registerFeature({
  id: 'admission-triggers',
  label: 'Admission triggers',
  path: '/admin/admission-triggers',
  icon: IconBolt,
  section: 'admin',
  roles: ['admin', 'supervisor'],
  routes: [{ path: 'admin/admission-triggers', element: <AdmissionTriggersPage /> }],
});
