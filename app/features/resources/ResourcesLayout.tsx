import { Group, NavLink, Stack } from '@mantine/core';
import { Outlet, NavLink as RouterNavLink, useLocation, useSearchParams } from 'react-router';
import { useSignedInUser } from '../auth/session.ts';

const PAGES = [
  { path: '/resources', label: 'Search', exact: true, adminOnly: false },
  { path: '/resources/assistance', label: 'Financial assistance', exact: false, adminOnly: false },
  { path: '/resources/directory', label: 'Directory', exact: false, adminOnly: true },
];

/** The resources pages under one sub-navigation: search, financial assistance and (admins) the directory. */
export function ResourcesLayout() {
  const user = useSignedInUser();
  const { pathname } = useLocation();
  const [params] = useSearchParams();
  // Moving between search and assistance keeps the patient (and need) the search is for.
  const context = new URLSearchParams();
  for (const key of ['patientId', 'needId']) {
    const value = params.get(key);
    if (value) context.set(key, value);
  }
  const suffix = context.size ? `?${context.toString()}` : '';
  const pages = PAGES.filter((p) => !p.adminOnly || user.role === 'admin');
  return (
    <Stack gap="sm">
      <Group component="nav" aria-label="Resources" gap={4} wrap="wrap">
        {pages.map((page) => (
          <NavLink
            key={page.path}
            component={RouterNavLink}
            to={page.adminOnly ? page.path : `${page.path}${suffix}`}
            end={page.exact}
            label={page.label}
            active={page.exact ? pathname === page.path : pathname.startsWith(page.path)}
            w="auto"
            variant="filled"
          />
        ))}
      </Group>
      <Outlet />
    </Stack>
  );
}
