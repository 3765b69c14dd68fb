// Sign-in: email and password; the server's answer (wrong password, developer-only account) is shown as it is.
import { Alert, Anchor, Box, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconAlertTriangle, IconInfoCircle, IconShieldLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { asProblem } from '../../shared/load.ts';
import { useSession } from '../lib/session.tsx';

export function SignInPage({ notice }: { notice?: string }) {
  const { signIn, signInWithToken } = useSession();
  const [withToken, setWithToken] = useState(false);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (withToken) await signInWithToken(token.trim());
      else await signIn(email.trim(), password);
    } catch (e) {
      const problem = asProblem(e);
      setError(problem.message);
      setBusy(false);
    }
  }

  return (
    <Center mih="100vh" p="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-8))">
      <Box w="100%" maw={420}>
        <Group justify="center" gap="xs" mb="lg">
          <IconShieldLock size={34} color="var(--mantine-color-teal-6)" aria-hidden />
          <Title order={1} size="h2">
            Gatehouse
          </Title>
        </Group>
        <Paper withBorder shadow="sm" radius="lg" p="xl">
          <form onSubmit={submit} noValidate aria-labelledby="sign-in-title">
            <Stack gap="md">
              <div>
                <Title order={2} size="h3" id="sign-in-title">
                  Sign in to the console
                </Title>
                <Text size="sm" c="dimmed" mt={4}>
                  For admins, API editors and viewers. Developers use the developer hub.
                </Text>
              </div>
              {notice && !error && (
                <Alert variant="light" color="blue" icon={<IconInfoCircle aria-hidden />}>
                  {notice}
                </Alert>
              )}
              {error && (
                <Alert variant="light" color="red" icon={<IconAlertTriangle aria-hidden />} role="alert" title="Could not sign in">
                  {error}
                </Alert>
              )}
              {withToken ? (
                <PasswordInput label="Personal access token" description="The first admin's token printed at the first start, or one created under Access tokens." autoComplete="off" required value={token} onChange={(e) => setToken(e.currentTarget.value)} autoFocus />
              ) : (
                <>
                  <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} autoFocus />
                  <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
                </>
              )}
              <Button type="submit" loading={busy} disabled={withToken ? !token : !email || !password} fullWidth>
                Sign in
              </Button>
              <Anchor
                component="button"
                type="button"
                size="sm"
                ta="center"
                onClick={() => {
                  setWithToken(!withToken);
                  setError(undefined);
                }}
              >
                {withToken ? 'Sign in with email and password' : 'Sign in with an access token instead'}
              </Anchor>
            </Stack>
          </form>
        </Paper>
        <Text size="xs" c="dimmed" ta="center" mt="md">
          No password yet? An admin creates your account under Users & roles; the first admin signs in with their token.
        </Text>
      </Box>
    </Center>
  );
}
