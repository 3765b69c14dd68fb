// Personal access tokens of the signed-in user, for the management API and the CLI: create (shown once), delete.
import { Button, Code, Group, Modal, NumberInput, Stack, Table, Text, TextInput } from '@mantine/core';
import { IconKey, IconPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { PersonalTokenCreate, PersonalTokenView } from '../../../../src/model/user.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { SecretOnce } from '../../components/secret.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { run } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';

export function TokensPage() {
  const { user } = useSession();
  const tokens = useLoad(() => api.get<{ items: PersonalTokenView[] }>('/tokens').then((r) => r.items), []);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<PersonalTokenView | undefined>();
  const createButton = (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Create token
    </Button>
  );
  return (
    <>
      <PageHeader title="Access tokens" description={`Personal access tokens of ${user?.email ?? 'your account'} for the management API and the gatehouse CLI. They act with your roles.`} actions={createButton} />
      {tokens.error && <ErrorAlert error={tokens.error} onRetry={tokens.reload} />}
      {!tokens.data && !tokens.error && <Loading label="Loading tokens…" />}
      {tokens.data && tokens.data.length === 0 && <Empty icon={<IconKey aria-hidden />} title="No tokens yet — create one" description="Use one with `Authorization: Bearer <token>`, or in CI with gatehouse apply." action={createButton} />}
      {tokens.data && tokens.data.length > 0 && (
        <ScrollTable label="Access tokens" minWidth={560}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Name</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th>Expires</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td fw={600}>{t.name}</Table.Td>
                <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                <Table.Td>{t.expiresAt ? formatDateTime(t.expiresAt) : 'never'}</Table.Td>
                <Table.Td>
                  <ConfirmButton
                    size="compact-sm"
                    variant="subtle"
                    title={`Delete the token “${t.name}”?`}
                    message="Anything that uses it stops working at once."
                    confirmLabel="Delete token"
                    aria-label={`Delete token ${t.name}`}
                    onConfirm={async () => {
                      if (await run(async () => api.del(`/tokens/${seg(t.id)}`).then(() => true), { success: `Token “${t.name}” deleted`, failure: 'The token was not deleted' })) tokens.reload();
                    }}
                  >
                    Delete
                  </ConfirmButton>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </ScrollTable>
      )}
      <CreateTokenModal
        opened={creating}
        onClose={() => setCreating(false)}
        onCreated={(t) => {
          setCreating(false);
          setCreated(t);
          tokens.reload();
        }}
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={created !== undefined} onClose={() => setCreated(undefined)} title={`Token “${created?.name ?? ''}” created`} size="lg">
        {created?.token && (
          <Stack gap="md">
            <SecretOnce label="Token" value={created.token} />
            <Text size="sm">
              Try it: <Code>curl -H "Authorization: Bearer $TOKEN" {window.location.origin}/api/v1/me</Code>
            </Text>
            <Group justify="flex-end">
              <Button onClick={() => setCreated(undefined)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function CreateTokenModal({ opened, onClose, onCreated }: { opened: boolean; onClose: () => void; onCreated: (t: PersonalTokenView) => void }) {
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | ''>(90);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body: PersonalTokenCreate = { name: name.trim() };
      if (typeof days === 'number') body.expiresInDays = days;
      const token = await api.post<PersonalTokenView>('/tokens', body);
      setName('');
      onCreated(token);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title="Create an access token">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title="The token was not created" />}
          <TextInput label="Token name" description="What it is for, e.g. ci or laptop." required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, '/name')} />
          <NumberInput label="Expires after (days)" description="Empty: never expires." min={1} max={3650} value={days} onChange={(v) => setDays(typeof v === 'number' ? v : '')} error={fieldError(error, '/expiresInDays')} />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim()}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
