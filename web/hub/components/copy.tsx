// Values to copy: a copy button with a spoken label, and a labelled read-only field with one.
import { ActionIcon, Box, Code, CopyButton, Group, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export function CopyValue({ value, label }: { value: string; label: string }) {
  return (
    <CopyButton value={value} timeout={2000}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : `Copy ${label}`} withArrow>
          <ActionIcon variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'gray'} size="lg" onClick={copy} aria-label={copied ? `${label} copied` : `Copy ${label}`}>
            {copied ? <IconCheck size={18} aria-hidden /> : <IconCopy size={18} aria-hidden />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A label, the value in code type (wrapping anywhere, so long secrets fit a phone), and its copy button. */
export function CopyField({ label, value, testId, description }: { label: string; value: string; testId?: string; description?: ReactNode }) {
  return (
    <Box>
      <Text size="sm" fw={500} mb={4} id={testId ? `${testId}-label` : undefined}>
        {label}
      </Text>
      <Group gap="xs" wrap="nowrap" align="center">
        <Code block style={{ flex: 1, overflowWrap: 'anywhere', whiteSpace: 'pre-wrap' }} data-testid={testId} aria-labelledby={testId ? `${testId}-label` : undefined}>
          {value}
        </Code>
        <CopyValue value={value} label={label.toLowerCase()} />
      </Group>
      {description && (
        <Text size="xs" c="dimmed" mt={4}>
          {description}
        </Text>
      )}
    </Box>
  );
}
