// Pieces of the top bar both web apps share: the light/dark switch and the account button.
import { ActionIcon, Avatar, Group, Text, Tooltip, UnstyledButton, useMantineColorScheme } from '@mantine/core';
import { IconChevronDown, IconMoon, IconSun } from '@tabler/icons-react';
import { forwardRef } from 'react';

function initials(name: string): string {
  const parts = name.split(/[\s@.]+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '?') + (parts[1]?.[0] ?? '')).toUpperCase();
}

export function ColorSchemeToggle() {
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  const dark = colorScheme === 'dark';
  return (
    <Tooltip label={dark ? 'Light mode' : 'Dark mode'}>
      <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => setColorScheme(dark ? 'light' : 'dark')} aria-label={dark ? 'Switch to light mode' : 'Switch to dark mode'}>
        {dark ? <IconSun size={18} aria-hidden /> : <IconMoon size={18} aria-hidden />}
      </ActionIcon>
    </Tooltip>
  );
}

/** The button that opens the account menu (a Menu.Target child, hence the forwarded ref). */
export const AccountButton = forwardRef<HTMLButtonElement, { name: string }>(function AccountButton({ name, ...rest }, ref) {
  return (
    <UnstyledButton ref={ref} aria-label={`Account menu, signed in as ${name}`} data-testid="account-menu" {...rest}>
      <Group gap={8} wrap="nowrap">
        <Avatar color="teal" radius="xl" size={32}>
          {initials(name)}
        </Avatar>
        <Text size="sm" fw={500} visibleFrom="sm" maw={200} truncate>
          {name}
        </Text>
        <IconChevronDown size={14} aria-hidden />
      </Group>
    </UnstyledButton>
  );
});
