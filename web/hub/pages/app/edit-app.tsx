// Change an app's display name, description, callback URLs and products, in a dialog.
import { Alert, Button, Group, Modal, Stack } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { api, seg } from '../../../shared/api.ts';
import { AppFields, appBody, checkAppForm, type AppFormValues } from '../../components/app-form.tsx';
import { Loading, ProblemAlert } from '../../components/states.tsx';
import { asProblem, useLoad } from '../../../shared/load.ts';
import type { CatalogueProductSummary, HubAppView } from '../../lib/wire.ts';

function valuesOf(app: HubAppView): AppFormValues {
  return { name: app.name, displayName: app.displayName ?? '', description: app.description ?? '', callbackUrls: app.callbackUrls, publicClient: app.publicClient, products: app.products };
}

function EditForm({ app, onSaved, onCancel }: { app: HubAppView; onSaved: (app: HubAppView) => void; onCancel: () => void }) {
  const catalogue = useLoad(() => api.get<{ items: CatalogueProductSummary[] }>('/products'), []);
  const [values, setValues] = useState(valuesOf(app));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const local = checkAppForm(values, false);
    setErrors(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    setFailure(undefined);
    try {
      onSaved(await api.put<HubAppView>(`/apps/${seg(app.name)}`, appBody(values)));
    } catch (error) {
      setFailure(asProblem(error).message);
    } finally {
      setBusy(false);
    }
  };

  if (catalogue.error) return <ProblemAlert error={catalogue.error} title="The catalogue could not be loaded" onRetry={catalogue.reload} />;
  if (!catalogue.data) return <Loading label="Loading the products" />;
  return (
    <form onSubmit={submit} noValidate aria-label="Edit app">
      <Stack gap="md">
        {failure && (
          <Alert color="red" variant="light" title="The app was not saved" role="alert">
            {failure}
          </Alert>
        )}
        <AppFields values={values} onChange={setValues} catalogue={catalogue.data.items} errors={errors} creating={false} heldProducts={app.products} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Save
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

export function EditAppButton({ app, onSaved }: { app: HubAppView; onSaved: (app: HubAppView) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button variant="default" leftSection={<IconPencil size={16} aria-hidden />} onClick={() => setOpen(true)}>
        Edit
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={`Edit ${app.displayName ?? app.name}`} size="lg">
        {open && (
          <EditForm
            app={app}
            onCancel={() => setOpen(false)}
            onSaved={(saved) => {
              setOpen(false);
              onSaved(saved);
            }}
          />
        )}
      </Modal>
    </>
  );
}
