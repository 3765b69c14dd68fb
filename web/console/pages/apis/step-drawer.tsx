// One step, opened beside the flow: its name, condition and the form generated from its policy's schema, with the
// policy's reference page one tab away.
import { Alert, Badge, Button, Divider, Drawer, Group, Stack, Switch, Tabs, Text, TextInput } from '@mantine/core';
import { IconBook, IconTrash } from '@tabler/icons-react';
import type { ApiSpec, Step } from '../../../../src/model/api.ts';
import { InlineMarkdown, Markdown } from '../../components/markdown.tsx';
import type { PolicyInfo } from '../../lib/wire.ts';
import { ConditionInput } from './condition-input.tsx';
import { flowLabel, keyOf, replaceStep, stepsAt, type StepRef } from './flow-model.ts';
import { JsonField, SchemaForm } from './schema-form.tsx';

export function StepDrawer({ spec, at, policies, readOnly, onChange, onRemove, onClose }: { spec: ApiSpec; at: StepRef | undefined; policies: PolicyInfo[] | undefined; readOnly: boolean; onChange: (spec: ApiSpec) => void; onRemove: () => void; onClose: () => void }) {
  const step = at ? stepsAt(spec, at.flow, at.leg)[at.index] : undefined;
  const policy = step ? policies?.find((p) => p.name === step.policy) : undefined;
  const update = (next: Step) => at && onChange(replaceStep(spec, at, next));
  return (
    <Drawer
      closeButtonProps={{ 'aria-label': 'Close the step' }}
      opened={step !== undefined}
      onClose={onClose}
      position="right"
      size="xl"
      title={step ? <Text fw={700}>{step.name ?? step.policy}</Text> : null}
    >
      {step && at && (
        <Tabs defaultValue="configure" key={keyOf(step)}>
          <Tabs.List mb="md">
            <Tabs.Tab value="configure">{readOnly ? 'Settings' : 'Configure'}</Tabs.Tab>
            <Tabs.Tab value="reference" leftSection={<IconBook size={14} aria-hidden />}>
              Policy reference
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="configure">
            <Stack gap="md">
              <Text size="sm">
                A <strong>{step.policy}</strong> step in the {flowLabel(spec, at.flow, at.leg)}.
              </Text>
              {policy ? (
                <Text size="sm" c="dimmed">
                  <InlineMarkdown text={policy.summary} /> <Badge size="xs" variant="outline" color="gray">Apigee {policy.apigee}</Badge>
                </Text>
              ) : (
                policies && (
                  <Alert color="yellow" variant="light" title={`No policy named “${step.policy}”`}>
                    The gateway does not know this policy, so the API cannot be deployed with this step. Remove it, or edit its configuration as JSON.
                  </Alert>
                )
              )}
              <TextInput label="Step name" description="How traces, errors and the audit log point at this step." value={step.name ?? ''} disabled={readOnly} onChange={(e) => update({ ...step, name: e.currentTarget.value || undefined })} />
              <ConditionInput label="Run only when" description="A condition on flow variables; empty: the step always runs." value={step.condition ?? ''} disabled={readOnly} onChange={(condition) => update({ ...step, condition: condition || undefined })} />
              <Switch label="Continue on error" description="When on, a failure of this step does not raise a fault." checked={step.continueOnError ?? false} disabled={readOnly} onChange={(e) => update({ ...step, continueOnError: e.currentTarget.checked || undefined })} />
              <Divider label={`${step.policy} configuration`} labelPosition="left" />
              {policy ? (
                <SchemaForm schema={policy.configSchema} value={step.config} disabled={readOnly} onChange={(config) => update({ ...step, config })} />
              ) : (
                <JsonField label="Configuration" value={step.config} onChange={(config) => update({ ...step, config: (config as Record<string, unknown> | undefined) ?? {} })} />
              )}
              <Group justify="space-between" mt="md">
                {!readOnly ? (
                  <Button variant="subtle" color="red" leftSection={<IconTrash size={16} aria-hidden />} onClick={onRemove}>
                    Remove step
                  </Button>
                ) : (
                  <span />
                )}
                <Button onClick={onClose}>Done</Button>
              </Group>
              {!readOnly && (
                <Text size="xs" c="dimmed">
                  Changes are kept in this page until you save a new revision.
                </Text>
              )}
            </Stack>
          </Tabs.Panel>
          <Tabs.Panel value="reference">{policy ? <Markdown source={policy.docs} /> : <Text size="sm">No reference for this policy.</Text>}</Tabs.Panel>
        </Tabs>
      )}
    </Drawer>
  );
}
