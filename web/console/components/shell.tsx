// The frame around every page: the header with who is signed in, and the navigation (a burger menu on phones).
import { AppShell, Badge, Burger, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconDatabase,
  IconGauge,
  IconHistory,
  IconKey,
  IconLogout,
  IconPackage,
  IconRoute,
  IconShieldLock,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router';
import { ROLE_LABELS, useSession } from '../lib/session.tsx';
import { AccountButton, ColorSchemeToggle } from '../../shared/header.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  show: boolean;
}

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  const { user, can, signOut } = useSession();
  const location = useLocation();

  const items: NavItem[] = [
    { to: '/', label: 'Overview', icon: <IconGauge size={18} aria-hidden />, show: true },
    { to: '/apis', label: 'APIs', icon: <IconRoute size={18} aria-hidden />, show: true },
    { to: '/products', label: 'Products', icon: <IconPackage size={18} aria-hidden />, show: true },
    { to: '/developers', label: 'Developers & apps', icon: <IconUsers size={18} aria-hidden />, show: true },
    { to: '/key-value-maps', label: 'Key value maps', icon: <IconDatabase size={18} aria-hidden />, show: true },
    { to: '/users', label: 'Users & roles', icon: <IconShieldLock size={18} aria-hidden />, show: can.admin },
    { to: '/audit', label: 'Audit log', icon: <IconHistory size={18} aria-hidden />, show: can.audit },
    { to: '/tokens', label: 'Access tokens', icon: <IconKey size={18} aria-hidden />, show: true },
  ];
  const active = (to: string) => (to === '/' ? location.pathname === '/' : location.pathname === to || location.pathname.startsWith(`${to}/`));
  const name = user?.displayName || user?.email || '';

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 250, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} aria-expanded={opened} aria-controls="console-navigation" />
            <UnstyledButton component={Link} to="/" aria-label="Gatehouse console, overview">
              <Group gap={8} wrap="nowrap">
                <IconShieldLock size={26} color="var(--mantine-color-teal-6)" aria-hidden />
                <Text fw={700} size="lg">
                  Gatehouse
                </Text>
                <Badge variant="light" size="sm" visibleFrom="xs">
                  console
                </Badge>
              </Group>
            </UnstyledButton>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <ColorSchemeToggle />
            <Menu position="bottom-end" width={260} withinPortal>
              <Menu.Target>
                <AccountButton name={name} />
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>Signed in as</Menu.Label>
                <Text size="sm" px="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
                  {user?.email}
                </Text>
                <Group gap={4} px="sm" py={6}>
                  {user?.roles.map((r) => (
                    <Badge key={r} size="xs" variant="light">
                      {ROLE_LABELS[r]}
                    </Badge>
                  ))}
                </Group>
                <Menu.Divider />
                <Menu.Item component={Link} to="/tokens" leftSection={<IconKey size={16} aria-hidden />}>
                  Access tokens
                </Menu.Item>
                <Menu.Item color="red" leftSection={<IconLogout size={16} aria-hidden />} onClick={() => void signOut()}>
                  Sign out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="sm" id="console-navigation" aria-label="Console sections">
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Main">
            {items
              .filter((i) => i.show)
              .map((item) => (
                <NavLink
                  key={item.to}
                  component={Link}
                  to={item.to}
                  label={item.label}
                  leftSection={item.icon}
                  active={active(item.to)}
                  aria-current={active(item.to) ? 'page' : undefined}
                  onClick={close}
                  variant="light"
                  style={{ borderRadius: 'var(--mantine-radius-md)' }}
                />
              ))}
          </nav>
        </AppShell.Section>
        <AppShell.Section>
          <Text size="xs" c="dimmed" px="sm" pt="sm">
            {user?.roles.map((r) => ROLE_LABELS[r]).join(' · ')}
            {!can.editApis && ' — read-only'}
          </Text>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main>
        <div style={{ maxWidth: 1200, margin: '0 auto' }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}
