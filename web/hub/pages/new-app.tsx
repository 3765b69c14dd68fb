// Create an app: name, description, callback URLs and products; the answer carries the secret, shown next.
import { Alert, Anchor, Breadcrumbs, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api.ts';
import { AppFields, appBody, checkAppForm, type AppFormValues } from '../components/app-form.tsx';
import { Loading, ProblemAlert } from '../components/states.tsx';
import { asProblem, useLoad } from '../../shared/load.ts';
import { useSecrets } from '../lib/secrets.tsx';
import { useSession } from '../lib/session.tsx';
import type { CatalogueProductSummary, HubAppView } from '../lib/wire.ts';

export function NewAppPage() {
  const { session } = useSession();
  const secrets = useSecrets();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const catalogue = useLoad(() => api.get<{ items: CatalogueProductSummary[] }>('/products'), []);
  const preselected = params.get('product');
  const [values, setValues] = useState<AppFormValues>({ name: '', displayName: '', description: '', callbackUrls: [], publicClient: false, products: preselected ? [preselected] : [] });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  if (session && !session.canCreateApps) return <Navigate to="/apps" replace />;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = checkAppForm(values, true);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const created = await api.post<HubAppView>('/apps', { name: values.name, ...appBody(values) });
      for (const c of created.credentials) if (c.clientSecret) secrets.remember(c.clientId, c.clientSecret);
      navigate(`/apps/${encodeURIComponent(created.name)}`, { state: { created: true } });
    } catch (error) {
      const problem = asProblem(error);
      const byField: Record<string, string> = {};
      for (const e of problem.problem.errors ?? []) if (e.path) byField[e.path.replace(/^\//, '').split('/')[0] ?? ''] = e.message;
      if (problem.code === 'app.exists') byField.name = problem.message;
      if (problem.code === 'app.unknown_product') byField.products = problem.message;
      setErrors(byField);
      setFailure(problem.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to="/apps">
          My apps
        </Anchor>
        <Text size="sm">New app</Text>
      </Breadcrumbs>
      <Stack gap={4}>
        <Title order={1}>Create an app</Title>
        <Text c="dimmed">You get a client id and a client secret. The secret is shown once, right after this step: have a safe place ready.</Text>
      </Stack>
      {catalogue.error && <ProblemAlert error={catalogue.error} title="The catalogue could not be loaded" onRetry={catalogue.reload} />}
      {!catalogue.data && catalogue.loading && <Loading label="Loading the products" />}
      {catalogue.data && (
        <Paper withBorder radius="md" p={{ base: 'md', sm: 'xl' }} maw={760}>
          <form onSubmit={submit} noValidate aria-label="New app">
            <Stack gap="lg">
              {failure && (
                <Alert color="red" variant="light" title="The app was not created" role="alert">
                  {failure}
                </Alert>
              )}
              <AppFields values={values} onChange={setValues} catalogue={catalogue.data.items} errors={errors} creating />
              <Group justify="flex-end">
                <Button variant="default" component={Link} to="/apps">
                  Cancel
                </Button>
                <Button type="submit" loading={busy}>
                  Create app
                </Button>
              </Group>
            </Stack>
          </form>
        </Paper>
      )}
    </Stack>
  );
}
