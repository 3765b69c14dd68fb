// The fields of an app a developer edits (name only when creating), with the catalogue's products to pick from.
import { Alert, Checkbox, Group, SimpleGrid, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import type { CatalogueProductSummary } from '../lib/wire.ts';

export interface AppFormValues {
  name: string;
  displayName: string;
  description: string;
  callbackUrls: string[];
  publicClient: boolean;
  products: string[];
}

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const CALLBACK_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]+$/;

/** Problems the form can tell before asking the server, by field. */
export function checkAppForm(values: AppFormValues, creating: boolean): Record<string, string> {
  const problems: Record<string, string> = {};
  if (creating && !NAME_PATTERN.test(values.name)) problems.name = 'Use letters, digits, ".", "_" and "-", starting with a letter or digit (at most 100).';
  if (values.products.length === 0) problems.products = 'Pick at least one product.';
  const bad = values.callbackUrls.find((u) => !CALLBACK_PATTERN.test(u));
  if (bad !== undefined) problems.callbackUrls = `"${bad}" is not a URL, such as https://example.com/callback.`;
  return problems;
}

/** The body the hub API takes, without empty optional fields. */
export function appBody(values: AppFormValues): { displayName?: string; description?: string; callbackUrls?: string[]; publicClient: boolean; products: string[] } {
  return {
    publicClient: values.publicClient,
    ...(values.displayName.trim() ? { displayName: values.displayName.trim() } : {}),
    ...(values.description.trim() ? { description: values.description.trim() } : {}),
    ...(values.callbackUrls.length > 0 ? { callbackUrls: values.callbackUrls } : {}),
    products: values.products,
  };
}

export function AppFields({
  values,
  onChange,
  catalogue,
  errors,
  creating,
  heldProducts = [],
}: {
  values: AppFormValues;
  onChange: (values: AppFormValues) => void;
  catalogue: CatalogueProductSummary[];
  errors: Record<string, string>;
  creating: boolean;
  /** Products the app holds that the catalogue does not list (an administrator's): shown so they can stay. */
  heldProducts?: string[];
}) {
  const set = <K extends keyof AppFormValues>(key: K, value: AppFormValues[K]) => onChange({ ...values, [key]: value });
  const listed = new Set(catalogue.map((p) => p.name));
  const extra = heldProducts.filter((name) => !listed.has(name));
  return (
    <Stack gap="md">
      {creating && (
        <TextInput
          label="App name"
          description="Its identifier: letters, digits, '.', '_' and '-'. It cannot change later."
          required
          value={values.name}
          onChange={(e) => set('name', e.currentTarget.value)}
          error={errors.name}
          autoComplete="off"
          data-autofocus
        />
      )}
      <TextInput label="Display name" description="How people read it (optional)." value={values.displayName} onChange={(e) => set('displayName', e.currentTarget.value)} error={errors.displayName} />
      <Textarea label="Description" description="What the app does (optional)." autosize minRows={2} maxRows={6} value={values.description} onChange={(e) => set('description', e.currentTarget.value)} error={errors.description} />
      <TagsInput
        label="Callback URLs"
        description="Redirect URIs for the authorization code grant (optional). Press Enter after each."
        placeholder="https://example.com/callback"
        value={values.callbackUrls}
        onChange={(urls) => set('callbackUrls', urls)}
        error={errors.callbackUrls}
        clearable
      />
      <Switch
        label="Public client"
        description="For an app that runs in a browser or on a phone, where a secret would not stay secret: it signs users in with the authorization code grant and PKCE, and sends only its client id."
        checked={values.publicClient}
        onChange={(e) => set('publicClient', e.currentTarget.checked)}
      />
      <Checkbox.Group label="Products" description="The APIs your app may call. Products marked 'needs approval' wait for an administrator." withAsterisk value={values.products} onChange={(v) => set('products', v)} error={errors.products}>
        {catalogue.length === 0 && extra.length === 0 ? (
          <Alert color="gray" variant="light" mt="xs">
            The catalogue has no products yet.
          </Alert>
        ) : (
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" mt="xs">
            {catalogue.map((p) => (
              <Checkbox.Card key={p.name} value={p.name} radius="md" p="md" withBorder aria-label={p.displayName ?? p.name}>
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Checkbox.Indicator />
                  <div>
                    <Text fw={600} size="sm">
                      {p.displayName ?? p.name}
                      {p.approval === 'manual' && (
                        <Text span size="xs" c="yellow.8" ml={6}>
                          needs approval
                        </Text>
                      )}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {p.description ?? p.apis.map((a) => a.displayName ?? a.name).join(', ')}
                    </Text>
                  </div>
                </Group>
              </Checkbox.Card>
            ))}
            {extra.map((name) => (
              <Checkbox.Card key={name} value={name} radius="md" p="md" withBorder aria-label={name}>
                <Group wrap="nowrap" align="flex-start" gap="sm">
                  <Checkbox.Indicator />
                  <div>
                    <Text fw={600} size="sm">
                      {name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      Given by an administrator; not in the catalogue. Once removed, it cannot be added back here.
                    </Text>
                  </div>
                </Group>
              </Checkbox.Card>
            ))}
          </SimpleGrid>
        )}
      </Checkbox.Group>
    </Stack>
  );
}
