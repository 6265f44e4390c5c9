import { AppShell, Burger, Group, Menu, NavLink, Text, UnstyledButton, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconLogout, IconUserCircle } from '@tabler/icons-react';
import { Outlet, NavLink as RouterNavLink, useLocation, useNavigate } from 'react-router';
import { ROLE_LABELS } from '../../domain/roles.ts';
import { IdleTimeoutWarning } from '../features/auth/IdleTimeoutWarning.tsx';
import { useSignedInUser, useSignOut } from '../features/auth/session.ts';
import { NotificationBell } from '../features/notifications/NotificationBell.tsx';
import { listFeatures } from '../nav.ts';
import classes from './SignedInShell.module.css';

/** A feature's link is current anywhere under its first path segment (/patients/123 → Patients). */
function isWithin(pathname: string, featurePath: string): boolean {
  const base = `/${featurePath.split('/')[1] ?? ''}`;
  return pathname === base || pathname.startsWith(`${base}/`);
}

/** The frame of every signed-in screen: department header, services navigation, main content. */
export function SignedInShell() {
  const user = useSignedInUser();
  const [navOpen, { toggle, close }] = useDisclosure(false);
  const location = useLocation();
  const navigate = useNavigate();
  const signOut = useSignOut();
  const features = listFeatures(user.role);

  async function leave(everywhere: boolean) {
    await signOut(everywhere);
    await navigate('/sign-in', {
      replace: true,
      state: { message: everywhere ? 'You have signed out of all sessions.' : 'You have signed out.' },
    });
  }

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !navOpen } }}
      padding="md"
    >
      {/* biome-ignore lint/a11y/useValidAnchor: a real in-page link that also moves focus into the content */}
      <a
        href="#main"
        className={classes.skipLink}
        onClick={(event) => {
          // Move focus, not only the scroll position, so the next Tab starts in the content.
          event.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        Skip to content
      </a>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={navOpen}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              color="white"
              aria-label={navOpen ? 'Close navigation' : 'Open navigation'}
              aria-controls="services-navigation"
              aria-expanded={navOpen}
            />
            <Text fw={700} size="lg" truncate>
              {user.organization.name}
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <NotificationBell />
            <Menu position="bottom-end" withinPortal>
              <Menu.Target>
                <UnstyledButton className={classes.userButton}>
                  <Group gap={6} wrap="nowrap">
                    <IconUserCircle size={22} aria-hidden />
                    <VisuallyHidden>User menu:</VisuallyHidden>
                    <div className={classes.userText}>
                      <Text size="sm" fw={600} lh={1.2}>
                        {user.displayName}
                      </Text>
                      <Text size="xs" lh={1.2}>
                        {ROLE_LABELS[user.role]}
                      </Text>
                    </div>
                    <IconChevronDown size={16} aria-hidden />
                  </Group>
                </UnstyledButton>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>
                  {user.displayName} · {ROLE_LABELS[user.role]}
                </Menu.Label>
                <Menu.Item
                  leftSection={<IconUserCircle size={16} aria-hidden />}
                  onClick={() => navigate('/account')}
                >
                  Account
                </Menu.Item>
                <Menu.Item leftSection={<IconLogout size={16} aria-hidden />} onClick={() => leave(false)}>
                  Sign out
                </Menu.Item>
                <Menu.Item color="red" onClick={() => leave(true)}>
                  Sign out of all sessions
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" component="nav" aria-label="Services" id="services-navigation">
        {features.map((feature) => {
          const Icon = feature.icon;
          return (
            <NavLink
              key={feature.id}
              component={RouterNavLink}
              to={feature.path}
              label={feature.label}
              leftSection={Icon ? <Icon size={18} stroke={1.6} aria-hidden /> : undefined}
              active={isWithin(location.pathname, feature.path)}
              onClick={close}
              variant="filled"
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1} className={classes.main}>
        <Outlet />
      </AppShell.Main>
      <IdleTimeoutWarning />
    </AppShell>
  );
}
