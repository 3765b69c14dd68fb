// One of my apps: its credentials, a token from the gateway, a try-it console, its Postman collection and traffic.
import { Alert, Anchor, Badge, Breadcrumbs, Button, Grid, Group, Stack, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDownload, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, seg } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { CopyField } from '../../components/copy.tsx';
import { Loading, ProblemAlert } from '../../components/states.tsx';
import { formatDate } from '../../lib/format.ts';
import { useLoad } from '../../../shared/load.ts';
import { useSession } from '../../lib/session.tsx';
import type { HubAppView } from '../../lib/wire.ts';
import { Credentials } from './credentials.tsx';
import { EditAppButton } from './edit-app.tsx';
import { TokenCard } from './token-card.tsx';
import { TrafficCard } from './traffic-card.tsx';
import { TryCard } from './try-card.tsx';

export function AppPage() {
  const { name = '' } = useParams();
  const { session } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const app = useLoad(() => api.get<HubAppView>(`/apps/${seg(name)}`), [name]);
  const [token, setToken] = useState<string | undefined>(undefined);
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const canChange = session?.canCreateApps === true;
  const view = app.data;
  const title = view?.displayName ?? view?.name ?? name;

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to="/apps">
          My apps
        </Anchor>
        <Text size="sm">{title}</Text>
      </Breadcrumbs>
      {app.error && <ProblemAlert error={app.error} title="This app could not be loaded" onRetry={app.error.status === 404 ? undefined : app.reload} />}
      {!view && app.loading && <Loading label="Loading the app" />}
      {view && (
        <>
          <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
            <Stack gap={4}>
              <Group gap="xs">
                <Title order={1}>{title}</Title>
                {view.status === 'revoked' && <Badge color="red">Revoked by an administrator</Badge>}
              </Group>
              {view.description && <Text c="dimmed">{view.description}</Text>}
              <Text size="xs" c="dimmed">
                <Text span ff="monospace" inherit>
                  {view.name}
                </Text>{' '}
                · created {formatDate(view.createdAt)}
              </Text>
            </Stack>
            <Group gap="xs">
              <Button component="a" href={`/api/v1/apps/${seg(view.name)}/postman-collection`} download variant="light" leftSection={<IconDownload size={16} aria-hidden />}>
                Download Postman collection
              </Button>
              {canChange && <EditAppButton app={view} onSaved={app.setData} />}
              <ConfirmButton
                variant="light"
                leftSection={<IconTrash size={16} aria-hidden />}
                title={`Delete ${title}?`}
                message="Its client id and secret stop working at once, and so do the tokens issued for it. This cannot be undone."
                confirmLabel="Delete app"
                onConfirm={async () => {
                  await api.del(`/apps/${seg(view.name)}`);
                  navigate('/apps', { replace: true });
                }}
              >
                Delete
              </ConfirmButton>
            </Group>
          </Group>
          {justCreated && (
            <Alert color="teal" variant="light" icon={<IconCircleCheck aria-hidden />} title="Your app is ready">
              Copy the client id and secret below. Then get a token right here, try a call, or download the Postman collection.
            </Alert>
          )}
          {session && !session.canCreateApps && session.reason && (
            <Alert color="yellow" variant="light" title="Read-only" data-testid="role-message">
              {session.reason}
            </Alert>
          )}
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, md: 6 }}>
              <Stack gap="lg">
                <Credentials app={view} canChange={canChange} />
                {view.tokenUrl && <CopyField label="Token URL" value={view.tokenUrl} description="POST client credentials requests here, with your client id and secret in HTTP Basic." />}
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, md: 6 }}>
              <TokenCard app={view} onToken={setToken} />
            </Grid.Col>
          </Grid>
          <TryCard app={view} token={token} />
          <TrafficCard appName={view.name} />
          <Text size="xs" c="dimmed">
            The Postman collection holds the token URL and client id; paste your client secret into its <code>clientSecret</code> variable, since Gatehouse never stores it in clear.
          </Text>
        </>
      )}
    </Stack>
  );
}
