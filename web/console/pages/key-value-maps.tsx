// Key value maps (Apigee KVMs): organisation-wide or per-API maps that steps read and write, and their entries.
import { Badge, Button, Code, Group, Modal, Paper, Select, Stack, Switch, Table, Text, Textarea, TextInput, Title, UnstyledButton } from '@mantine/core';
import { IconDatabase, IconLock, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { ApiView } from '../../../src/model/api.ts';
import type { KeyValueEntryView, KeyValueMapSpec, KeyValueMapView } from '../../../src/model/key-value-map.ts';
import { api, seg, type ProblemError } from '../../shared/api.ts';
import { ConfirmButton } from '../../shared/confirm.tsx';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../components/page.tsx';
import { ScrollTable } from '../components/table.tsx';
import { formatDateTime } from '../lib/format.ts';
import { asProblem, useLoad } from '../../shared/load.ts';
import { fetchAll } from '../lib/fetch-all.ts';
import { run } from '../lib/notify.tsx';
import { useSession } from '../lib/session.tsx';

const scopeQuery = (map: Pick<KeyValueMapView, 'api'>) => (map.api ? `?api=${seg(map.api)}` : '');
const mapId = (map: Pick<KeyValueMapView, 'api' | 'name'>) => `${map.api ?? ''}/${map.name}`;

export function KeyValueMapsPage() {
  const { can } = useSession();
  const maps = useLoad(() => fetchAll<KeyValueMapView>('/keyvaluemaps'), []);
  const [selected, setSelected] = useState<string | undefined>();
  const [creating, setCreating] = useState(false);
  const current = maps.data?.find((m) => mapId(m) === selected) ?? maps.data?.[0];
  const createButton = can.editApis && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Create map
    </Button>
  );
  return (
    <>
      <PageHeader title="Key value maps" description="Settings and small lookups that key-value-map steps read at run time, organisation-wide or scoped to one API." actions={createButton} />
      {maps.error && <ErrorAlert error={maps.error} onRetry={maps.reload} />}
      {!maps.data && !maps.error && <Loading label="Loading key value maps…" />}
      {maps.data && maps.data.length === 0 && <Empty icon={<IconDatabase aria-hidden />} title="No key value maps yet" description="A map holds entries such as an upstream API key (encrypted) or a list of feature flags." action={createButton} />}
      {maps.data && maps.data.length > 0 && (
        <Group align="flex-start" gap="md" wrap="wrap">
          <Stack gap={6} w={{ base: '100%', sm: 260 }} role="list" aria-label="Key value maps">
            {maps.data.map((m) => (
              <Paper key={mapId(m)} withBorder radius="md" role="listitem" bg={current && mapId(current) === mapId(m) ? 'var(--mantine-primary-color-light)' : undefined}>
                <UnstyledButton p="sm" w="100%" onClick={() => setSelected(mapId(m))} aria-current={current && mapId(current) === mapId(m) ? 'true' : undefined}>
                  <Group gap={6}>
                    <Text fw={600} size="sm">
                      {m.name}
                    </Text>
                    {m.encrypted && <IconLock size={14} aria-label="encrypted" />}
                  </Group>
                  <Text size="xs" c="dimmed">
                    {m.api ? `API ${m.api}` : 'organisation-wide'}
                  </Text>
                </UnstyledButton>
              </Paper>
            ))}
          </Stack>
          {current && <Entries key={mapId(current)} map={current} canEdit={can.editApis} onDeleted={maps.reload} />}
        </Group>
      )}
      <CreateMapModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(m) => {
          setCreating(false);
          maps.reload();
          setSelected(mapId(m));
        }}
      />
    </>
  );
}

