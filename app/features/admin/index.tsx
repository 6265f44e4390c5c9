import { IconShieldLock } from '@tabler/icons-react';
import { Navigate } from 'react-router';
import { registerFeature } from '../../nav.ts';
import { useSignedInUser } from '../auth/session.ts';
import { AdminLayout } from './AdminLayout.tsx';
import { AuditLogPage } from './AuditLogPage.tsx';
import { EmergencyReviewPage } from './EmergencyReviewPage.tsx';
import { MergeRecordsPage } from './MergeRecordsPage.tsx';
import { OrganizationPage } from './OrganizationPage.tsx';
import { TokensPage } from './TokensPage.tsx';
import { UsersPage } from './UsersPage.tsx';

/** Admins start at Users; supervisors only review emergency access. */
function AdminHome() {
  const user = useSignedInUser();
  return <Navigate to={user.role === 'admin' ? '/admin/users' : '/admin/emergency-access'} replace />;
}

registerFeature({
  id: 'admin',
  label: 'Admin',
  path: '/admin',
  icon: IconShieldLock,
  roles: ['admin', 'supervisor'],
  section: 'admin',
  routes: [
    {
      path: 'admin',
      element: <AdminLayout />,
      children: [
        { index: true, element: <AdminHome /> },
        { path: 'users', element: <UsersPage /> },
        { path: 'tokens', element: <TokensPage /> },
        { path: 'audit', element: <AuditLogPage /> },
        { path: 'emergency-access', element: <EmergencyReviewPage /> },
        { path: 'patient-merges', element: <MergeRecordsPage /> },
        { path: 'organization', element: <OrganizationPage /> },
      ],
    },
  ],
});
