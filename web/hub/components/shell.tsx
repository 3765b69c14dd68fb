// The frame of every page: the header (navigation on laptops, a burger on phones) and the account menu.
import { AppShell, Badge, Burger, Button, Container, Divider, Group, Menu, NavLink, Stack, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconApps, IconBooks, IconLogin, IconLogout, IconShieldLock, IconUserPlus } from '@tabler/icons-react';
import { useEffect, type ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { useSession } from '../lib/session.tsx';
import { AccountButton, ColorSchemeToggle } from '../../shared/header.tsx';

const SECTIONS = [
  { to: '/', label: 'Catalogue', icon: IconBooks },
  { to: '/apps', label: 'My apps', icon: IconApps },
];

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { session, user, signOut } = useSession();
  const location = useLocation();
  const active = (to: string) => (to === '/' ? location.pathname === '/' || location.pathname.startsWith('/products') : location.pathname.startsWith(to));
  const name = user?.displayName || user?.email || '';
  const canSignUp = session !== undefined && session.signup !== 'closed';

  useEffect(close, [location.pathname, close]);

  return (
    <AppShell header={{ height: 64 }} navbar={{ width: 280, breakpoint: 'sm', collapsed: { desktop: true, mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Container size="lg" h="100%">
          <Group h="100%" justify="space-between" wrap="nowrap">
            <Group gap="lg" wrap="nowrap">
              <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} aria-expanded={opened} aria-controls="hub-navigation" />
              <UnstyledButton component={Link} to="/" aria-label="Gatehouse developer hub, catalogue">
                <Group gap={8} wrap="nowrap">
                  <IconShieldLock size={28} color="var(--mantine-color-teal-6)" aria-hidden />
                  <Text fw={700} size="lg">
                    Gatehouse
                  </Text>
                  <Badge variant="light" size="sm" visibleFrom="xs">
                    developer hub
                  </Badge>
                </Group>
              </UnstyledButton>
              <Group gap={4} visibleFrom="sm" component="nav" aria-label="Main">
                {SECTIONS.map(({ to, label }) => (
                  <Button key={to} component={Link} to={to} variant={active(to) ? 'light' : 'subtle'} color={active(to) ? undefined : 'gray'} aria-current={active(to) ? 'page' : undefined}>
                    {label}
                  </Button>
                ))}
              </Group>
            </Group>
            <Group gap="xs" wrap="nowrap">
              <ColorSchemeToggle />
              {user ? (
                <Menu position="bottom-end" width={260} withinPortal>
                  <Menu.Target>
                    <AccountButton name={name} />
                  </Menu.Target>
                  <Menu.Dropdown>
                    <Menu.Label>Signed in as</Menu.Label>
                    <Text size="sm" px="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                      {user.email}
                    </Text>
                    <Text size="xs" px="sm" pb={6} c="dimmed">
                      {user.roles.length > 0 ? `Roles: ${user.roles.join(', ')}` : 'No roles yet'}
                    </Text>
                    <Menu.Divider />
                    <Menu.Item component={Link} to="/apps" leftSection={<IconApps size={16} aria-hidden />}>
                      My apps
                    </Menu.Item>
                    <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
                      Sign out
                    </Menu.Item>
                  </Menu.Dropdown>
                </Menu>
              ) : (
                <Group gap="xs" wrap="nowrap" visibleFrom="sm">
                  <Button component={Link} to="/sign-in" variant="default" leftSection={<IconLogin size={16} aria-hidden />}>
                    Sign in
                  </Button>
                  {canSignUp && (
                    <Button component={Link} to="/sign-up" leftSection={<IconUserPlus size={16} aria-hidden />}>
                      Sign up
                    </Button>
                  )}
                </Group>
              )}
            </Group>
          </Group>
        </Container>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="hub-navigation" aria-label="Developer hub sections">
        <Stack gap={4} component="nav" aria-label="Main (menu)">
          {SECTIONS.map(({ to, label, icon: Icon }) => (
            <NavLink key={to} component={Link} to={to} label={label} leftSection={<Icon size={18} aria-hidden />} active={active(to)} aria-current={active(to) ? 'page' : undefined} />
          ))}
          {!user && (
            <>
              <Divider my="xs" />
              <NavLink component={Link} to="/sign-in" label="Sign in" leftSection={<IconLogin size={18} aria-hidden />} active={location.pathname === '/sign-in'} />
              {canSignUp && <NavLink component={Link} to="/sign-up" label="Sign up" leftSection={<IconUserPlus size={18} aria-hidden />} active={location.pathname === '/sign-up'} />}
            </>
          )}
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>
        <Container size="lg" px={0} py="md">
          {children}
        </Container>
      </AppShell.Main>
    </AppShell>
  );
}
