import { Alert, Group, NavLink, Stack } from '@mantine/core';
import { Outlet, NavLink as RouterNavLink, useLocation } from 'react-router';
import type { Role } from '../../../domain/roles.ts';
import { useSignedInUser } from '../auth/session.ts';

const ADMIN_PAGES: { path: string; label: string; roles: Role[] }[] = [
  { path: '/admin/users', label: 'Users', roles: ['admin'] },
  { path: '/admin/tokens', label: 'API tokens', roles: ['admin'] },
  { path: '/admin/audit', label: 'Audit log', roles: ['admin'] },
  { path: '/admin/emergency-access', label: 'Emergency access review', roles: ['admin', 'supervisor'] },
  { path: '/admin/patient-merges', label: 'Merge records', roles: ['admin'] },
  { path: '/admin/organization', label: 'Organisation settings', roles: ['admin'] },
  { path: '/admin/hl7', label: 'ADT feed', roles: ['admin'] },
];

/** Admin pages with their own sub-navigation; each page is limited to the roles that may use it. */
export function AdminLayout() {
  const user = useSignedInUser();
  const location = useLocation();
  const pages = ADMIN_PAGES.filter((p) => p.roles.includes(user.role));
  const current = ADMIN_PAGES.find((p) => location.pathname.startsWith(p.path));
  const allowed = !current || current.roles.includes(user.role);
  return (
    <Stack>
      <Group component="nav" aria-label="Administration" gap={4} wrap="wrap">
        {pages.map((page) => (
          <NavLink
            key={page.path}
            component={RouterNavLink}
            to={page.path}
            label={page.label}
            active={location.pathname.startsWith(page.path)}
            w="auto"
            variant="filled"
          />
        ))}
      </Group>
      {allowed ? <Outlet /> : <Alert color="red">Only administrators can open this page.</Alert>}
    </Stack>
  );
}
