// One API: its flow (the visual editor), its settings, and its revisions and deployment. Edits stay in the page
// until saved as a new revision.
import { Affix, Alert, Badge, Button, Group, Paper, Stack, Tabs, Text, Transition } from '@mantine/core';
import { IconDeviceFloppy, IconEye, IconHistory, IconRoute, IconSettings, IconTrash } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ApiSpec, ApiView } from '../../../../src/model/api.ts';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { ErrorAlert, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { stableJson } from '../../lib/json.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { notifyError, notifySuccess, run } from '../../lib/notify.tsx';
import { loadPolicies } from '../../lib/policies.ts';
import { useSession } from '../../lib/session.tsx';
import { ApiSettings } from './api-settings.tsx';
import { FlowEditor } from './flow-editor.tsx';
import { cleanSpec, specOf } from './flow-model.ts';
import { Revisions } from './revisions.tsx';

const TABS = ['flow', 'settings', 'revisions'] as const;

export function ApiPage() {
  const { name = '', tab: tabParam } = useParams();
  const tab = TABS.find((t) => t === tabParam) ?? 'flow';
  const navigate = useNavigate();
  const { can } = useSession();
  const readOnly = !can.editApis;
  const loaded = useLoad(() => api.get<ApiView>(`/apis/${seg(name)}`), [name]);
  const policies = useLoad(loadPolicies, []);
  const [draft, setDraft] = useState<ApiSpec | undefined>();
  const [base, setBase] = useState<{ name: string; revision: number } | undefined>();
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<ProblemError | undefined>();
  const view = loaded.data;

  // A new latest revision (ours or someone else's) resets the draft; a deploy or undeploy does not.
  useEffect(() => {
    if (!view) return;
    if (base?.name !== view.name || base.revision !== view.latestRevision) {
      setDraft(specOf(view));
      setBase({ name: view.name, revision: view.latestRevision });
    }
  }, [view, base]);

  const saved = useMemo(() => (view ? stableJson(cleanSpec(specOf(view))) : ''), [view]);
  const dirty = !!draft && !!view && stableJson(cleanSpec(draft)) !== saved;

  // Closing the tab or reloading with unsaved edits asks first (the browser words the question).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);

  async function save() {
    if (!draft || !view) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const next = await api.put<ApiView>(`/apis/${seg(name)}`, cleanSpec(draft), { headers: { 'if-match': `"${view.latestRevision}"` } });
      if (next.latestRevision === view.latestRevision) notifySuccess('Nothing to save', 'The API is the same as its latest revision.');
      else notifySuccess(`Saved revision ${next.latestRevision}`, next.deployedRevision !== null ? `Revision ${next.deployedRevision} stays deployed until you deploy the new one.` : 'Deploy it from Revisions when you are ready.');
      loaded.setData(next);
    } catch (error) {
      const problem = asProblem(error);
      setSaveError(problem);
      notifyError(problem, problem.status === 412 ? 'Someone else saved this API meanwhile' : 'The API was not saved');
    } finally {
      setSaving(false);
    }
  }

  if (loaded.error && !view) {
    return (
      <>
        <PageHeader title={name} back={{ to: '/apis', label: 'All APIs' }} />
        <ErrorAlert error={loaded.error} onRetry={loaded.reload} />
      </>
    );
  }
  if (!view || !draft) return <Loading label={`Loading ${name}…`} />;

  return (
    <>
      <PageHeader
        back={{ to: '/apis', label: 'All APIs' }}
        title={view.displayName ?? view.name}
        badge={view.deployedRevision !== null ? <StatusBadge status="deployed" label={`revision ${view.deployedRevision} deployed`} /> : <StatusBadge status="draft" label="not deployed" />}
        description={
          <>
            {view.name} · <code>{view.basePath}</code> · latest revision {view.latestRevision}
          </>
        }
        actions={
          !readOnly && (
            <>
              {dirty && (
                <Button variant="default" onClick={() => setDraft(specOf(view))}>
                  Discard changes
                </Button>
              )}
              <Button leftSection={<IconDeviceFloppy size={16} aria-hidden />} onClick={() => void save()} loading={saving} disabled={!dirty}>
                Save revision
              </Button>
            </>
          )
        }
      />
      {readOnly && (
        <Alert variant="light" color="gray" icon={<IconEye aria-hidden />} mb="md">
          You can look at this API but not change it: your role is read-only.
        </Alert>
      )}
      {saveError && (
        <Stack mb="md">
          <ErrorAlert error={saveError} title="The API was not saved" />
        </Stack>
      )}
      <Tabs value={tab} onChange={(v) => v && navigate(`/apis/${seg(name)}${v === 'flow' ? '' : `/${v}`}`)} keepMounted={false}>
        <Tabs.List mb="lg">
          <Tabs.Tab value="flow" leftSection={<IconRoute size={16} aria-hidden />}>
            Flow
          </Tabs.Tab>
          <Tabs.Tab value="settings" leftSection={<IconSettings size={16} aria-hidden />}>
            Settings
          </Tabs.Tab>
          <Tabs.Tab value="revisions" leftSection={<IconHistory size={16} aria-hidden />}>
            Revisions & deployment
            {dirty && (
              <Badge size="xs" ml={6} color="yellow" variant="light">
                unsaved
              </Badge>
            )}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="flow">
          <FlowEditor spec={draft} onChange={setDraft} readOnly={readOnly} policies={policies} onEditTarget={() => navigate(`/apis/${seg(name)}/settings`)} />
        </Tabs.Panel>
        <Tabs.Panel value="settings">
          <ApiSettings spec={draft} onChange={setDraft} readOnly={readOnly} error={saveError} />
          {!readOnly && (
            <Paper withBorder radius="md" p="md" mt="xl" maw={760} style={{ borderColor: 'var(--mantine-color-red-4)' }}>
              <Group justify="space-between" wrap="wrap" gap="sm">
                <div>
                  <Text fw={600}>Delete this API</Text>
                  <Text size="sm" c="dimmed">
                    {view.deployedRevision !== null ? 'Undeploy it first; deployed APIs cannot be deleted.' : 'Removes the API, every revision and its key value maps.'}
                  </Text>
                </div>
                <ConfirmButton
                  variant="light"
                  leftSection={<IconTrash size={16} aria-hidden />}
                  disabled={view.deployedRevision !== null}
                  title={`Delete ${view.name}?`}
                  message="Every revision goes with it. This cannot be undone."
                  confirmLabel="Delete API"
                  onConfirm={async () => {
                    const done = await run(async () => api.del(`/apis/${seg(name)}`).then(() => true), { success: `${view.name} deleted`, failure: 'The API was not deleted' });
                    if (done) navigate('/apis');
                  }}
                >
                  Delete API
                </ConfirmButton>
              </Group>
            </Paper>
          )}
        </Tabs.Panel>
        <Tabs.Panel value="revisions">
          {dirty && (
            <Alert variant="light" color="yellow" mb="md">
              You have unsaved changes. Deploying acts on saved revisions only; save first to deploy them.
            </Alert>
          )}
          <Revisions view={view} canEdit={!readOnly} onChanged={loaded.reload} />
        </Tabs.Panel>
      </Tabs>
      {/* Bottom centre, clear of the notifications (top) and of a drawer's buttons (right). */}
      <Affix position={{ bottom: 20, left: 0, right: 0 }} zIndex={150} style={{ pointerEvents: 'none', display: 'flex', justifyContent: 'center' }}>
        <Transition transition="slide-up" mounted={dirty && !readOnly}>
          {(styles) => (
            <Paper style={{ ...styles, pointerEvents: 'auto' }} shadow="lg" radius="md" p="sm" withBorder aria-label="Unsaved changes" role="region">
              <Group gap="sm">
                <Text size="sm" fw={500}>
                  Unsaved changes
                </Text>
                <Button size="xs" variant="default" onClick={() => setDraft(specOf(view))}>
                  Discard
                </Button>
                <Button size="xs" onClick={() => void save()} loading={saving} aria-label={`Save as revision ${view.latestRevision + 1}`}>
                  Save as revision {view.latestRevision + 1}
                </Button>
              </Group>
            </Paper>
          )}
        </Transition>
      </Affix>
    </>
  );
}
