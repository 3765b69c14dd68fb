// One developer: their status and their apps, each app's credentials and the status of each credential's products;
// creating an app on their behalf (with a generated or an imported key and secret); how each app's clients
// authenticate at the token endpoint (secret, private_key_jwt with pasted public keys, or none).
import { Alert, Badge, Button, Card, Code, Group, Modal, MultiSelect, Paper, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconApps, IconKey, IconLock, IconPlus, IconRefresh, IconTrash } from '@tabler/icons-react';
import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import type { AppCreate, AppSpec, AppView, CredentialView, PublicJwk, TokenEndpointAuthMethod } from '../../../../src/model/app.ts';
import type { DeveloperView } from '../../../../src/model/developer.ts';
import type { ProductView } from '../../../../src/model/product.ts';
import { api, exchange, seg, type ProblemError } from '../../../shared/api.ts';
import { ConfirmButton } from '../../../shared/confirm.tsx';
import { Empty, ErrorAlert, fieldError, Loading, PageHeader } from '../../components/page.tsx';
import { CopyValue, SecretOnce } from '../../components/secret.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatDateTime } from '../../lib/format.ts';
import { asProblem, useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { run } from '../../lib/notify.tsx';
import { useSession } from '../../lib/session.tsx';
import { developerName, setDeveloperStatus } from './developers-page.tsx';

interface Revealed {
  title: string;
  clientId: string;
  clientSecret?: string;
}

export function DeveloperPage() {
  const { email = '' } = useParams();
  const { can } = useSession();
  const developer = useLoad(() => api.get<DeveloperView>(`/developers/${seg(email)}`), [email]);
  const apps = useLoad(() => fetchAll<AppView>(`/developers/${seg(email)}/apps`), [email]);
  const [creating, setCreating] = useState(false);
  const [revealed, setRevealed] = useState<Revealed | undefined>();
  const d = developer.data;

  if (developer.error && !d) {
    return (
      <>
        <PageHeader title={email} back={{ to: '/developers', label: 'All developers' }} />
        <ErrorAlert error={developer.error} onRetry={developer.reload} />
      </>
    );
  }
  if (!d) return <Loading label="Loading the developer…" />;

  const createButton = can.admin && (
    <Button leftSection={<IconPlus size={16} aria-hidden />} onClick={() => setCreating(true)}>
      Create app
    </Button>
  );

  return (
    <>
      <PageHeader
        back={{ to: '/developers', label: 'All developers' }}
        title={developerName(d)}
        badge={<StatusBadge status={d.status} />}
        description={`${d.email}${d.userName && d.userName !== d.email ? ` · ${d.userName}` : ''} · joined ${formatDateTime(d.createdAt)}`}
        actions={
          can.admin && (
            <>
              <Button
                variant="light"
                color={d.status === 'active' ? 'red' : 'teal'}
                onClick={async () => {
                  const next = await setDeveloperStatus(d.email, d.status !== 'active');
                  if (next) developer.setData(next);
                }}
              >
                {d.status === 'active' ? 'Deactivate developer' : 'Activate developer'}
              </Button>
              {createButton}
            </>
          )
        }
      />
      {d.status === 'inactive' && (
        <Alert color="gray" variant="light" mb="md">
          This developer is inactive: their apps cannot get tokens, and their tokens and keys do not work.
        </Alert>
      )}
      <Title order={2} size="h4" mb="sm">
        Apps
      </Title>
      {apps.error && <ErrorAlert error={apps.error} onRetry={apps.reload} />}
      {!apps.data && !apps.error && <Loading label="Loading apps…" />}
      {apps.data && apps.data.length === 0 && <Empty icon={<IconApps aria-hidden />} title="No apps yet" description="An app holds the client id and secret a developer calls your APIs with." action={createButton} />}
      <Stack gap="md">
        {apps.data?.map((app) => (
          <AppCard key={app.name} app={app} admin={can.admin} onChanged={apps.reload} onReveal={setRevealed} />
        ))}
      </Stack>
      <CreateAppModal
        opened={creating}
        email={d.email}
        onClose={() => setCreating(false)}
        onCreated={(app) => {
          setCreating(false);
          apps.reload();
          developer.reload();
          const credential = app.credentials[0];
          if (credential) setRevealed({ title: `${app.name} is ready`, clientId: credential.clientId, clientSecret: credential.clientSecret });
        }}
      />
      <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={revealed !== undefined} onClose={() => setRevealed(undefined)} title={revealed?.title} size="lg">
        {revealed && (
          <Stack gap="md">
            <div>
              <Text size="sm" fw={600}>
                Client id
              </Text>
              <Group gap="xs" wrap="nowrap">
                <Code style={{ overflowWrap: 'anywhere' }}>{revealed.clientId}</Code>
                <CopyValue value={revealed.clientId} label="client id" />
              </Group>
            </div>
            {revealed.clientSecret ? (
              <SecretOnce label="Client secret" value={revealed.clientSecret} />
            ) : (
              <Text size="sm" c="dimmed">
                The secret is the one you imported; Gatehouse keeps only its hash.
              </Text>
            )}
            <Group justify="flex-end">
              <Button onClick={() => setRevealed(undefined)}>I have copied it</Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}

function appPath(app: AppView): string {
  return `/developers/${seg(app.developer)}/apps/${seg(app.name)}`;
}

function AppCard({ app, admin, onChanged, onReveal }: { app: AppView; admin: boolean; onChanged: () => void; onReveal: (r: Revealed) => void }) {
  const [adding, setAdding] = useState(false);
  const [authOpen, setAuthOpen] = useState(false);
  const act = async (path: string, messages: { success: string; failure: string; successDetail?: string }, method: 'post' | 'del' = 'post') => {
    const done = await run(async () => (method === 'post' ? api.post(path) : api.del(path)).then(() => true), messages);
    if (done) onChanged();
  };
  return (
    <Card withBorder radius="md" padding="md" component="article" aria-label={`App ${app.displayName ?? app.name}`}>
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
        <div style={{ minWidth: 0 }}>
          <Group gap="xs">
            <Title order={3} size="h5">
              {app.displayName ?? app.name}
            </Title>
            <StatusBadge status={app.status} />
          </Group>
          <Text size="xs" c="dimmed">
            {app.name} · created {formatDateTime(app.createdAt)}
          </Text>
          {app.description && <Text size="sm" mt={4}>{app.description}</Text>}
          {app.callbackUrls && app.callbackUrls.length > 0 && (
            <Text size="xs" mt={4} style={{ overflowWrap: 'anywhere' }}>
              Callback URLs: {app.callbackUrls.join(', ')}
            </Text>
          )}
          <Text size="xs" mt={4}>
            Client authentication: {AUTH_METHODS[app.tokenEndpointAuthMethod ?? 'client_secret'].label}
            {app.tokenEndpointAuthMethod === 'private_key_jwt' && ` · ${app.jwks?.keys.length ?? 0} ${app.jwks?.keys.length === 1 ? 'key' : 'keys'}`}
          </Text>
        </div>
        {admin && (
          <Group gap="xs">
            {app.status === 'approved' ? (
              <Button size="xs" variant="light" color="red" onClick={() => void act(`${appPath(app)}/revoke`, { success: `${app.name} revoked`, successDetail: 'Its tokens and keys stop working.', failure: 'Could not revoke the app' })} aria-label={`Revoke app ${app.name}`}>
                Revoke app
              </Button>
            ) : (
              <Button size="xs" variant="light" color="teal" onClick={() => void act(`${appPath(app)}/approve`, { success: `${app.name} approved`, failure: 'Could not approve the app' })} aria-label={`Approve app ${app.name}`}>
                Approve app
              </Button>
            )}
            <Button size="xs" variant="default" leftSection={<IconKey size={14} aria-hidden />} onClick={() => setAdding(true)} aria-label={`Add a credential to ${app.name}`}>
              Add credential
            </Button>
            <Button size="xs" variant="default" leftSection={<IconLock size={14} aria-hidden />} onClick={() => setAuthOpen(true)} aria-label={`Client authentication of ${app.name}`}>
              Client authentication
            </Button>
            <ConfirmButton size="xs" variant="subtle" title={`Delete ${app.name}?`} message="Its credentials and tokens stop working at once." confirmLabel="Delete app" onConfirm={() => act(appPath(app), { success: `${app.name} deleted`, failure: 'Could not delete the app' }, 'del')} aria-label={`Delete app ${app.name}`}>
              <IconTrash size={14} aria-hidden />
            </ConfirmButton>
          </Group>
        )}
      </Group>

      <Text size="xs" fw={700} c="dimmed" tt="uppercase" mt="md" mb={6}>
        Credentials
      </Text>
      <Stack gap="sm">
        {app.credentials.length === 0 && (
          <Text size="sm" c="dimmed">
            No credentials: the app cannot call anything.
          </Text>
        )}
        {app.credentials.map((c) => (
          <CredentialRow key={c.clientId} app={app} credential={c} admin={admin} act={act} onReveal={onReveal} />
        ))}
      </Stack>
      <AddCredentialModal
        opened={adding}
        app={app}
        onClose={() => setAdding(false)}
        onAdded={(c) => {
          setAdding(false);
          onChanged();
          onReveal({ title: `New credential for ${app.name}`, clientId: c.clientId, clientSecret: c.clientSecret });
        }}
      />
      {authOpen && (
        <ClientAuthModal
          app={app}
          onClose={() => setAuthOpen(false)}
          onSaved={() => {
            setAuthOpen(false);
            onChanged();
          }}
        />
      )}
    </Card>
  );
}

function CredentialRow({ app, credential: c, admin, act, onReveal }: { app: AppView; credential: CredentialView; admin: boolean; act: (path: string, messages: { success: string; failure: string }, method?: 'post' | 'del') => Promise<void>; onReveal: (r: Revealed) => void }) {
  const base = `${appPath(app)}/credentials/${seg(c.clientId)}`;
  const expired = c.expiresAt !== null && Date.parse(c.expiresAt) < Date.now();
  return (
    <Paper withBorder p="sm" radius="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))" data-testid="credential">
      <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
        <div style={{ minWidth: 0 }}>
          <Group gap={6} wrap="nowrap">
            <Code style={{ overflowWrap: 'anywhere' }}>{c.clientId}</Code>
            <CopyValue value={c.clientId} label={`client id ${c.clientId}`} />
            <StatusBadge status={expired ? 'expired' : c.status} label={expired ? 'expired' : c.status} />
          </Group>
          <Text size="xs" c="dimmed" mt={2}>
            Issued {formatDateTime(c.issuedAt)} · {c.expiresAt ? `expires ${formatDateTime(c.expiresAt)}` : 'never expires'}
          </Text>
        </div>
        {admin && (
          <Group gap={4}>
            {c.status === 'approved' ? (
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => void act(`${base}/revoke`, { success: 'Credential revoked', failure: 'Could not revoke the credential' })} aria-label={`Revoke credential ${c.clientId}`}>
                Revoke
              </Button>
            ) : (
              <Button size="compact-xs" variant="subtle" color="teal" onClick={() => void act(`${base}/approve`, { success: 'Credential approved', failure: 'Could not approve the credential' })} aria-label={`Approve credential ${c.clientId}`}>
                Approve
              </Button>
            )}
            <ConfirmButton
              size="compact-xs"
              variant="subtle"
              color="orange"
              leftSection={<IconRefresh size={12} aria-hidden />}
              title="Regenerate the secret?"
              message="The old secret stops working at once; tokens already issued keep working until they expire."
              confirmLabel="Regenerate"
              aria-label={`Regenerate the secret of ${c.clientId}`}
              onConfirm={async () => {
                const next = await run(() => api.post<CredentialView>(`${base}/regenerate`), { failure: 'Could not regenerate the secret' });
                if (next) onReveal({ title: `New secret for ${app.name}`, clientId: next.clientId, clientSecret: next.clientSecret });
              }}
            >
              New secret
            </ConfirmButton>
            <ConfirmButton size="compact-xs" variant="subtle" title="Delete this credential?" message="Its tokens stop working at once." confirmLabel="Delete credential" aria-label={`Delete credential ${c.clientId}`} onConfirm={() => act(base, { success: 'Credential deleted', failure: 'Could not delete the credential' }, 'del')}>
              Delete
            </ConfirmButton>
          </Group>
        )}
      </Group>
      <Stack gap={4} mt="xs">
        {c.products.length === 0 && (
          <Text size="xs" c="dimmed">
            No products.
          </Text>
        )}
        {c.products.map((p) => (
          <Group key={p.name} gap="xs" wrap="wrap">
            <Badge variant="light" color="blue" radius="sm" tt="none">
              {p.name}
            </Badge>
            <StatusBadge status={p.status} />
            {admin && p.status !== 'approved' && (
              <Button size="compact-xs" variant="light" color="teal" onClick={() => void act(`${base}/products/${seg(p.name)}/approve`, { success: `${p.name} approved for ${app.name}`, failure: 'Could not approve the product' })} aria-label={`Approve product ${p.name} for ${c.clientId}`}>
                Approve
              </Button>
            )}
            {admin && p.status !== 'revoked' && (
              <Button size="compact-xs" variant="subtle" color="red" onClick={() => void act(`${base}/products/${seg(p.name)}/revoke`, { success: `${p.name} revoked for ${app.name}`, failure: 'Could not revoke the product' })} aria-label={`Revoke product ${p.name} for ${c.clientId}`}>
                Revoke
              </Button>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

function CreateAppModal({ opened, email, onClose, onCreated }: { opened: boolean; email: string; onClose: () => void; onCreated: (app: AppView) => void }) {
  const products = useLoad(() => (opened ? fetchAll<ProductView>('/products') : Promise.resolve([] as ProductView[])), [opened]);
  const [name, setName] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [callbacks, setCallbacks] = useState<string[]>([]);
  const [importing, setImporting] = useState(false);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const body: AppCreate = { name: name.trim(), products: chosen };
    if (displayName.trim()) body.displayName = displayName.trim();
    if (description.trim()) body.description = description.trim();
    if (callbacks.length > 0) body.callbackUrls = callbacks;
    if (importing) body.credentials = [{ clientId: clientId.trim(), clientSecret }];
    try {
      const app = await api.post<AppView>(`/developers/${seg(email)}/apps`, body);
      setName('');
      setDisplayName('');
      setDescription('');
      setChosen([]);
      setCallbacks([]);
      setClientId('');
      setClientSecret('');
      setImporting(false);
      onCreated(app);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={`Create an app for ${email}`} size="lg">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title="The app was not created" />}
          <TextInput label="App name" required data-autofocus value={name} onChange={(e) => setName(e.currentTarget.value)} error={fieldError(error, '/name')} />
          <TextInput label="Display name" value={displayName} onChange={(e) => setDisplayName(e.currentTarget.value)} />
          <Textarea label="Description" autosize minRows={2} value={description} onChange={(e) => setDescription(e.currentTarget.value)} />
          <MultiSelect
            label="Products"
            description="What the app's credentials may call. Manual-approval products start pending."
            data={(products.data ?? []).map((p) => ({ value: p.name, label: p.displayName ? `${p.displayName} (${p.name})` : p.name }))}
            value={chosen}
            onChange={setChosen}
            searchable
            nothingFoundMessage="No products yet"
            error={fieldError(error, '/products')}
          />
          <TagsInput label="Callback URLs" description="For the authorization code grant; type one, then Enter." value={callbacks} onChange={setCallbacks} error={fieldError(error, '/callbackUrls')} />
          <Switch label="Bring an existing client id and secret" description="Import keys the developer already uses elsewhere (Apigee, SAP), instead of generating new ones." checked={importing} onChange={(e) => setImporting(e.currentTarget.checked)} />
          {importing && (
            <Stack gap="sm" pl="md" style={{ borderLeft: '2px solid var(--mantine-color-teal-4)' }}>
              <TextInput label="Client id" required value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} error={fieldError(error, '/credentials/0/clientId')} description="8 to 200 letters, digits, . _ ~ -" />
              <TextInput label="Client secret" required value={clientSecret} onChange={(e) => setClientSecret(e.currentTarget.value)} error={fieldError(error, '/credentials/0/clientSecret')} description="At least 16 characters." autoComplete="off" />
            </Stack>
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={!name.trim() || (importing && (!clientId || !clientSecret))}>
              Create app
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

function AddCredentialModal({ opened, app, onClose, onAdded }: { opened: boolean; app: AppView; onClose: () => void; onAdded: (c: CredentialView) => void }) {
  const [importing, setImporting] = useState(false);
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const c = await api.post<CredentialView>(`${appPath(app)}/credentials`, importing ? { clientId: clientId.trim(), clientSecret } : {});
      setClientId('');
      setClientSecret('');
      onAdded(c);
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={`Add a credential to ${app.name}`}>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm" c="dimmed">
            A second credential lets the developer rotate keys without downtime. It carries the app's products.
          </Text>
          {error && <ErrorAlert error={error} title="The credential was not added" />}
          <Switch label="Import an existing client id and secret" checked={importing} onChange={(e) => setImporting(e.currentTarget.checked)} />
          {importing && (
            <>
              <TextInput label="Client id" required value={clientId} onChange={(e) => setClientId(e.currentTarget.value)} error={fieldError(error, '/clientId')} />
              <TextInput label="Client secret" required value={clientSecret} onChange={(e) => setClientSecret(e.currentTarget.value)} error={fieldError(error, '/clientSecret')} autoComplete="off" />
            </>
          )}
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={importing && (!clientId || !clientSecret)}>
              {importing ? 'Import credential' : 'Generate credential'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

const AUTH_METHODS: Record<TokenEndpointAuthMethod, { label: string; description: string }> = {
  client_secret: { label: 'client secret', description: 'The client id and secret, by HTTP Basic or in the form body.' },
  private_key_jwt: { label: 'private_key_jwt', description: 'A JWT signed with the private key whose public half you paste below (RFC 7523); the secret is not accepted.' },
  none: { label: 'none (public client)', description: 'A browser or mobile app that cannot keep a secret: it sends only its client id, and must use PKCE.' },
};

/** JWK members only a private key has: refused here already, so a private key never leaves the browser. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** A pasted JWK Set (or one JWK) as the app's `jwks`, or why it is not one. The server checks the keys themselves. */
function parseJwks(text: string): { jwks: { keys: PublicJwk[] } | undefined; error?: string } {
  if (text.trim() === '') return { jwks: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { jwks: undefined, error: `This is not JSON: ${(e as Error).message}` };
  }
  const object = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  const keys = Array.isArray(object?.keys) ? (object.keys as unknown[]) : object && 'kty' in object ? [object] : undefined;
  if (!keys || keys.length === 0) return { jwks: undefined, error: 'Paste a JWK Set ({"keys": [ … ]}) or a single public JWK.' };
  for (const [index, key] of keys.entries()) {
    if (key === null || typeof key !== 'object' || Array.isArray(key)) return { jwks: undefined, error: `Key ${index + 1} is not a JSON object.` };
    const secret = PRIVATE_MEMBERS.filter((m) => m in key);
    if (secret.length > 0) return { jwks: undefined, error: `Key ${index + 1} is a private key (it has ${secret.join(', ')}): paste only its public half.` };
  }
  return { jwks: { keys: keys as PublicJwk[] } };
}

function ClientAuthModal({ app, onClose, onSaved }: { app: AppView; onClose: () => void; onSaved: () => void }) {
  const [method, setMethod] = useState<TokenEndpointAuthMethod>(app.tokenEndpointAuthMethod ?? 'client_secret');
  const [text, setText] = useState(app.jwks ? JSON.stringify(app.jwks, null, 2) : '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProblemError | undefined>();
  const parsed = parseJwks(text);
  const missing = method === 'private_key_jwt' && !parsed.error && !parsed.jwks;
  async function submit(event: FormEvent) {
    event.preventDefault();
    if (parsed.error || missing) return;
    setBusy(true);
    setError(undefined);
    try {
      // Read the app afresh and save only these two fields, with If-Match: a concurrent change is not overwritten.
      const current = await exchange<AppView>('GET', appPath(app));
      const { id: _id, developer: _developer, status: _status, credentials: _credentials, createdAt: _createdAt, updatedAt: _updatedAt, jwks: _jwks, ...rest } = current.body;
      const spec: AppSpec = { ...rest, tokenEndpointAuthMethod: method, ...(parsed.jwks ? { jwks: parsed.jwks } : {}) };
      await exchange<AppView>('PUT', appPath(app), { body: spec, headers: current.etag ? { 'if-match': current.etag } : {} });
      onSaved();
    } catch (e) {
      setError(asProblem(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened onClose={onClose} title={`Client authentication of ${app.name}`} size="lg">
      <form onSubmit={submit}>
        <Stack gap="sm">
          {error && <ErrorAlert error={error} title="Not saved" />}
          <Select
            label="Token endpoint auth method"
            description={AUTH_METHODS[method].description}
            data={(Object.keys(AUTH_METHODS) as TokenEndpointAuthMethod[]).map((value) => ({ value, label: AUTH_METHODS[value].label }))}
            value={method}
            onChange={(value) => value && setMethod(value as TokenEndpointAuthMethod)}
            allowDeselect={false}
            error={fieldError(error, '/tokenEndpointAuthMethod')}
          />
          <Textarea
            label="Public keys (JWKS)"
            description="A JWK Set in JSON: EC P-256, Ed25519 or RSA (2048 bits or more) public keys, each with a kid when there are several. Required for private_key_jwt."
            placeholder='{"keys": [{"kty": "EC", "crv": "P-256", "kid": "key-1", "x": "…", "y": "…"}]}'
            autosize
            minRows={4}
            maxRows={14}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 12 } }}
            value={text}
            onChange={(e) => setText(e.currentTarget.value)}
            error={parsed.error ?? (missing ? 'Paste the public keys the client signs with.' : undefined) ?? fieldError(error, '/jwks')}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={busy} disabled={parsed.error !== undefined || missing}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
