// An API's settings: names, base path, target, error format, fault rules and the OpenAPI document for the hub.
import { Accordion, Fieldset, Group, NumberInput, Radio, Stack, Switch, Text, Textarea, TextInput } from '@mantine/core';
import type { ApiSpec } from '../../../../src/model/api.ts';
import type { ProblemError } from '../../../shared/api.ts';
import { fieldError } from '../../components/page.tsx';
import { JsonField } from './schema-form.tsx';

export function ApiSettings({ spec, onChange, readOnly, error }: { spec: ApiSpec; onChange: (spec: ApiSpec) => void; readOnly: boolean; error: ProblemError | undefined }) {
  const target = spec.target;
  const set = (patch: Partial<ApiSpec>) => onChange({ ...spec, ...patch });
  return (
    <Stack gap="lg" maw={760}>
      <Fieldset legend="About" disabled={readOnly} radius="md">
        <Stack gap="sm">
          <TextInput label="Name" value={spec.name} disabled description="The API's name cannot change; it is how products and the audit log refer to it." />
          <TextInput label="Display name" value={spec.displayName ?? ''} onChange={(e) => set({ displayName: e.currentTarget.value || undefined })} error={fieldError(error, '/displayName')} />
          <Textarea label="Description" autosize minRows={2} value={spec.description ?? ''} onChange={(e) => set({ description: e.currentTarget.value || undefined })} error={fieldError(error, '/description')} />
        </Stack>
      </Fieldset>

      <Fieldset legend="Routing" disabled={readOnly} radius="md">
        <Stack gap="sm">
          <TextInput
            label="Base path"
            description="The path prefix the gateway routes on, e.g. /weather. Starts with /, no trailing /."
            required
            value={spec.basePath}
            onChange={(e) => set({ basePath: e.currentTarget.value })}
            error={fieldError(error, '/basePath')}
          />
          <Switch
            label="Forward requests to a target"
            description="Off: the API answers from its own steps, like a token endpoint."
            checked={target !== undefined}
            onChange={(e) => set({ target: e.currentTarget.checked ? { url: target?.url ?? 'https://' } : undefined })}
          />
          {target && (
            <Stack gap="sm" pl="md" style={{ borderLeft: '2px solid var(--mantine-color-teal-4)' }}>
              <TextInput label="Target URL" description="The path below the base path and the query are appended." required value={target.url} onChange={(e) => set({ target: { ...target, url: e.currentTarget.value } })} error={fieldError(error, '/target/url')} />
              <Group grow align="flex-start">
                <NumberInput label="Connect timeout (ms)" placeholder="5000" min={1} value={target.connectTimeoutMs ?? ''} onChange={(v) => set({ target: { ...target, connectTimeoutMs: typeof v === 'number' ? v : undefined } })} error={fieldError(error, '/target/connectTimeoutMs')} />
                <NumberInput label="Response timeout (ms)" placeholder="30000" min={1} value={target.timeoutMs ?? ''} onChange={(v) => set({ target: { ...target, timeoutMs: typeof v === 'number' ? v : undefined } })} error={fieldError(error, '/target/timeoutMs')} />
              </Group>
              <Switch
                label="Verify the target's TLS certificate"
                checked={target.tls?.rejectUnauthorized ?? true}
                onChange={(e) => set({ target: { ...target, tls: e.currentTarget.checked ? undefined : { rejectUnauthorized: false } } })}
              />
            </Stack>
          )}
        </Stack>
      </Fieldset>

      <Fieldset legend="Errors" disabled={readOnly} radius="md">
        <Radio.Group label="Error body format" description="How the gateway writes faults to clients." value={spec.faultFormat ?? 'gatehouse'} onChange={(v) => set({ faultFormat: v === 'apigee' ? 'apigee' : undefined })}>
          <Group mt="xs">
            <Radio value="gatehouse" label="Gatehouse (a problem body with a stable code)" />
            <Radio value="apigee" label={'Apigee ({"fault": …}) for imported proxies'} />
          </Group>
        </Radio.Group>
      </Fieldset>

      <Accordion variant="separated" radius="md">
        <Accordion.Item value="faults">
          <Accordion.Control>Fault rules</Accordion.Control>
          <Accordion.Panel>
            <Fieldset variant="unstyled" disabled={readOnly}>
              <Stack gap="sm">
                <Text size="sm" c="dimmed">
                  The first rule whose condition holds runs its steps when a step fails (e.g. an assign-message that shapes the error). Written as JSON in the shape of the management API.
                </Text>
                <JsonField label="Fault rules" value={spec.faultRules} onChange={(v) => set({ faultRules: v as ApiSpec['faultRules'] })} />
                <JsonField label="Default fault rule" value={spec.defaultFaultRule} onChange={(v) => set({ defaultFaultRule: v as ApiSpec['defaultFaultRule'] })} />
              </Stack>
            </Fieldset>
          </Accordion.Panel>
        </Accordion.Item>
        <Accordion.Item value="openapi">
          <Accordion.Control>OpenAPI document for the developer hub</Accordion.Control>
          <Accordion.Panel>
            <Fieldset variant="unstyled" disabled={readOnly}>
              <JsonField label="OpenAPI document" value={spec.openapi} onChange={(v) => set({ openapi: v as ApiSpec['openapi'] })} />
            </Fieldset>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}
