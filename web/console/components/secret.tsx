// A secret shown once (a client secret, a personal access token), with a copy button and a plain warning.
import { ActionIcon, Alert, Code, Group, Stack, Text, Tooltip } from '@mantine/core';
import { CopyButton } from '@mantine/core';
import { IconCheck, IconCopy, IconEyeOff } from '@tabler/icons-react';

export function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy'} withArrow>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} onClick={copy} aria-label={copied ? `${label} copied` : `Copy ${label}`}>
            {copied ? <IconCheck size={16} aria-hidden /> : <IconCopy size={16} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

export function SecretOnce({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <Alert color="yellow" variant="light" icon={<IconEyeOff aria-hidden />} title={`Copy the ${label.toLowerCase()} now`}>
      <Stack gap="xs">
        <Text size="sm">{note ?? 'It is shown only this once; Gatehouse keeps just a hash of it.'}</Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} aria-label={label} data-testid="secret-value">
            {value}
          </Code>
          <CopyValue value={value} label={label.toLowerCase()} />
        </Group>
      </Stack>
    </Alert>
  );
}