function Entries({ map, canEdit, onDeleted }: { map: KeyValueMapView; canEdit: boolean; onDeleted: () => void }) {
  const base = `/keyvaluemaps/${seg(map.name)}`;
  const entries = useLoad(() => fetchAll<KeyValueEntryView>(`${base}/entries${scopeQuery(map)}`), [map.name, map.api]);
  const [key, setKey] = useState('');
  const [value, setValue] = useState('');
  const [busy, setBusy] = useState(false);
  async function put(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    const done = await run(async () => api.put(`${base}/entries/${seg(key)}${scopeQuery(map)}`, { value }).then(() => true), { success: `Saved ${key}`, failure: 'The entry was not saved' });
    setBusy(false);
    if (done) {
      setKey('');
      setValue('');
      entries.reload();
    }
  }
  return (
    <Stack gap="sm" style={{ flex: '1 1 24rem', minWidth: 0 }}>
      <Group justify="space-between" wrap="wrap">
        <div>
          <Group gap="xs">
            <Title order={2} size="h4">
              {map.name}
            </Title>
            {map.encrypted && (
              <Badge variant="light" color="grape" leftSection={<IconLock size={12} aria-hidden />}>
                encrypted
              </Badge>
            )}
          </Group>
          <Text size="sm" c="dimmed">
            {map.description ?? (map.api ? `Scoped to the API ${map.api}.` : 'Organisation-wide.')}
          </Text>
        </div>
        {canEdit && (
          <ConfirmButton
            variant="subtle"
            size="xs"
            title={`Delete ${map.name}?`}
            message="The map and every entry go; steps that read it fail until it exists again."
            confirmLabel="Delete map"
            onConfirm={async () => {
              if (await run(async () => api.del(`${base}${scopeQuery(map)}`).then(() => true), { success: `${map.name} deleted`, failure: 'The map was not deleted' })) onDeleted();
            }}
          >
            Delete map
          </ConfirmButton>
        )}
      </Group>
      {entries.error && <ErrorAlert error={entries.error} onRetry={entries.reload} />}
      {!entries.data && !entries.error && <Loading label="Loading entries…" rows={2} />}
      {entries.data && entries.data.length === 0 && (
        <Text size="sm" c="dimmed">
          No entries yet.
        </Text>
      )}
      {entries.data && entries.data.length > 0 && (
        <ScrollTable label={`Entries of ${map.name}`} minWidth={520}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Key</Table.Th>
              <Table.Th>Value</Table.Th>
              <Table.Th>Updated</Table.Th>
              {canEdit && <Table.Th>Actions</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {entries.data.map((e) => (
              <Table.Tr key={e.key}>
                <Table.Td>
                  <Code>{e.key}</Code>
                </Table.Td>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>{e.value}</Table.Td>
                <Table.Td>{formatDateTime(e.updatedAt)}</Table.Td>
                {canEdit && (
                  <Table.Td>
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red"
                      aria-label={`Delete entry ${e.key}`}
                      onClick={async () => {
                        if (await run(async () => api.del(`${base}/entries/${seg(e.key)}${scopeQuery(map)}`).then(() => true), { success: `Deleted ${e.key}`, failure: 'The entry was not deleted' })) entries.reload();
                      }}
                    >
                      Delete
                    </Button>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      {canEdit && (
        <Paper withBorder radius="md" p="sm" component="form" onSubmit={put} aria-label={`Set an entry of ${map.name}`}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <TextInput label="Key" value={key} onChange={(e) => setKey(e.currentTarget.value)} required style={{ flex: '1 1 10rem' }} />
            <TextInput label="Value" value={value} onChange={(e) => setValue(e.currentTarget.value)} style={{ flex: '2 1 14rem' }} type={map.encrypted ? 'password' : 'text'} autoComplete="off" />
            <Button type="submit" loading={busy} disabled={!key}>
              Set entry
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

function CreateMapModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (m: KeyValueMapView) => void }) {
  const apis = useLoad(() => (opened ? fetchAll<ApiView>('/apis') : Promise.resolve([] as ApiView[])), [opened]);
  const [name, setName] = useState('');
  const [scope, setScope] = useState<string | null>(null);
  const [encrypted, setEncrypted] = useState(false);
  const [description, setDescription] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body: KeyValueMapSpec = { name: name.trim() };
    if (scope) body.api = scope;
    if (encrypted) body.encrypted = true;
    if (description.trim()) body.description = description.trim();
    try {
      const created = await api.post<KeyValueMapView>('/keyvaluemaps', body);
      setName('');
      setDescription('');
      onCreated(created);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Create a key value map">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title="The map was not created" />}
          <TextInput label="Name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, '/name')} />
          <Select label="Scope" description="Empty: organisation-wide. An API: only that API's steps see it." placeholder="Organisation-wide" data={(apis.data ?? []).map((a) => a.name)} value={scope} onChange={setScope} clearable searchable />
          <Switch label="Encrypt values" description="Values become write-only through the API; steps read them into private. variables only. Fixed at creation." checked={encrypted} onChange={(e) => setEncrypted(e.currentTarget.checked)} />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create map
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
