// The APIs: what the gateway serves, which revision of each is live, and creating a new one.
import { Anchor, Badge, Button, Code, Group, Modal, Stack, Table, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus, IconRoute, IconSearch } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { ApiSpec, ApiView } from '../../../../src/model/api.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { notifySuccess } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';

export function ApisPage() {
  const { can } = useSession();
  const apis = useLoad(() => fetchAll<ApiView>('/apis'), []);
  const [creating, setCreating] = useState(false);
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (apis.data ?? []).filter((a) => !q || a.name.toLowerCase().includes(q) || (a.displayName ?? '').toLowerCase().includes(q) || a.basePath.toLowerCase().includes(q));

  const createButton = can.editApis && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Create API
    </Button>
  );

  return (
    <>
      <PageHeader title="APIs" description="Each API routes a base path through its flows of policy steps, and on to its target." actions={createButton} />
      {apis.error && <ErrorAlert error={apis.error} onRetry={apis.reload} />}
      {!apis.data && !apis.error && <Loading label="Loading APIs…" />}
      {apis.data && apis.data.length === 0 && (
        <Empty
          icon={<IconRoute aria-hidden />}
          title={can.editApis ? 'No APIs yet — create one' : 'No APIs yet'}
          description={can.editApis ? 'Start with a token API (an oauth-v2 step, no target) or put a policy in front of a backend you have.' : 'An admin or API editor creates them.'}
          action={createButton}
        />
      )}
      {apis.data && apis.data.length > 0 && (
        <Stack gap="sm">
          <TextInput aria-label="Filter APIs" placeholder="Filter by name or base path" leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} maw={360} />
          <ScrollTable label="APIs" minWidth={760}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>API</Table.Th>
                <Table.Th>Base path</Table.Th>
                <Table.Th>Target</Table.Th>
                <Table.Th>Deployment</Table.Th>
                <Table.Th>Updated</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((a) => (
                <Table.Tr key={a.name}>
                  <Table.Td>
                    <Anchor component={Link} to={`/apis/${seg(a.name)}`} fw={600}>
                      {a.displayName ?? a.name}
                    </Anchor>
                    {a.displayName && (
                      <Text size="xs" c="dimmed">
                        {a.name}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Code>{a.basePath}</Code>
                  </Table.Td>
                  <Table.Td>
                    {a.target ? (
                      <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                        {a.target.url}
                      </Text>
                    ) : (
                      <Text size="sm" c="dimmed">
                        answers itself
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      {a.deployedRevision !== null ? <StatusBadge status="deployed" label={`revision ${a.deployedRevision} deployed`} /> : <StatusBadge status="draft" label="not deployed" />}
                      {a.deployedRevision !== null && a.deployedRevision < a.latestRevision && (
                        <Badge size="sm" variant="outline" color="yellow" radius="sm">
                          revision {a.latestRevision} not deployed
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(a.updatedAt)}</Text>
                  </Table.Td>
                </Table.Tr>
              ))}
              {shown.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>
                    <Text size="sm" c="dimmed" ta="center" py="md">
                      No API matches “{query}”.
                    </Text>
                  </Table.Td>
                </Table.Tr>
              )}
            </Table.Tbody>
          </ScrollTable>
        </Stack>
      )}
      <CreateApiModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateApiModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [basePath, setBasePath] = useState('');
  const [baseTouched, setBaseTouched] = useState(false);
  const [target, setTarget] = useState('');
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const spec: ApiSpec = { name: name.trim(), basePath: basePath.trim() };
    if (displayName.trim()) spec.displayName = displayName.trim();
    if (description.trim()) spec.description = description.trim();
    if (target.trim()) spec.target = { url: target.trim() };
    try {
      const created = await api.post<ApiView>('/apis', spec);
      notifySuccess(`Created ${created.name}`, 'Revision 1 is saved. Add steps to its flow, then deploy it.');
      onClose();
      navigate(`/apis/${seg(created.name)}`);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Create an API" size="lg">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title="The API was not created" />}
          <TextInput
            label="Name"
            description="Letters, digits, . _ and -; it cannot change later."
            required
            data-autofocus
            value={name}
            onChange={(e) => {
              const next = e.currentTarget.value;
              setName(next);
              if (!baseTouched) setBasePath(next ? `/${next.trim()}` : '');
            }}
            error={fieldError(error, '/name')}
          />
          <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fieldError(error, '/displayName')} />
          <TextInput
            label="Base path"
            description="The gateway routes calls under this path to the API, e.g. /weather."
            required
            value={basePath}
            onChange={(e) => {
              setBaseTouched(true);
              setBasePath(e.currentTarget.value);
            }}
            error={fieldError(error, '/basePath')}
          />
          <TextInput label="Target URL" description="Where calls go, e.g. https://api.example.com. Leave empty for an API that answers from its own steps (a token endpoint)." value={target} onChange={(e) => setTarget(e.currentTarget.value)} error={fieldError(error, '/target')} />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} error={fieldError(error, '/description')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim() || !basePath.trim()}>
              Create API
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
