// The pieces every page is made of: a header with its actions, loading and error states, and empty states.
import { Alert, Anchor, Box, Button, Center, EmptyState, Group, List, Loader, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconArrowLeft, IconLock } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import type { ProblemError } from '../../shared/api.ts';

export function PageHeader({ title, description, actions, back, badge }: { title: ReactNode; description?: ReactNode; actions?: ReactNode; back?: { to: string; label: string }; badge?: ReactNode }) {
  return (
    <Stack gap={4} mb="lg">
      {back && (
        <Anchor component={Link} to={back.to} size="sm" c="dimmed" w="fit-content">
          <Group gap={4} component="span">
            <IconArrowLeft size={14} aria-hidden />
            {back.label}
          </Group>
        </Anchor>
      )}
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Box style={{ minWidth: 0, flex: '1 1 16rem' }}>
          <Group gap="sm" wrap="wrap">
            <Title order={1} size="h2" style={{ overflowWrap: 'anywhere' }}>
              {title}
            </Title>
            {badge}
          </Group>
          {description && (
            <Text c="dimmed" mt={4}>
              {description}
            </Text>
          )}
        </Box>
        {actions && (
          <Group gap="xs" wrap="wrap">
            {actions}
          </Group>
        )}
      </Group>
    </Stack>
  );
}

export function Loading({ label = 'Loading…', rows = 3 }: { label?: string; rows?: number }) {
  return (
    <Stack gap="sm" aria-busy="true" aria-label={label}>
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} height={i === 0 ? 36 : 56} radius="md" />
      ))}
      <Text size="sm" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

export function FullPageLoader() {
  return (
    <Center h="100vh">
      <Loader aria-label="Loading the console" />
    </Center>
  );
}

function errorTitle(error: ProblemError): string {
  if (error.status === 403) return 'You are not allowed to do this';
  if (error.status === 404) return 'Not found';
  if (error.status === 0) return 'The server could not be reached';
  if (error.status >= 500) return 'The server ran into a problem';
  return 'Something is not right';
}

/** The server's message, each field it complained about, and the request id to quote. */
export function ErrorAlert({ error, title, onRetry }: { error: ProblemError; title?: string; onRetry?: () => void }) {
  const fields = error.problem.errors ?? [];
  return (
    <Alert color="red" variant="light" title={title ?? errorTitle(error)} icon={error.status === 403 ? <IconLock aria-hidden /> : <IconAlertTriangle aria-hidden />} role="alert">
      <Text size="sm">{error.message}</Text>
      {fields.length > 0 && (
        <List size="sm" mt="xs">
          {fields.map((f, i) => (
            <List.Item key={i}>
              {f.path ? <code>{f.path}</code> : null} {f.message}
            </List.Item>
          ))}
        </List>
      )}
      {(onRetry || error.problem.requestId) && (
        <Group mt="sm" gap="md">
          {onRetry && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              Try again
            </Button>
          )}
          {error.problem.requestId && (
            <Text size="xs" c="dimmed">
              Request id {error.problem.requestId}
            </Text>
          )}
        </Group>
      )}
    </Alert>
  );
}

export function Empty({ icon, title, description, action }: { icon: ReactNode; title: string; description?: ReactNode; action?: ReactNode }) {
  return (
    <EmptyState variant="light" icon={icon} title={title} description={description} py="xl">
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}

/** Field errors of a problem for one field (`/basePath`), for an input's `error` prop. */
export function fieldError(error: ProblemError | undefined, path: string): string | undefined {
  const found = error?.problem.errors?.filter((e) => e.path === path || e.path?.startsWith(`${path}/`));
  return found && found.length > 0 ? found.map((e) => e.message).join('; ') : undefined;
}
