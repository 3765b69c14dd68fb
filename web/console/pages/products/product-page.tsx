// Creating or changing a product: its APIs (optionally narrowed to paths and methods), scopes, quota, approval,
// visibility and whether the developer hub lists it.
import { ActionIcon, Alert, Button, Fieldset, Group, MultiSelect, NumberInput, Paper, Radio, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { IconDeviceFloppy, IconEye, IconPlus, IconTrash } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { useNavigate, useParams } from 'react-router';
import type { ApiView } from '../../../../src/model/api.ts';
import type { ProductSpec, ProductView } from '../../../../src/model/product.ts';
import { api, exchange, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { notifySuccess, run } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const TIME_UNITS = ['minute', 'hour', 'day', 'week', 'month'];
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';
type TimeUnit = 'minute' | 'hour' | 'day' | 'week' | 'month';

interface ApiChoice {
  name: string;
  narrow: boolean;
  resources: Array<{ path: string; methods: string[] }>;
}

interface Form {
  name: string;
  displayName: string;
  description: string;
  apis: ApiChoice[];
  scopes: string[];
  quotaOn: boolean;
  limit: number | '';
  interval: number | '';
  timeUnit: TimeUnit;
  approval: 'auto' | 'manual';
  visibility: 'public' | 'private' | 'internal';
  published: boolean;
  attributes: ProductSpec['attributes'];
}

const EMPTY: Form = { name: '', displayName: '', description: '', apis: [], scopes: [], quotaOn: false, limit: '', interval: 1, timeUnit: 'day', approval: 'auto', visibility: 'public', published: false, attributes: undefined };

function formOf(p: ProductView): Form {
  return {
    name: p.name,
    displayName: p.displayName ?? '',
    description: p.description ?? '',
    apis: p.apis.map((a) => (typeof a === 'string' ? { name: a, narrow: false, resources: [] } : { name: a.name, narrow: !!a.resources, resources: (a.resources ?? []).map((r) => ({ path: r.path, methods: r.methods ?? [] })) })),
    scopes: p.scopes ?? [],
    quotaOn: !!p.quota,
    limit: p.quota?.limit ?? '',
    interval: p.quota?.interval ?? 1,
    timeUnit: (p.quota?.timeUnit as TimeUnit | undefined) ?? 'day',
    approval: p.approval ?? 'auto',
    visibility: p.visibility ?? 'public',
    published: p.published ?? false,
    attributes: p.attributes,
  };
}

function specOf(f: Form): ProductSpec {
  const spec: ProductSpec = {
    name: f.name.trim(),
    apis: f.apis.map((a) =>
      a.narrow
        ? { name: a.name, resources: a.resources.filter((r) => r.path.trim()).map((r) => ({ path: r.path.trim(), ...(r.methods.length > 0 ? { methods: r.methods as Method[] } : {}) })) }
        : a.name,
    ),
    approval: f.approval,
    visibility: f.visibility,
    published: f.published,
  };
  if (f.displayName.trim()) spec.displayName = f.displayName.trim();
  if (f.description.trim()) spec.description = f.description.trim();
  if (f.scopes.length > 0) spec.scopes = f.scopes;
  if (f.quotaOn && typeof f.limit === 'number') spec.quota = { limit: f.limit, interval: typeof f.interval === 'number' ? f.interval : 1, timeUnit: f.timeUnit };
  if (f.attributes) spec.attributes = f.attributes;
  return spec;
}

export function ProductPage() {
  const { name } = useParams();
  const creating = name === undefined;
  const navigate = useNavigate();
  const { can } = useSession();
  const readOnly = !can.editApis;
  // The ETag travels with the product: a save sends it as If-Match, so two admins editing at once cannot both win.
  const loaded = useLoad(() => (creating ? Promise.resolve(undefined) : exchange<ProductView>('GET', `/products/${seg(name)}`)), [name]);
  const product = { ...loaded, data: loaded.data?.body };
  const apis = useLoad(() => fetchAll<ApiView>('/apis'), []);
  const [form, setForm] = useState<Form>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();

  useEffect(() => {
    setForm(product.data ? formOf(product.data) : EMPTY);
  }, [product.data]);

  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));
  const setApi = (index: number, patch: Partial<ApiChoice>) => set({ apis: form.apis.map((a, i) => (i === index ? { ...a, ...patch } : a)) });

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = specOf(form);
      const answer = creating
        ? await exchange<ProductView>('POST', '/products', { body })
        : await exchange<ProductView>('PUT', `/products/${seg(body.name)}`, { body, headers: loaded.data?.etag ? { 'if-match': loaded.data.etag } : {} });
      const saved = answer.body;
      notifySuccess(creating ? `Created ${saved.displayName ?? saved.name}` : `Saved ${saved.displayName ?? saved.name}`, saved.published ? 'It is published: developers see it in the hub.' : 'It is not published yet.');
      if (creating) navigate(`/products/${seg(saved.name)}`);
      else loaded.setData(answer);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }

  if (!creating && product.error && !product.data) {
    return (
      <>
        <PageHeader title={name} back={{ to: '/products', label: 'All products' }} />
        <ErrorAlert error={product.error} onRetry={product.reload} />
      </>
    );
  }
  if (!creating && !product.data) return <Loading label="Loading the product…" />;

  const apiOptions = (apis.data ?? []).map((a) => ({ value: a.name, label: `${a.displayName ?? a.name} (${a.basePath})` }));
  for (const chosen of form.apis) if (!apiOptions.some((o) => o.value === chosen.name)) apiOptions.push({ value: chosen.name, label: chosen.name });

  return (
    <>
      <PageHeader
        back={{ to: '/products', label: 'All products' }}
        title={creating ? 'Create a product' : (product.data?.displayName ?? name)}
        badge={!creating && <StatusBadge status={product.data?.published ? 'published' : 'draft'} label={product.data?.published ? 'published' : 'not published'} />}
        description={creating ? 'Bundle the APIs an app may call. Include the token API, and every API its tokens must open.' : name}
      />
      {readOnly && (
        <Alert variant="light" color="gray" icon={<IconEye aria-hidden />} mb="md">
          You can look at this product but not change it: your role is read-only.
        </Alert>
      )}
      <form onSubmit={submit}>
        <Stack gap="lg" maw={820}>
          {error && <ErrorAlert error={error} title={creating ? 'The product was not created' : 'The product was not saved'} />}
          <Fieldset legend="About" disabled={readOnly} radius="md">
            <Stack gap="sm">
              <TextInput label="Name" description="Letters, digits, . _ and -; apps refer to the product by it, so it cannot change." required disabled={!creating} value={form.name} onChange={(e) => set({ name: e.currentTarget.value })} error={fieldError(error, '/name')} />
              <TextInput label="Display name" description="What developers read in the hub." value={form.displayName} onChange={(e) => set({ displayName: e.currentTarget.value })} error={fieldError(error, '/displayName')} />
              <Textarea label="Description" autosize minRows={2} value={form.description} onChange={(e) => set({ description: e.currentTarget.value })} error={fieldError(error, '/description')} />
            </Stack>
          </Fieldset>

          <Fieldset legend="APIs" disabled={readOnly} radius="md">
            <Stack gap="sm">
              <MultiSelect
                label="APIs in this product"
                description="Tokens and keys of subscribed apps open these APIs."
                placeholder={form.apis.length === 0 ? 'Pick APIs' : undefined}
                data={apiOptions}
                value={form.apis.map((a) => a.name)}
                searchable
                nothingFoundMessage={apis.data?.length === 0 ? 'No APIs yet: create one first' : 'No API matches'}
                onChange={(names) => set({ apis: names.map((n) => form.apis.find((a) => a.name === n) ?? { name: n, narrow: false, resources: [] }) })}
                error={fieldError(error, '/apis')}
              />
              {apis.error && <ErrorAlert error={apis.error} title="The API list could not be loaded" />}
              {form.apis.map((choice, index) => (
                <Paper key={choice.name} withBorder p="sm" radius="md">
                  <Switch
                    label={`Only some paths of ${choice.name}`}
                    description="Off: the whole API. On: just the paths (and methods) listed."
                    checked={choice.narrow}
                    onChange={(e) => setApi(index, { narrow: e.currentTarget.checked, resources: e.currentTarget.checked && choice.resources.length === 0 ? [{ path: '/**', methods: [] }] : choice.resources })}
                  />
                  {choice.narrow && (
                    <Stack gap="xs" mt="sm">
                      {choice.resources.map((r, j) => (
                        <Group key={j} gap="xs" align="flex-end" wrap="wrap">
                          <TextInput
                            label={`Path ${j + 1}`}
                            description={j === 0 ? '/ = all, /** = all below, /* = one level, else exact' : undefined}
                            value={r.path}
                            onChange={(e) => setApi(index, { resources: choice.resources.map((x, k) => (k === j ? { ...x, path: e.currentTarget.value } : x)) })}
                            style={{ flex: '1 1 12rem' }}
                          />
                          <MultiSelect
                            label={`Methods of path ${j + 1}`}
                            placeholder={r.methods.length === 0 ? 'All methods' : undefined}
                            data={METHODS}
                            value={r.methods}
                            onChange={(methods) => setApi(index, { resources: choice.resources.map((x, k) => (k === j ? { ...x, methods } : x)) })}
                            style={{ flex: '1 1 14rem' }}
                          />
                          <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove path ${j + 1} of ${choice.name}`} onClick={() => setApi(index, { resources: choice.resources.filter((_, k) => k !== j) })}>
                            <IconTrash size={16} aria-hidden />
                          </ActionIcon>
                        </Group>
                      ))}
                      <Button variant="light" size="xs" w="fit-content" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setApi(index, { resources: [...choice.resources, { path: '/', methods: [] }] })}>
                        Add a path
                      </Button>
                    </Stack>
                  )}
                </Paper>
              ))}
            </Stack>
          </Fieldset>

          <Fieldset legend="Access" disabled={readOnly} radius="md">
            <Stack gap="md">
              <TagsInput label="Scopes" description="OAuth scopes tokens for this product may carry. Type one, then Enter." value={form.scopes} onChange={(scopes) => set({ scopes })} error={fieldError(error, '/scopes')} clearable />
              <Switch label="Limit calls with a quota" description="Quota steps that read the product's quota enforce it per app." checked={form.quotaOn} onChange={(e) => set({ quotaOn: e.currentTarget.checked, limit: e.currentTarget.checked && form.limit === '' ? 1000 : form.limit })} />
              {form.quotaOn && (
                <Group gap="sm" align="flex-start" wrap="wrap" pl="md">
                  <NumberInput label="Calls allowed" min={1} required value={form.limit} onChange={(v) => set({ limit: typeof v === 'number' ? v : '' })} w={160} error={fieldError(error, '/quota/limit')} thousandSeparator="," />
                  <NumberInput label="Every" min={1} value={form.interval} onChange={(v) => set({ interval: typeof v === 'number' ? v : '' })} w={100} error={fieldError(error, '/quota/interval')} />
                  <Select label="Time unit" data={TIME_UNITS} value={form.timeUnit} onChange={(v) => v && set({ timeUnit: v as TimeUnit })} allowDeselect={false} w={140} />
                </Group>
              )}
              <Radio.Group label="Approval" description="Whether new subscriptions work at once or wait for an admin." value={form.approval} onChange={(v) => set({ approval: v === 'manual' ? 'manual' : 'auto' })}>
                <Group mt="xs">
                  <Radio value="auto" label="Automatic" />
                  <Radio value="manual" label="An admin approves each app" />
                </Group>
              </Radio.Group>
              <Radio.Group label="Visibility" description="Who sees the product in the developer hub." value={form.visibility} onChange={(v) => set({ visibility: v as Form['visibility'] })}>
                <Group mt="xs">
                  <Radio value="public" label="Public" />
                  <Radio value="private" label="Private" />
                  <Radio value="internal" label="Internal" />
                </Group>
              </Radio.Group>
              <Switch label="Published" description="Listed in the developer hub's catalogue, so developers can subscribe their apps." checked={form.published} onChange={(e) => set({ published: e.currentTarget.checked })} size="md" />
            </Stack>
          </Fieldset>

          {!readOnly && (
            <Group justify="space-between">
              {!creating ? (
                <ConfirmButton
                  variant="subtle"
                  leftSection={<IconTrash size={16} aria-hidden />}
                  title={`Delete ${name}?`}
                  message="Apps that hold this product must drop it first; the server says which."
                  confirmLabel="Delete product"
                  onConfirm={async () => {
                    const done = await run(async () => api.del(`/products/${seg(name ?? '')}`).then(() => true), { success: `${name} deleted`, failure: 'The product was not deleted' });
                    if (done) navigate('/products');
                  }}
                >
                  Delete product
                </ConfirmButton>
              ) : (
                <span />
              )}
              <Group gap="sm">
                <Button variant="default" onClick={() => navigate('/products')}>
                  Cancel
                </Button>
                <Button type="submit" loading={busy} disabled={!form.name.trim()} leftSection={<IconDeviceFloppy size={16} aria-hidden />}>
                  {creating ? 'Create product' : 'Save product'}
                </Button>
              </Group>
            </Group>
          )}
          {!readOnly && (
            <Text size="xs" c="dimmed">
              Required fields are marked with an asterisk.
            </Text>
          )}
        </Stack>
      </form>
    </>
  );
}
