// The audit log: who changed what and when, newest first, filtered by actor, resource, action and time.
import { Alert, Button, Code, Group, Paper, Select, SimpleGrid, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconFilterOff, IconHistory, IconShieldLock } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { AuditEventView } from '../../../../src/model/audit.ts';
import { api } from '../../../shared/api.ts';
import { Empty, ErrorAlert, Loading, PageHeader } from '../../components/page.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { notifyError } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';

interface Filters {
  actor: string;
  resourceType: string;
  resource: string;
  action: string;
  since: string;
  until: string;
}

const NONE: Filters = { actor: '', resourceType: '', resource: '', action: '', since: '', until: '' };
const RESOURCE_TYPES = [
  { value: 'api', label: 'API' },
  { value: 'product', label: 'Product' },
  { value: 'developer', label: 'Developer' },
  { value: 'app', label: 'App (and its credentials)' },
  { value: 'user', label: 'User (and their tokens)' },
  { value: 'kvm', label: 'Key value map' },
];

function query(filters: Filters, cursor?: string): string {
  const params = new URLSearchParams({ limit: '50' });
  for (const [key, value] of Object.entries(filters)) {
    if (!value.trim()) continue;
    // datetime-local has no zone: read it as the browser's local time.
    params.set(key, key === 'since' || key === 'until' ? new Date(value).toISOString() : value.trim());
  }
  if (cursor) params.set('cursor', cursor);
  return `/audit?${params.toString()}`;
}

function details(event: AuditEventView): string {
  const entries = Object.entries(event.details);
  return entries.length === 0 ? '' : entries.map(([k, v]) => `${k}: ${typeof v === 'string' ? v : JSON.stringify(v)}`).join(', ');
}

export function AuditPage() {
  const { can } = useSession();
  const [draft, setDraft] = useState<Filters>(NONE);
  const [applied, setApplied] = useState<Filters>(NONE);
  const [more, setMore] = useState<{ items: AuditEventView[]; cursor: string | null }>({ items: [], cursor: null });
  const [loadingMore, setLoadingMore] = useState(false);
  const page = useLoad(async () => {
    if (!can.audit) return { items: [] as AuditEventView[], nextCursor: null };
    const answer = await api.get<{ items: AuditEventView[]; nextCursor: string | null }>(query(applied));
    setMore({ items: [], cursor: answer.nextCursor });
    return answer;
  }, [applied, can.audit]);

  if (!can.audit) {
    return (
      <>
        <PageHeader title="Audit log" />
        <Alert color="gray" variant="light" icon={<IconShieldLock aria-hidden />} title="Admins and viewers read the audit log">
          Your role does not include it.
        </Alert>
      </>
    );
  }

  const events = [...(page.data?.items ?? []), ...more.items];
  const filtered = Object.values(applied).some((v) => v.trim() !== '');
  const set = (patch: Partial<Filters>) => setDraft((d) => ({ ...d, ...patch }));

  function submit(event: FormEvent) {
    event.preventDefault();
    setApplied({ ...draft });
  }

  async function loadMore() {
    if (!more.cursor) return;
    setLoadingMore(true);
    try {
      const answer = await api.get<{ items: AuditEventView[]; nextCursor: string | null }>(query(applied, more.cursor));
      setMore((m) => ({ items: [...m.items, ...answer.items], cursor: answer.nextCursor }));
    } catch (error) {
      notifyError(asProblem(error), 'Could not load more events');
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <>
      <PageHeader title="Audit log" description="Every change made through the console, the management API, apply and the hub: who, what, when. Secrets never appear here." />
      <Paper withBorder radius="md" p="md" mb="md" component="form" onSubmit={submit} aria-label="Filter the audit log">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="sm">
          <TextInput label="Actor" placeholder="dana@example.com" value={draft.actor} onChange={(e) => set({ actor: e.currentTarget.value })} />
          <Select label="Resource type" placeholder="Any" data={RESOURCE_TYPES} value={draft.resourceType || null} onChange={(v) => set({ resourceType: v ?? '' })} clearable searchable />
          <TextInput label="Resource" placeholder="weather, or dana@example.com/weather-app" value={draft.resource} onChange={(e) => set({ resource: e.currentTarget.value })} />
          <TextInput label="Action" placeholder="api.deploy" value={draft.action} onChange={(e) => set({ action: e.currentTarget.value })} />
          <TextInput label="From" type="datetime-local" value={draft.since} onChange={(e) => set({ since: e.currentTarget.value })} />
          <TextInput label="Until" type="datetime-local" value={draft.until} onChange={(e) => set({ until: e.currentTarget.value })} />
        </SimpleGrid>
        <Group mt="md" gap="sm">
          <Button type="submit">Apply filters</Button>
          {filtered && (
            <Button
              variant="subtle"
              leftSection={<IconFilterOff size={16} aria-hidden />}
              onClick={() => {
                setDraft(NONE);
                setApplied(NONE);
              }}
            >
              Clear filters
            </Button>
          )}
        </Group>
      </Paper>
      {page.error && <ErrorAlert error={page.error} onRetry={page.reload} />}
      {page.loading && !page.data && <Loading label="Loading the audit log…" />}
      {page.data && events.length === 0 && <Empty icon={<IconHistory aria-hidden />} title={filtered ? 'No events match these filters' : 'Nothing has changed yet'} description={filtered ? 'Widen the time range or clear a filter.' : 'Changes appear here as soon as anyone makes one.'} />}
      {events.length > 0 && (
        <Stack gap="sm">
          <Text size="sm" c="dimmed" aria-live="polite">
            {events.length} event{events.length === 1 ? '' : 's'}
            {more.cursor ? ' so far' : ''}
            {filtered ? ' matching the filters' : ''}
          </Text>
          <ScrollTable label="Audit events" minWidth={820}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>When</Table.Th>
                <Table.Th>Who</Table.Th>
                <Table.Th>Action</Table.Th>
                <Table.Th>Resource</Table.Th>
                <Table.Th>Details</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {events.map((e) => (
                <Table.Tr key={e.id}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(e.at)}</Table.Td>
                  <Table.Td>{e.actor}</Table.Td>
                  <Table.Td>
                    <Code>{e.action}</Code>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" c="dimmed">
                      {e.resourceType}
                    </Text>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {e.resource}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                      {details(e)}
                    </Text>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
          {more.cursor && (
            <Button variant="default" onClick={() => void loadMore()} loading={loadingMore} w="fit-content">
              Load older events
            </Button>
          )}
        </Stack>
      )}
    </>
  );
}
