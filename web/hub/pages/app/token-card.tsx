// "Get a token": the hub sends the client credentials request to the gateway and shows the answer.
import { Alert, Badge, Button, Card, Code, Collapse, Group, PasswordInput, Select, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconChevronDown, IconChevronRight, IconKey } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { api, seg } from '../../../shared/api.ts';
import { CopyField } from '../../components/copy.tsx';
import { ProblemAlert } from '../../components/states.tsx';
import { asProblem } from '../../../shared/load.ts';
import { useSecrets } from '../../lib/secrets.tsx';
import type { HubAppView, TokenResult } from '../../lib/wire.ts';
import type { ProblemError } from '../../../shared/api.ts';

type Json = Record<string, unknown>;

export function TokenCard({ app, onToken }: { app: HubAppView; onToken: (token: string) => void }) {
  const secrets = useSecrets();
  const [clientId, setClientId] = useState(app.credentials[0]?.clientId ?? '');
  const held = secrets.get(clientId)?.secret;
  const [secret, setSecret] = useState(held ?? '');
  const [scope, setScope] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TokenResult | undefined>(undefined);
  const [error, setError] = useState<ProblemError | undefined>(undefined);
  const [raw, setRaw] = useState(false);

  // A secret made or regenerated in this tab fills the field by itself.
  useEffect(() => {
    if (held) setSecret(held);
  }, [held]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.post<TokenResult>(`/apps/${seg(app.name)}/token`, { clientId, clientSecret: secret, ...(scope.trim() ? { scope: scope.trim() } : {}) });
      setResult(answer);
      const token = (answer.body as Json | null)?.access_token;
      if (answer.status === 200 && typeof token === 'string') onToken(token);
    } catch (failure) {
      setResult(undefined);
      setError(asProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  const body = (result?.body ?? null) as Json | null;
  const token = typeof body?.access_token === 'string' ? body.access_token : undefined;

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="token-title">
      <Stack gap="md">
        <Group gap="xs">
          <IconKey size={20} aria-hidden />
          <Title order={2} size="h4" id="token-title">
            Get a token
          </Title>
        </Group>
        {app.tokenUrl === null ? (
          <Alert color="gray" variant="light">
            None of this app's products has a token endpoint yet. Ask the API team to add their token API to the product.
          </Alert>
        ) : (
          <>
            <Text size="sm" c="dimmed">
              Sends <Code>grant_type=client_credentials</Code> with your client id and secret to <Code>{app.tokenUrl}</Code>, as your own code would.
            </Text>
            <form onSubmit={submit} aria-label="Get a token">
              <Stack gap="sm">
                {app.credentials.length > 1 && (
                  <Select label="Client ID" data={app.credentials.map((c) => c.clientId)} value={clientId} onChange={(v) => v && setClientId(v)} allowDeselect={false} />
                )}
                <PasswordInput
                  label="Client secret"
                  description={held ? 'Filled in from when it was shown in this tab.' : 'Paste your client secret: Gatehouse keeps only a hash of it.'}
                  required
                  value={secret}
                  onChange={(e) => setSecret(e.currentTarget.value)}
                  autoComplete="off"
                />
                <TextInput label="Scope" description="Optional, space-separated. Empty: every scope of the products." value={scope} onChange={(e) => setScope(e.currentTarget.value)} />
                <Group>
                  <Button type="submit" loading={busy} disabled={secret === ''} leftSection={<IconKey size={16} aria-hidden />}>
                    Get a token
                  </Button>
                </Group>
              </Stack>
            </form>
          </>
        )}
        {error && <ProblemAlert error={error} title="No token" />}
        {result && (
          <Stack gap="sm" data-testid="token-result">
            {token ? (
              <Alert color="teal" variant="light" title="Token received">
                <Stack gap="sm">
                  <CopyField label="Access token" value={token} testId="access-token" />
                  <Group gap={6}>
                    {typeof body?.token_type === 'string' && <Badge variant="light">{body.token_type}</Badge>}
                    {body?.expires_in !== undefined && <Badge variant="light" color="gray">expires in {String(body.expires_in)} s</Badge>}
                    {typeof body?.scope === 'string' && body.scope !== '' && <Badge variant="light" color="grape">scope {body.scope}</Badge>}
                  </Group>
                  <Text size="xs">The try-it console below now sends it as a bearer token.</Text>
                </Stack>
              </Alert>
            ) : (
              <Alert color="red" variant="light" title={`The token endpoint answered ${result.status}`} role="alert">
                {typeof body?.error_description === 'string' ? body.error_description : typeof body?.Error === 'string' ? body.Error : 'See the answer below.'}
                {typeof body?.error === 'string' && (
                  <Text size="xs" mt={4}>
                    Error code: <Code>{body.error}</Code>
                  </Text>
                )}
              </Alert>
            )}
            <UnstyledButton onClick={() => setRaw((r) => !r)} aria-expanded={raw} aria-controls="token-raw">
              <Group gap={4}>
                {raw ? <IconChevronDown size={14} aria-hidden /> : <IconChevronRight size={14} aria-hidden />}
                <Text size="sm">Full answer ({result.status}) from {result.tokenUrl}</Text>
              </Group>
            </UnstyledButton>
            <Collapse expanded={raw} id="token-raw">
              <Code block>{JSON.stringify(result.body, null, 2)}</Code>
            </Collapse>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
