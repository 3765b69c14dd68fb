// My apps: the workspace list, or, for an account that may not create apps, why not and what to do.
import { Alert, Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconAlertCircle, IconApps, IconPlus } from '@tabler/icons-react';
import { Link } from 'react-router';
import { api } from '../../shared/api.ts';
import { ProductStatusBadge } from '../components/badges.tsx';
import { Empty, Loading, ProblemAlert } from '../components/states.tsx';
import { formatDate } from '../lib/format.ts';
import { useLoad } from '../../shared/load.ts';
import { useSession } from '../lib/session.tsx';
import type { HubAppView } from '../lib/wire.ts';

/** Each product once, with the least favourable state any credential has for it. */
function productStates(app: HubAppView): Array<{ name: string; status: string }> {
  const rank: Record<string, number> = { revoked: 0, pending: 1, approved: 2 };
  const states = new Map<string, string>();
  for (const credential of app.credentials) {
    for (const p of credential.products) {
      const seen = states.get(p.name);
      if (seen === undefined || (rank[p.status] ?? 0) < (rank[seen] ?? 0)) states.set(p.name, p.status);
    }
  }
  for (const name of app.products) if (!states.has(name)) states.set(name, 'approved');
  return [...states].map(([name, status]) => ({ name, status }));
}

function AppCard({ app }: { app: HubAppView }) {
  const title = app.displayName ?? app.name;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={`app-${app.name}`}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Title order={3} size="h4" id={`app-${app.name}`}>
            <Anchor component={Link} to={`/apps/${encodeURIComponent(app.name)}`} inherit>
              {title}
            </Anchor>
          </Title>
          {app.status === 'revoked' && <Badge color="red">Revoked</Badge>}
        </Group>
        {app.displayName && (
          <Text size="xs" c="dimmed" ff="monospace">
            {app.name}
          </Text>
        )}
        {app.description && (
          <Text size="sm" lineClamp={2}>
            {app.description}
          </Text>
        )}
        <Group gap={6}>
          {productStates(app).map((p) => (
            <ProductStatusBadge key={p.name} name={p.name} status={p.status} />
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          Created {formatDate(app.createdAt)}
        </Text>
      </Stack>
    </Card>
  );
}

/** Where the "Create app" button would be: the reason the account cannot create apps, plainly. */
export function RoleMessage({ reason, code }: { reason: string; code?: string | undefined }) {
  const title = code === 'hub.approval_pending' ? 'Your account is waiting for approval' : code === 'hub.developer_inactive' ? 'Your developer profile is inactive' : 'You cannot create apps yet';
  return (
    <Alert color="yellow" variant="light" icon={<IconAlertCircle aria-hidden />} title={title} data-testid="role-message" role="status">
      {reason}
    </Alert>
  );
}

export function AppsPage() {
  const { session } = useSession();
  const mayList = session?.canCreateApps === true || session?.reasonCode === 'hub.developer_inactive';
  const apps = useLoad(() => (mayList ? api.get<{ items: HubAppView[] }>('/apps') : Promise.resolve({ items: [] })), [mayList]);

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <Stack gap={4}>
          <Title order={1}>My apps</Title>
          <Text c="dimmed">Each app has a client id and secret for the products it subscribes to.</Text>
        </Stack>
        {session?.canCreateApps && (
          <Button component={Link} to="/apps/new" leftSection={<IconPlus size={16} aria-hidden />}>
            Create app
          </Button>
        )}
      </Group>
      {session && !session.canCreateApps && session.reason && <RoleMessage reason={session.reason} code={session.reasonCode} />}
      {mayList && (
        <>
          {apps.error && <ProblemAlert error={apps.error} title="Your apps could not be loaded" onRetry={apps.reload} />}
          {!apps.data && apps.loading && <Loading label="Loading your apps" />}
          {apps.data && apps.data.items.length === 0 && (
            <Empty
              icon={<IconApps size={28} aria-hidden />}
              title="No apps yet"
              description="Create an app to get a client id and secret for the products of the catalogue."
              action={
                session?.canCreateApps ? (
                  <Button component={Link} to="/apps/new" leftSection={<IconPlus size={16} aria-hidden />}>
                    Create your first app
                  </Button>
                ) : undefined
              }
            />
          )}
          {apps.data && apps.data.items.length > 0 && (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" data-testid="app-list">
              {apps.data.items.map((app) => (
                <AppCard key={app.name} app={app} />
              ))}
            </SimpleGrid>
          )}
        </>
      )}
    </Stack>
  );
}
