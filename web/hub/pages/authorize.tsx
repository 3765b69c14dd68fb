// The login and consent page of the authorization code grant: an app sent the user here through the gateway's
// authorization endpoint; the user (signed in by RequireSignIn) sees who asks for what, and allows or denies.
import { Alert, Avatar, Button, Center, Group, List, Paper, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconApps, IconCheck, IconLock } from '@tabler/icons-react';
import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { api } from '../../shared/api.ts';
import { asProblem, useLoad } from '../../shared/load.ts';
import { Loading, ProblemAlert } from '../components/states.tsx';
import { useSession } from '../lib/session.tsx';
import type { AuthorizationPrompt, AuthorizationRedirect } from '../lib/wire.ts';
import type { ProblemError } from '../../shared/api.ts';

export function AuthorizePage() {
  const [params] = useSearchParams();
  const handle = params.get('request') ?? '';
  const { user, signOut } = useSession();
  const prompt = useLoad(() => api.get<AuthorizationPrompt>(`/authorization?request=${encodeURIComponent(handle)}`, { quiet401: true }), [handle]);
  const [busy, setBusy] = useState<'allow' | 'deny' | undefined>(undefined);
  const [error, setError] = useState<ProblemError | undefined>(undefined);

  const answer = async (decision: 'allow' | 'deny') => {
    setBusy(decision);
    setError(undefined);
    try {
      const { redirectTo } = await api.post<AuthorizationRedirect>('/authorization', { request: handle, decision });
      window.location.assign(redirectTo);
    } catch (failure) {
      setError(asProblem(failure));
      setBusy(undefined);
    }
  };

  const p = prompt.data;
  return (
    <Center py="xl">
      <Paper withBorder radius="md" p="xl" w="100%" maw={480} component="section" aria-labelledby="authorize-title">
        {!handle && <Alert color="red" title="Nothing to authorize">This page is opened by an app that asks you to sign in with your account. Go back to the app and start there.</Alert>}
        {handle && prompt.error && <ProblemAlert error={prompt.error} title="This sign-in link cannot be used" />}
        {handle && !p && prompt.loading && <Loading label="Reading the request" />}
        {p && (
          <Stack gap="md">
            <Group gap="sm" wrap="nowrap">
              <Avatar color="blue" radius="md" aria-hidden>
                <IconApps size={22} />
              </Avatar>
              <Stack gap={0}>
                <Title order={1} size="h3" id="authorize-title">
                  {p.app.displayName} wants to use your account
                </Title>
                <Text size="sm" c="dimmed">
                  An app by {p.app.developer}
                </Text>
              </Stack>
            </Group>
            <Text size="sm">
              Signed in as <strong>{user?.email}</strong>.{' '}
              <Button variant="subtle" size="compact-sm" onClick={() => void signOut()}>
                Not you?
              </Button>
            </Text>
            <Stack gap={6}>
              <Text fw={600} size="sm">
                If you allow it, the app may call on your behalf:
              </Text>
              <List spacing={4} size="sm" icon={<ThemeIcon color="teal" size={18} radius="xl"><IconCheck size={12} aria-hidden /></ThemeIcon>}>
                {p.products.map((product) => (
                  <List.Item key={product.name}>{product.displayName}</List.Item>
                ))}
                {p.scopes.length > 0 && <List.Item>with the scopes {p.scopes.map((s) => <code key={s}>{s} </code>)}</List.Item>}
              </List>
            </Stack>
            <Group gap={6} wrap="nowrap">
              <IconLock size={14} aria-hidden />
              <Text size="xs" c="dimmed">
                You will go back to <strong>{p.redirectOrigin}</strong>. The app never sees your password.
              </Text>
            </Group>
            {error && <ProblemAlert error={error} title="Your answer could not be sent" />}
            <Group justify="flex-end" gap="sm">
              <Button variant="default" loading={busy === 'deny'} disabled={busy !== undefined} onClick={() => void answer('deny')}>
                Deny
              </Button>
              <Button loading={busy === 'allow'} disabled={busy !== undefined} onClick={() => void answer('allow')}>
                Allow
              </Button>
            </Group>
          </Stack>
        )}
      </Paper>
    </Center>
  );
}
