// Revisions and deployment: which revision is live, deploying another or undeploying (with the server's reasons
// when it refuses), and a diff between any two revisions.
import { Alert, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconCloudOff, IconCloudUpload, IconGitCompare, IconRocket } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import type { ApiView, DeploymentView, RevisionView } from '../../../../src/model/api.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { DiffView } from '../../components/diff-view.tsx';
import { ErrorAlert, Loading } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { ScrollTable } from '../../components/table.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { notifyError, notifySuccess } from '../../lib/notify.tsx';

const pretty = (r: RevisionView | undefined) => (r ? `${JSON.stringify(r.spec, null, 2)}\n` : '');

export function Revisions({ view, canEdit, onChanged }: { view: ApiView; canEdit: boolean; onChanged: () => void }) {
  const name = view.name;
  const revisions = useLoad(() => api.get<{ items: RevisionView[] }>(`/apis/${seg(name)}/revisions`).then((r) => [...r.items].sort((a, b) => b.revision - a.revision)), [name, view.latestRevision, view.deployedRevision]);
  const deployment = useLoad(
    () => (view.deployedRevision === null ? Promise.resolve(undefined) : api.get<DeploymentView>(`/apis/${seg(name)}/deployment`)),
    [name, view.deployedRevision],
  );
  const [chosen, setChosen] = useState<string | null>(String(view.latestRevision));
  const [busy, setBusy] = useState(false);
  const [deployError, setDeployError] = useState<{ revision: number; error: ProblemError } | undefined>();
  const [from, setFrom] = useState<string | null>(null);
  const [to, setTo] = useState<string | null>(null);

  useEffect(() => setChosen(String(view.latestRevision)), [view.latestRevision]);
  useEffect(() => {
    setTo(String(view.latestRevision));
    setFrom(view.latestRevision > 1 ? String(view.latestRevision - 1) : String(view.latestRevision));
  }, [view.latestRevision]);

  async function deploy(revision: number) {
    setBusy(true);
    setDeployError(undefined);
    try {
      const result = await api.post<DeploymentView>(`/apis/${seg(name)}/revisions/${revision}/deployment`);
      notifySuccess(`Revision ${result.revision} of ${name} is deployed`, `The gateway serves it at ${result.basePath}.`);
      onChanged();
    } catch (error) {
      const problem = asProblem(error);
      setDeployError({ revision, error: problem });
      notifyError(problem, `Revision ${revision} could not be deployed`);
    } finally {
      setBusy(false);
    }
  }

  async function undeploy() {
    try {
      await api.del(`/apis/${seg(name)}/deployment`);
      notifySuccess(`${name} is undeployed`, 'The gateway no longer routes its base path.');
      setDeployError(undefined);
      onChanged();
    } catch (error) {
      notifyError(error, 'Could not undeploy');
    }
  }

  const items = revisions.data ?? [];
  const options = items.map((r) => ({ value: String(r.revision), label: `Revision ${r.revision}${r.deployed ? ' (deployed)' : ''}` }));
  const byNumber = (value: string | null) => items.find((r) => String(r.revision) === value);
  const live = deployment.data;

  return (
    <Stack gap="xl">
      <Paper withBorder radius="md" p="md">
        <Stack gap="sm">
          <Group justify="space-between" wrap="wrap" gap="sm">
            <Group gap="sm">
              {view.deployedRevision !== null ? <IconCloudUpload size={28} color="var(--mantine-color-teal-6)" aria-hidden /> : <IconCloudOff size={28} color="var(--mantine-color-gray-6)" aria-hidden />}
              <div>
                <Title order={2} size="h4" data-testid="deployment-state">
                  {view.deployedRevision !== null ? `Revision ${view.deployedRevision} is deployed` : 'Not deployed'}
                </Title>
                <Text size="sm" c="dimmed">
                  {view.deployedRevision !== null
                    ? live
                      ? `Live at ${live.basePath} since ${formatDateTime(live.deployedAt)}, deployed by ${live.deployedBy}.`
                      : 'Live on the gateway.'
                    : 'The gateway does not route this API yet. Deploy a revision to make it live.'}
                </Text>
              </div>
            </Group>
            {canEdit && view.deployedRevision !== null && (
              <ConfirmButton variant="light" leftSection={<IconCloudOff size={16} aria-hidden />} title={`Undeploy ${name}?`} message={`Calls to ${live?.basePath ?? view.basePath} will get 404 until a revision is deployed again.`} confirmLabel="Undeploy" onConfirm={undeploy}>
                Undeploy
              </ConfirmButton>
            )}
          </Group>
          {canEdit && (
            <Group align="flex-end" gap="sm" wrap="wrap">
              <Select label="Revision to deploy" data={options} value={chosen} onChange={setChosen} w={240} allowDeselect={false} />
              <Button leftSection={<IconRocket size={16} aria-hidden />} loading={busy} disabled={!chosen} onClick={() => chosen && void deploy(Number(chosen))}>
                Deploy revision {chosen ?? ''}
              </Button>
            </Group>
          )}
          {deployError && <ErrorAlert error={deployError.error} title={`Revision ${deployError.revision} could not be deployed`} />}
        </Stack>
      </Paper>

      <Stack gap="sm">
        <Title order={2} size="h4">
          Revisions
        </Title>
        <Text size="sm" c="dimmed">
          Every save makes a new revision; revisions never change, so you can always go back to one.
        </Text>
        {revisions.error && <ErrorAlert error={revisions.error} onRetry={revisions.reload} />}
        {!revisions.data && !revisions.error && <Loading label="Loading revisions…" />}
        {revisions.data && (
          <ScrollTable label={`Revisions of ${name}`} minWidth={620}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Revision</Table.Th>
                <Table.Th>Saved</Table.Th>
                <Table.Th>By</Table.Th>
                <Table.Th>State</Table.Th>
                <Table.Th>Actions</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.map((r) => (
                <Table.Tr key={r.revision}>
                  <Table.Td fw={600}>{r.revision}</Table.Td>
                  <Table.Td>{formatDateTime(r.createdAt)}</Table.Td>
                  <Table.Td>{r.createdBy}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {r.deployed && <StatusBadge status="deployed" />}
                      {r.revision === view.latestRevision && (
                        <Badge variant="outline" size="sm" radius="sm">
                          latest
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4} justify="flex-end" wrap="nowrap">
                      {r.revision > 1 && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          leftSection={<IconGitCompare size={14} aria-hidden />}
                          onClick={() => {
                            setFrom(String(r.revision - 1));
                            setTo(String(r.revision));
                          }}
                          aria-label={`Compare revision ${r.revision} with revision ${r.revision - 1}`}
                        >
                          Changes
                        </Button>
                      )}
                      {canEdit && !r.deployed && (
                        <Button size="compact-sm" variant="light" onClick={() => void deploy(r.revision)} aria-label={`Deploy revision ${r.revision}`} disabled={busy}>
                          Deploy
                        </Button>
                      )}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </ScrollTable>
        )}
      </Stack>

      {items.length > 0 && (
        <Stack gap="sm">
          <Title order={2} size="h4">
            Compare revisions
          </Title>
          {items.length === 1 ? (
            <Alert variant="light" color="gray">
              There is only one revision so far. Save a change to compare.
            </Alert>
          ) : (
            <>
              <Group gap="sm" align="flex-end" wrap="wrap">
                <Select label="From revision" data={options} value={from} onChange={setFrom} w={220} allowDeselect={false} />
                <Select label="To revision" data={options} value={to} onChange={setTo} w={220} allowDeselect={false} />
              </Group>
              {byNumber(from) && byNumber(to) && <DiffView before={pretty(byNumber(from))} after={pretty(byNumber(to))} label={`Changes from revision ${from} to revision ${to}`} />}
            </>
          )}
        </Stack>
      )}
    </Stack>
  );
}
