// Sign in (email and password), and sign up: the two doors of the hub.
import { Alert, Anchor, Button, Center, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { asProblem } from '../../shared/load.ts';
import { useSession } from '../lib/session.tsx';

/** Where to go after signing in: the page that sent the visitor here, or their apps. */
function nextPath(state: unknown): string {
  const from = (state as { from?: unknown } | null)?.from;
  return typeof from === 'string' && from.startsWith('/') && !from.startsWith('//') ? from : '/apps';
}

export function SignInPage() {
  const { session, user, notice, signIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);

  if (user) return <Navigate to={nextPath(location.state)} replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await signIn(email.trim(), password);
      navigate(nextPath(location.state), { replace: true });
    } catch (failure) {
      setError(asProblem(failure).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center py="xl">
      <Paper withBorder radius="md" p="xl" w="100%" maw={420} component="section" aria-labelledby="sign-in-title">
        <form onSubmit={submit} noValidate>
          <Stack gap="md">
            <Title order={1} size="h2" id="sign-in-title">
              Sign in
            </Title>
            {notice && (
              <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
                {notice}
              </Alert>
            )}
            {error && (
              <Alert color="red" variant="light" title="Sign-in failed" role="alert">
                {error}
              </Alert>
            )}
            <TextInput label="Email" type="email" autoComplete="username" required value={email} onChange={(e) => setEmail(e.currentTarget.value)} />
            <PasswordInput label="Password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.currentTarget.value)} />
            <Button type="submit" loading={busy} fullWidth>
              Sign in
            </Button>
            {session && session.signup !== 'closed' && (
              <Text size="sm" ta="center">
                New here?{' '}
                <Anchor component={Link} to="/sign-up">
                  Create an account
                </Anchor>
              </Text>
            )}
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}

export function SignUpPage() {
  const { session, user, signUp } = useSession();
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});

  if (user) return <Navigate to="/apps" replace />;

  /** Typing in a field clears what was said about it. */
  const edit = (field: string, set: (value: string) => void) => (value: string) => {
    set(value);
    setFieldErrors(({ [field]: _gone, ...rest }) => rest);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (displayName.trim() === '') local.displayName = 'Tell us your name.';
    if (!/^[^\s@/]+@[^\s@/]+$/.test(email.trim())) local.email = 'Enter an email address, like dana@example.com.';
    if (password.length < 12) local.password = 'Use at least 12 characters.';
    setFieldErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      await signUp({ email: email.trim(), password, displayName: displayName.trim() });
      navigate('/apps', { replace: true });
    } catch (failure) {
      const problem = asProblem(failure);
      const byField: Record<string, string> = {};
      for (const e of problem.problem.errors ?? []) if (e.path) byField[e.path.replace(/^\//, '')] = e.message;
      setFieldErrors(byField);
      setError(problem.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Center py="xl">
      <Paper withBorder radius="md" p="xl" w="100%" maw={460} component="section" aria-labelledby="sign-up-title">
        <Stack gap="md">
          <Title order={1} size="h2" id="sign-up-title">
            Create your developer account
          </Title>
          {!session && <Text c="dimmed">Loading…</Text>}
          {session?.signup === 'closed' && (
            <Alert color="yellow" variant="light" title="Sign-up is closed">
              This developer hub does not take sign-ups. Ask a Gatehouse administrator for an account, then{' '}
              <Anchor component={Link} to="/sign-in">
                sign in
              </Anchor>
              .
            </Alert>
          )}
          {session && session.signup !== 'closed' && (
            <form onSubmit={submit} noValidate>
              <Stack gap="md">
                {session.signup === 'approval' && (
                  <Alert color="blue" variant="light" icon={<IconInfoCircle aria-hidden />}>
                    An administrator approves new accounts here. You can sign in at once and browse; creating apps waits for the approval.
                  </Alert>
                )}
                {error && (
                  <Alert color="red" variant="light" title="Sign-up failed" role="alert">
                    {error}
                  </Alert>
                )}
                <TextInput label="Your name" autoComplete="name" required value={displayName} onChange={(e) => edit('displayName', setDisplayName)(e.currentTarget.value)} error={fieldErrors.displayName} />
                <TextInput label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => edit('email', setEmail)(e.currentTarget.value)} error={fieldErrors.email} />
                <PasswordInput
                  label="Password"
                  description="At least 12 characters."
                  autoComplete="new-password"
                  required
                  value={password}
                  onChange={(e) => edit('password', setPassword)(e.currentTarget.value)}
                  error={fieldErrors.password}
                />
                <Button type="submit" loading={busy} fullWidth>
                  Sign up
                </Button>
                <Text size="sm" ta="center">
                  Have an account?{' '}
                  <Anchor component={Link} to="/sign-in">
                    Sign in
                  </Anchor>
                </Text>
              </Stack>
            </form>
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
