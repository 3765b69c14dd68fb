// An app's credentials: the client id to copy, the secret in full once (then hidden), regeneration, product states.
import { Alert, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconEyeOff, IconRefresh } from '@tabler/icons-react';
import { api, seg } from '../../../shared/api.ts';
import { CredentialProducts } from '../../components/badges.tsx';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { CopyField } from '../../components/copy.tsx';
import { formatDate } from '../../lib/format.ts';
import { useSecrets } from '../../lib/secrets.tsx';
import type { HubAppView, HubCredentialView } from '../../lib/wire.ts';

function CredentialCard({ app, credential, index, canChange }: { app: HubAppView; credential: HubCredentialView; index: number; canChange: boolean }) {
  const secrets = useSecrets();
  const held = secrets.get(credential.clientId);
  const regenerate = async () => {
    const fresh = await api.post<HubCredentialView>(`/apps/${seg(app.name)}/credentials/${seg(credential.clientId)}/regenerate`);
    if (fresh.clientSecret) secrets.remember(fresh.clientId, fresh.clientSecret);
  };
  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-label={app.credentials.length > 1 ? `Credential ${index + 1}` : 'Credential'}>
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h5">
            {app.credentials.length > 1 ? `Credential ${index + 1}` : 'Credentials'}
          </Title>
          <Group gap={6}>
            {credential.status === 'revoked' && <Badge color="red">Revoked by an administrator</Badge>}
            <Text size="xs" c="dimmed">
              Issued {formatDate(credential.issuedAt)}
              {credential.expiresAt ? ` · expires ${formatDate(credential.expiresAt)}` : ''}
            </Text>
          </Group>
        </Group>
        <CopyField label="Client ID" value={credential.clientId} testId="client-id" />
        {held?.fresh ? (
          <Alert color="yellow" variant="light" icon={<IconEyeOff aria-hidden />} title="Copy your client secret now">
            <Stack gap="sm">
              <Text size="sm">It is shown only this once: Gatehouse keeps just a hash of it. This tab remembers it for "Get a token" until you reload.</Text>
              <CopyField label="Client secret" value={held.secret} testId="client-secret" />
              <Group>
                <Button size="xs" variant="light" color="yellow" onClick={() => secrets.acknowledge(credential.clientId)}>
                  I have copied it, hide it
                </Button>
              </Group>
            </Stack>
          </Alert>
        ) : (
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              Client secret
            </Text>
            <Text size="sm" c="dimmed" data-testid="client-secret-hidden">
              Hidden: it was shown once, when it was made. {held ? 'This tab still holds it for "Get a token".' : 'Lost it? Regenerate it.'}
            </Text>
          </Stack>
        )}
        {canChange && (
          <Group>
            <ConfirmButton
              variant="light"
              color="orange"
              size="xs"
              leftSection={<IconRefresh size={14} aria-hidden />}
              title="Regenerate the client secret?"
              message="A new secret is made and shown once. The current secret stops working at once: every client that uses it must get the new one. The client id stays the same."
              confirmLabel="Regenerate secret"
              onConfirm={regenerate}
            >
              Regenerate secret
            </ConfirmButton>
          </Group>
        )}
        <Stack gap={6}>
          <Text size="sm" fw={500}>
            Products
          </Text>
          <CredentialProducts credential={credential} />
          {credential.products.some((p) => p.status === 'pending') && (
            <Text size="xs" c="dimmed">
              Pending products wait for an administrator; until then, their APIs refuse this app's tokens.
            </Text>
          )}
        </Stack>
      </Stack>
    </Card>
  );
}

export function Credentials({ app, canChange }: { app: HubAppView; canChange: boolean }) {
  return (
    <Stack gap="md">
      {app.credentials.map((c, i) => (
        <CredentialCard key={c.clientId} app={app} credential={c} index={i} canChange={canChange} />
      ))}
    </Stack>
  );
}
