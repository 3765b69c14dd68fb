// Developers: the people (or teams) who own apps, their status, and adding one on someone's behalf.
import { Anchor, Button, Group, Modal, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconPlus, IconSearch, IconUsers } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import type { DeveloperView } from '../../../../src/model/developer.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime, plural } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { notifySuccess, run } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';

export function developerName(d: Pick<DeveloperView, 'firstName' | 'lastName'>): string {
  return `${d.firstName} ${d.lastName}`.trim();
}

export async function setDeveloperStatus(email: string, active: boolean): Promise<DeveloperView | undefined> {
  return run(() => api.post<DeveloperView>(`/developers/${seg(email)}/${active ? 'activate' : 'deactivate'}`), {
    success: active ? `${email} is active` : `${email} is deactivated`,
    successDetail: active ? 'Their apps can get tokens again.' : 'Their tokens and keys stop working.',
    failure: active ? 'Could not activate the developer' : 'Could not deactivate the developer',
  });
}

export function DevelopersPage() {
  const { can } = useSession();
  const developers = useLoad(() => fetchAll<DeveloperView>('/developers'), []);
  const [creating, setCreating] = useState(false);
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (developers.data ?? []).filter((d) => !q || d.email.toLowerCase().includes(q) || developerName(d).toLowerCase().includes(q));
  const inactive = (developers.data ?? []).filter((d) => d.status === 'inactive').length;
  const createButton = can.admin && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Add developer
    </Button>
  );

  return (
    <>
      <PageHeader
        title="Developers & apps"
        description={developers.data ? `${plural(developers.data.length, 'developer')}${inactive ? `, ${inactive} inactive` : ''}. Open one to see their apps and keys.` : 'The people who build on your APIs, and their apps.'}
        actions={createButton}
      />
      {developers.error && <ErrorAlert error={developers.error} onRetry={developers.reload} />}
      {!developers.data && !developers.error && <Loading label="Loading developers…" />}
      {developers.data && developers.data.length === 0 && (
        <Empty icon={<IconUsers aria-hidden />} title="No developers yet" description="Developers sign up in the developer hub; an admin can also add one here and create apps on their behalf." action={createButton} />
      )}
      {developers.data && developers.data.length > 0 && (
        <Stack gap="sm">
          <TextInput aria-label="Filter developers" placeholder="Filter by name or email" leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} maw={360} />
          <ScrollTable label="Developers" minWidth={720}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Developer</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Apps</Table.Th>
                <Table.Th>Joined</Table.Th>
                {can.admin && <Table.Th>Actions</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((d) => (
                <Table.Tr key={d.email}>
                  <Table.Td>
                    <Anchor component={Link} to={`/developers/${seg(d.email)}`} fw={600}>
                      {developerName(d)}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {d.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={d.status} />
                  </Table.Td>
                  <Table.Td>{d.apps.length === 0 ? <Text size="sm" c="dimmed">none</Text> : d.apps.join(', ')}</Table.Td>
                  <Table.Td>{formatDateTime(d.createdAt)}</Table.Td>
                  {can.admin && (
                    <Table.Td>
                      <Button
                        size="compact-sm"
                        variant="light"
                        color={d.status === 'active' ? 'red' : 'teal'}
                        aria-label={`${d.status === 'active' ? 'Deactivate' : 'Activate'} ${d.email}`}
                        onClick={async () => {
                          if (await setDeveloperStatus(d.email, d.status !== 'active')) developers.reload();
                        }}
                      >
                        {d.status === 'active' ? 'Deactivate' : 'Activate'}
                      </Button>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        </Stack>
      )}
      <CreateDeveloperModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}

function CreateDeveloperModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const navigate = useNavigate();
  const [email, setEmail] = useState('');
  const [firstName, setFirstName] = useState('');
  const [lastName, setLastName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await api.post<DeveloperView>('/developers', { email: email.trim(), firstName: firstName.trim(), lastName: lastName.trim() });
      notifySuccess(`Added ${developerName(created)}`, 'Create an app for them next.');
      onClose();
      navigate(`/developers/${seg(created.email)}`);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Add a developer">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            A developer profile without a login of its own, as Apigee allows: you manage its apps here.
          </Text>
          {error && <ErrorAlert error={error} title="The developer was not added" />}
          <TextInput label="Email" type="email" required data-autofocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(error, '/email')} />
          <Group grow>
            <TextInput label="First name" required value={firstName} onChange={(e) => setFirstName(e.currentTarget.value)} error={fieldError(error, '/firstName')} />
            <TextInput label="Last name" required value={lastName} onChange={(e) => setLastName(e.currentTarget.value)} error={fieldError(error, '/lastName')} />
          </Group>
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!email || !firstName || !lastName}>
              Add developer
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
