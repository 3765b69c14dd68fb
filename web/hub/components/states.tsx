// Loading, error and empty states, each saying what is going on in the server's own words.
import { Alert, Button, EmptyState, Group, Skeleton, Stack } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import type { ProblemError } from '../../shared/api.ts';

export function Loading({ label, rows = 3 }: { label: string; rows?: number }) {
  return (
    <Stack gap="sm" aria-busy="true" aria-label={label} role="status">
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={i === 0 ? 28 : 64} radius="md" />
      ))}
    </Stack>
  );
}

export function ProblemAlert({ error, title = 'Something went wrong', onRetry }: { error: ProblemError; title?: string; onRetry?: () => void }) {
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle aria-hidden />} title={title} role="alert">
      <Stack gap="xs">
        <span>{error.message}</span>
        {error.problem.requestId && <span style={{ fontSize: 'var(--mantine-font-size-xs)' }}>Request id: {error.problem.requestId}</span>}
        {onRetry && (
          <Group>
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          </Group>
        )}
      </Stack>
    </Alert>
  );
}

export function Empty({ icon, title, description, action }: { icon: ReactNode; title: string; description: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState variant="light" icon={icon} title={title} description={description} py="xl">
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
