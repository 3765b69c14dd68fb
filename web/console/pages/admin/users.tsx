// Users and roles: sign-ups waiting for approval first, then everyone with their roles and status; creating users
// with a password, changing roles, status, name or password.
import { Alert, Badge, Button, Checkbox, Group, Modal, PasswordInput, Radio, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { IconShieldLock, IconUserCheck, IconUserPlus } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import type { Role, UserCreate, UserUpdate, UserView } from '../../../../src/model/user.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { notifySuccess, run } from '../../lib/notify.tsx';
import { ROLE_LABELS, useSession } from '../../lib/session.tsx';

const ROLES: Array<{ value: Role; description: string }> = [
  { value: 'admin', description: 'Everything, including users, developers and approvals.' },
  { value: 'api-editor', description: 'APIs, products, deployments and key value maps.' },
  { value: 'viewer', description: 'Reads everything, changes nothing; sees analytics and the audit log.' },
  { value: 'developer', description: 'The developer hub: their own apps only. Cannot sign in here.' },
];

export function UsersPage() {
  const { can, user: me } = useSession();
  const users = useLoad(() => (can.admin ? fetchAll<UserView>('/users') : Promise.resolve([] as UserView[])), [can.admin]);
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<UserView | undefined>();

  if (!can.admin) {
    return (
      <>
        <PageHeader title="Users & roles" />
        <Alert color="gray" variant="light" icon={<IconShieldLock aria-hidden />} title="Only admins manage users">
          Ask an admin to change roles or create accounts.
        </Alert>
      </>
    );
  }

  const all = users.data ?? [];
  const waiting = all.filter((u) => u.roles.length === 0 && u.status === 'active');
  const others = all.filter((u) => !waiting.includes(u));

  async function approve(user: UserView) {
    const done = await run(() => api.put<UserView>(`/users/${seg(user.email)}`, { roles: ['developer'] } satisfies UserUpdate), {
      success: `${user.displayName ?? user.email} can use the developer hub`,
      successDetail: 'They now have the developer role.',
      failure: 'Could not approve the sign-up',
    });
    if (done) users.reload();
  }

  return (
    <>
      <PageHeader
        title="Users & roles"
        description="Who can sign in to the console, the management API and the developer hub, and what they may do."
        actions={
          <Button leftSection={<IconUserPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
            Create user
          </Button>
        }
      />
      {users.error && <ErrorAlert error={users.error} onRetry={users.reload} />}
      {!users.data && !users.error && <Loading label="Loading users…" />}
      {users.data && (
        <Stack gap="xl">
          {waiting.length > 0 && (
            <Stack gap="sm">
              <Title order={2} size="h4">
                Waiting for approval
              </Title>
              <Text size="sm" c="dimmed">
                They signed up in the developer hub, or were created without a role; they can sign in but do nothing until you approve them.
              </Text>
              <ScrollTable label="Users waiting for approval" minWidth={560}>
                <Table.Tbody>
                  {waiting.map((u) => (
                    <Table.Tr key={u.email}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {u.displayName ?? u.email}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {u.email} · signed up {formatDateTime(u.createdAt)}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status="waiting" label="waiting for approval" />
                      </Table.Td>
                      <Table.Td>
                        <Group gap="xs" justify="flex-end" wrap="nowrap">
                          <Button size="xs" leftSection={<IconUserCheck size={14} aria-hidden />} onClick={() => void approve(u)} aria-label={`Approve ${u.email} as developer`}>
                            Approve as developer
                          </Button>
                          <Button size="xs" variant="default" onClick={() => setEditing(u)} aria-label={`Edit ${u.email}`}>
                            Other roles…
                          </Button>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </ScrollTable>
            </Stack>
          )}
          <Stack gap="sm">
            <Title order={2} size="h4">
              {waiting.length > 0 ? 'Everyone else' : 'Everyone'}
            </Title>
            {others.length === 0 ? (
              <Empty icon={<IconUserPlus aria-hidden />} title="No users yet — create one" description="The bootstrap admin signs in with a token only; create users with passwords for everyday work." />
            ) : (
              <ScrollTable label="Users" minWidth={760}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>User</Table.Th>
                    <Table.Th>Roles</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Password</Table.Th>
                    <Table.Th>Actions</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {others.map((u) => (
                    <Table.Tr key={u.email}>
                      <Table.Td>
                        <Text fw={600} size="sm">
                          {u.displayName ?? u.email}
                          {u.email === me?.email && (
                            <Badge size="xs" ml={6} variant="light">
                              you
                            </Badge>
                          )}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {u.email}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4}>
                          {u.roles.map((r) => (
                            <Badge key={r} variant="light" color={r === 'admin' ? 'red' : r === 'developer' ? 'blue' : 'teal'} radius="sm" tt="none">
                              {ROLE_LABELS[r]}
                            </Badge>
                          ))}
                          {u.roles.length === 0 && (
                            <Text size="xs" c="dimmed">
                              no roles
                            </Text>
                          )}
                        </Group>
                      </Table.Td>
                      <Table.Td>
                        <StatusBadge status={u.status} />
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{u.hasPassword ? 'set' : 'none (token only)'}</Text>
                      </Table.Td>
                      <Table.Td>
                        <Group gap={4} wrap="nowrap">
                          <Button size="compact-sm" variant="light" onClick={() => setEditing(u)} aria-label={`Edit ${u.email}`}>
                            Edit
                          </Button>
                          <ConfirmButton
                            size="compact-sm"
                            variant="subtle"
                            title={`Delete ${u.email}?`}
                            message="Their sessions and personal access tokens stop working. Their developer profile and apps, if any, stay."
                            confirmLabel="Delete user"
                            aria-label={`Delete ${u.email}`}
                            disabled={u.email === me?.email}
                            onConfirm={async () => {
                              if (await run(async () => api.del(`/users/${seg(u.email)}`).then(() => true), { success: `${u.email} deleted`, failure: 'The user was not deleted' })) users.reload();
                            }}
                          >
                            Delete
                          </ConfirmButton>
                        </Group>
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </ScrollTable>
            )}
          </Stack>
        </Stack>
      )}
      <UserModal
        key={editing?.email ?? (creating ? 'new' : 'none')}
        opened={creating || editing !== undefined}
        user={editing}
        onClose={() => {
          setCreating(false);
          setEditing(undefined);
        }}
        onSaved={() => {
          setCreating(false);
          setEditing(undefined);
          users.reload();
        }}
      />
    </>
  );
}

function UserModal({ opened, user, onClose, onSaved }: { opened: boolean; user: UserView | undefined; onClose: () => void; onSaved: () => void }) {
  const [email, setEmail] = useState(user?.email ?? '');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [roles, setRoles] = useState<Role[]>(user?.roles ?? ['viewer']);
  const [status, setStatus] = useState(user?.status ?? 'active');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      if (user) {
        const body: UserUpdate = { roles, status, displayName: displayName.trim() };
        if (password) body.password = password;
        await api.put<UserView>(`/users/${seg(user.email)}`, body);
        notifySuccess(`Saved ${user.email}`, password ? 'The new password is set; their sessions ended.' : undefined);
      } else {
        const body: UserCreate = { email: email.trim(), roles, status };
        if (displayName.trim()) body.displayName = displayName.trim();
        if (password) body.password = password;
        await api.post<UserView>('/users', body);
        notifySuccess(`Created ${email.trim()}`, password ? 'They can sign in with the password you set.' : 'Without a password they use a personal access token.');
      }
      onSaved();
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={user ? `Edit ${user.email}` : 'Create a user'} size="lg">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title={user ? 'The user was not saved' : 'The user was not created'} />}
          {!user && <TextInput label="Email" type="email" required data-autofocus value={email} onChange={(e) => setEmail(e.currentTarget.value)} error={fieldError(error, '/email')} />}
          <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} error={fieldError(error, '/displayName')} />
          <Checkbox.Group label="Roles" description="No role: can sign in but do nothing (a sign-up waiting for approval)." value={roles} onChange={(v) => setRoles(v as Role[])} error={fieldError(error, '/roles')}>
            <Stack gap={6} mt="xs">
              {ROLES.map((r) => (
                <Checkbox key={r.value} value={r.value} label={ROLE_LABELS[r.value]} description={r.description} />
              ))}
            </Stack>
          </Checkbox.Group>
          <Radio.Group label="Status" value={status} onChange={(v) => setStatus(v === 'inactive' ? 'inactive' : 'active')}>
            <Group mt="xs">
              <Radio value="active" label="Active" />
              <Radio value="inactive" label="Inactive (cannot sign in; tokens stop working)" />
            </Group>
          </Radio.Group>
          <PasswordInput
            label={user ? 'New password' : 'Password'}
            description={user ? 'Leave empty to keep the current one. At least 12 characters.' : 'At least 12 characters. Leave empty for a token-only account.'}
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            autoComplete="new-password"
            error={fieldError(error, '/password')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!user && !email.trim()}>
              {user ? 'Save user' : 'Create user'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
