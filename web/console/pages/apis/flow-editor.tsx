// The flow editor: an API's flows drawn as the path a request takes (client → PreFlow → conditional flow → PostFlow
// → target → response steps → client), with steps added from the policy list, configured, reordered and removed.
import { ActionIcon, Alert, Badge, Box, Button, Code, Group, Paper, Stack, Text, TextInput, ThemeIcon, Timeline, Title, Tooltip } from '@mantine/core';
import {
  IconAdjustments,
  IconAlertOctagon,
  IconArrowDown,
  IconArrowUp,
  IconBolt,
  IconDatabase,
  IconDeviceLaptop,
  IconEye,
  IconFilter,
  IconGauge,
  IconKey,
  IconLock,
  IconPencil,
  IconPlus,
  IconPuzzle,
  IconServer,
  IconShieldCheck,
  IconTrash,
  IconWorld,
} from '@tabler/icons-react';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { ApiSpec, ConditionalFlow, Step } from '../../../../src/model/api.ts';
import type { Loaded } from '../../../shared/load.ts';
import type { PolicyInfo } from '../../lib/wire.ts';
import { ConditionInput } from './condition-input.tsx';
import { flowLabel, keyOf, move, replaceFlow, stepsAt, uniqueFlowName, uniqueStepName, withFlows, withSteps, type FlowRef, type Leg, type StepRef } from './flow-model.ts';
import { PolicyPicker } from './policy-picker.tsx';
import { StepDrawer } from './step-drawer.tsx';

const POLICY_ICONS: Record<string, ReactNode> = {
  'oauth-v2': <IconKey size={16} aria-hidden />,
  'verify-api-key': <IconKey size={16} aria-hidden />,
  'basic-authentication': <IconLock size={16} aria-hidden />,
  quota: <IconGauge size={16} aria-hidden />,
  'spike-arrest': <IconBolt size={16} aria-hidden />,
  'access-control': <IconShieldCheck size={16} aria-hidden />,
  cors: <IconWorld size={16} aria-hidden />,
  'assign-message': <IconPencil size={16} aria-hidden />,
  'raise-fault': <IconAlertOctagon size={16} aria-hidden />,
  'extract-variables': <IconFilter size={16} aria-hidden />,
  'json-threat-protection': <IconShieldCheck size={16} aria-hidden />,
  'response-cache': <IconDatabase size={16} aria-hidden />,
  'key-value-map': <IconDatabase size={16} aria-hidden />,
};

export function policyIcon(policy: string): ReactNode {
  return POLICY_ICONS[policy] ?? <IconPuzzle size={16} aria-hidden />;
}

/** A line or two about what the step is set to: its first plain settings. */
function configSummary(step: Step): string {
  const entries = Object.entries(step.config ?? {}).filter(([, v]) => ['string', 'number', 'boolean'].includes(typeof v));
  return entries
    .slice(0, 3)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(' · ');
}

interface EditorProps {
  spec: ApiSpec;
  onChange: (spec: ApiSpec) => void;
  readOnly: boolean;
  policies: Loaded<PolicyInfo[]>;
  gatewayHint?: string;
  onEditTarget: () => void;
}

export function FlowEditor({ spec, onChange, readOnly, policies, onEditTarget }: EditorProps) {
  const [editing, setEditing] = useState<StepRef | undefined>();
  const [adding, setAdding] = useState<{ flow: FlowRef; leg: Leg } | undefined>();
  const focusNext = useRef<string | undefined>(undefined);

  // After a move, keep the keyboard where it was: on the same button of the moved step (or its twin when at an end).
  useEffect(() => {
    const id = focusNext.current;
    if (!id) return;
    focusNext.current = undefined;
    const element = document.getElementById(id) as HTMLButtonElement | null;
    if (element && !element.disabled) element.focus();
    else (document.getElementById(id.endsWith('-up') ? id.replace(/-up$/, '-down') : id.replace(/-down$/, '-up')) as HTMLButtonElement | null)?.focus();
  }, [spec]);

  const flows = spec.flows ?? [];

  function moveStep(flow: FlowRef, leg: Leg, index: number, by: -1 | 1) {
    const steps = stepsAt(spec, flow, leg);
    const step = steps[index];
    if (!step) return;
    focusNext.current = `step-${keyOf(step)}-${by < 0 ? 'up' : 'down'}`;
    onChange(withSteps(spec, flow, leg, move(steps, index, index + by)));
  }

  function removeStep(flow: FlowRef, leg: Leg, index: number) {
    onChange(withSteps(spec, flow, leg, stepsAt(spec, flow, leg).filter((_, i) => i !== index)));
  }

  function addStep(policy: PolicyInfo) {
    if (!adding) return;
    const steps = stepsAt(spec, adding.flow, adding.leg);
    const step: Step = { policy: policy.name, name: uniqueStepName(spec, policy.name), config: {} };
    onChange(withSteps(spec, adding.flow, adding.leg, [...steps, step]));
    setEditing({ flow: adding.flow, leg: adding.leg, index: steps.length });
    setAdding(undefined);
  }

  const stepList = (flow: FlowRef, leg: Leg) => (
    <StepList
      spec={spec}
      flow={flow}
      leg={leg}
      readOnly={readOnly}
      onOpen={(index) => setEditing({ flow, leg, index })}
      onMove={(index, by) => moveStep(flow, leg, index, by)}
      onRemove={(index) => removeStep(flow, leg, index)}
      onAdd={() => setAdding({ flow, leg })}
    />
  );

  const target = spec.target?.url;
  return (
    <Box>
      <Text size="sm" c="dimmed" mb="md">
        A request runs from top to bottom: the PreFlow, then the first conditional flow whose condition holds, then the PostFlow, then the target. The response comes back through the response steps in the same order.
      </Text>
      <Timeline active={8} bulletSize={34} lineWidth={2} color="teal" aria-label="The path a request takes through this API">
        <Timeline.Item bullet={<IconDeviceLaptop size={18} aria-hidden />} title={<Title order={3} size="h5">A client calls {spec.basePath}</Title>}>
          <Text size="xs" c="dimmed">
            Any path below the base path is routed to this API.
          </Text>
        </Timeline.Item>

        <Timeline.Item bullet={<IconArrowDown size={18} aria-hidden />} title={<SectionTitle title="PreFlow" leg="request" note="Runs first, on every request." />}>
          {stepList({ kind: 'preFlow' }, 'request')}
        </Timeline.Item>

        <Timeline.Item bullet={<IconFilter size={18} aria-hidden />} title={<SectionTitle title="Conditional flows" leg="request" note="The first flow whose condition holds runs; no condition means always." />}>
          <Stack gap="sm">
            {flows.length === 0 && (
              <Text size="sm" c="dimmed">
                No conditional flows: every request goes straight on to the PostFlow.
              </Text>
            )}
            {flows.map((flow, index) => (
              <FlowCard
                key={keyOf(flow)}
                flow={flow}
                index={index}
                count={flows.length}
                readOnly={readOnly}
                onChange={(next) => onChange(replaceFlow(spec, index, next))}
                onMove={(by) => onChange(withFlows(spec, move(flows, index, index + by)))}
                onRemove={() => onChange(withFlows(spec, flows.filter((_, i) => i !== index)))}
              >
                {stepList({ kind: 'flow', index }, 'request')}
              </FlowCard>
            ))}
            {!readOnly && (
              <Button variant="default" size="xs" leftSection={<IconPlus size={14} aria-hidden />} w="fit-content" onClick={() => onChange(withFlows(spec, [...flows, { name: uniqueFlowName(spec), condition: '' }]))}>
                Add conditional flow
              </Button>
            )}
          </Stack>
        </Timeline.Item>

        <Timeline.Item bullet={<IconArrowDown size={18} aria-hidden />} title={<SectionTitle title="PostFlow" leg="request" note="Runs last on the way in, after the matching flow." />}>
          {stepList({ kind: 'postFlow' }, 'request')}
        </Timeline.Item>

        <Timeline.Item bullet={<IconServer size={18} aria-hidden />} title={<Title order={3} size="h5">Target</Title>}>
          <Paper withBorder p="sm" radius="md" bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))">
            <Group justify="space-between" gap="xs">
              {target ? (
                <Text size="sm">
                  Forwards to <Code>{target}</Code> + the path below the base path
                </Text>
              ) : (
                <Text size="sm">No target: the API answers from its own steps (a token endpoint, say).</Text>
              )}
              {!readOnly && (
                <Button variant="subtle" size="xs" onClick={onEditTarget}>
                  {target ? 'Change target' : 'Add a target'}
                </Button>
              )}
            </Group>
          </Paper>
        </Timeline.Item>

        <Timeline.Item bullet={<IconArrowUp size={18} aria-hidden />} title={<SectionTitle title="PreFlow" leg="response" note="First on the way back." />}>
          {stepList({ kind: 'preFlow' }, 'response')}
        </Timeline.Item>

        <Timeline.Item bullet={<IconFilter size={18} aria-hidden />} title={<SectionTitle title="Conditional flow" leg="response" note="The response steps of the flow that matched." />}>
          <Stack gap="sm">
            {flows.length === 0 && (
              <Text size="sm" c="dimmed">
                No conditional flows.
              </Text>
            )}
            {flows.map((flow, index) => (
              <Paper key={keyOf(flow)} withBorder p="sm" radius="md">
                <Text size="sm" fw={600} mb="xs">
                  When “{flow.name}” matched
                </Text>
                {stepList({ kind: 'flow', index }, 'response')}
              </Paper>
            ))}
          </Stack>
        </Timeline.Item>

        <Timeline.Item bullet={<IconArrowUp size={18} aria-hidden />} title={<SectionTitle title="PostFlow" leg="response" note="Last, just before the client gets the answer." />}>
          {stepList({ kind: 'postFlow' }, 'response')}
        </Timeline.Item>

        <Timeline.Item bullet={<IconDeviceLaptop size={18} aria-hidden />} title={<Title order={3} size="h5">The client gets the response</Title>}>
          <Text size="xs" c="dimmed">
            A step that fails raises a fault instead; fault rules (in Settings) shape the error.
          </Text>
        </Timeline.Item>
      </Timeline>

      <PolicyPicker opened={adding !== undefined} where={adding ? flowLabel(spec, adding.flow, adding.leg) : ''} policies={policies} onPick={addStep} onClose={() => setAdding(undefined)} />
      <StepDrawer
        spec={spec}
        at={editing}
        policies={policies.data}
        readOnly={readOnly}
        onChange={onChange}
        onRemove={() => {
          if (editing) removeStep(editing.flow, editing.leg, editing.index);
          setEditing(undefined);
        }}
        onClose={() => setEditing(undefined)}
      />
    </Box>
  );
}

function SectionTitle({ title, leg, note }: { title: string; leg: Leg; note: string }) {
  return (
    <Group gap="xs" wrap="wrap">
      <Title order={3} size="h5">
        {title}
      </Title>
      <Badge size="sm" variant="light" color={leg === 'request' ? 'blue' : 'grape'}>
        {leg}
      </Badge>
      <Text size="xs" c="dimmed">
        {note}
      </Text>
    </Group>
  );
}

function StepList({ spec, flow, leg, readOnly, onOpen, onMove, onRemove, onAdd }: { spec: ApiSpec; flow: FlowRef; leg: Leg; readOnly: boolean; onOpen: (index: number) => void; onMove: (index: number, by: -1 | 1) => void; onRemove: (index: number) => void; onAdd: () => void }) {
  const steps = stepsAt(spec, flow, leg);
  const where = flowLabel(spec, flow, leg);
  return (
    <Stack gap="xs" mt={4}>
      {steps.length === 0 && (
        <Text size="sm" c="dimmed">
          No steps.
        </Text>
      )}
      <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }} aria-label={`Steps of the ${where}`}>
        {steps.map((step, index) => {
          const key = keyOf(step);
          const label = step.name ?? step.policy;
          const summary = configSummary(step);
          return (
            <Paper key={key} component="li" withBorder p="xs" radius="md" shadow="xs" data-testid="step-card">
              <Group justify="space-between" wrap="nowrap" gap="xs" align="flex-start">
                <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                  <ThemeIcon variant="light" radius="md" size="lg">
                    {policyIcon(step.policy)}
                  </ThemeIcon>
                  <Box style={{ minWidth: 0 }}>
                    <Group gap={6} wrap="wrap">
                      <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
                        {label}
                      </Text>
                      {label !== step.policy && (
                        <Badge size="xs" variant="outline" radius="sm">
                          {step.policy}
                        </Badge>
                      )}
                      {step.continueOnError && (
                        <Badge size="xs" variant="light" color="yellow">
                          continues on error
                        </Badge>
                      )}
                    </Group>
                    {summary && (
                      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                        {summary}
                      </Text>
                    )}
                    {step.condition && (
                      <Text size="xs" style={{ overflowWrap: 'anywhere' }}>
                        only when <Code fz="xs">{step.condition}</Code>
                      </Text>
                    )}
                  </Box>
                </Group>
                <Group gap={2} wrap="nowrap">
                  <Tooltip label={readOnly ? 'View' : 'Configure'}>
                    <ActionIcon variant="subtle" onClick={() => onOpen(index)} aria-label={`${readOnly ? 'View' : 'Configure'} step ${label}`}>
                      {readOnly ? <IconEye size={16} aria-hidden /> : <IconAdjustments size={16} aria-hidden />}
                    </ActionIcon>
                  </Tooltip>
                  {!readOnly && (
                    <>
                      <ActionIcon id={`step-${key}-up`} variant="subtle" color="gray" disabled={index === 0} onClick={() => onMove(index, -1)} aria-label={`Move step ${label} up`}>
                        <IconArrowUp size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon id={`step-${key}-down`} variant="subtle" color="gray" disabled={index === steps.length - 1} onClick={() => onMove(index, 1)} aria-label={`Move step ${label} down`}>
                        <IconArrowDown size={16} aria-hidden />
                      </ActionIcon>
                      <ActionIcon variant="subtle" color="red" onClick={() => onRemove(index)} aria-label={`Remove step ${label}`}>
                        <IconTrash size={16} aria-hidden />
                      </ActionIcon>
                    </>
                  )}
                </Group>
              </Group>
            </Paper>
          );
        })}
      </Stack>
      {!readOnly && (
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={onAdd} w="fit-content" aria-label={`Add a step to the ${where}`}>
          Add step
        </Button>
      )}
    </Stack>
  );
}

function FlowCard({ flow, index, count, readOnly, onChange, onMove, onRemove, children }: { flow: ConditionalFlow; index: number; count: number; readOnly: boolean; onChange: (flow: ConditionalFlow) => void; onMove: (by: -1 | 1) => void; onRemove: () => void; children: ReactNode }) {
  return (
    <Paper withBorder p="sm" radius="md" data-testid="flow-card">
      <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs" mb="xs">
        <Group gap="xs" align="flex-end" wrap="wrap" style={{ flex: 1 }}>
          <Badge variant="light" color="gray" radius="sm">
            {index + 1}
          </Badge>
          <TextInput label="Flow name" size="xs" value={flow.name} disabled={readOnly} onChange={(e) => onChange({ ...flow, name: e.currentTarget.value })} w={220} />
        </Group>
        {!readOnly && (
          <Group gap={2} wrap="nowrap">
            <ActionIcon variant="subtle" color="gray" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move flow ${flow.name} up`}>
              <IconArrowUp size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon variant="subtle" color="gray" disabled={index === count - 1} onClick={() => onMove(1)} aria-label={`Move flow ${flow.name} down`}>
              <IconArrowDown size={16} aria-hidden />
            </ActionIcon>
            <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={`Remove flow ${flow.name}`}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        )}
      </Group>
      <ConditionInput
        label={`Condition of flow ${flow.name}`}
        description="Empty: the flow always matches."
        value={flow.condition ?? ''}
        disabled={readOnly}
        onChange={(condition) => onChange({ ...flow, condition })}
        placeholder='e.g. proxy.pathsuffix MatchesPath "/forecast/**"'
      />
      <Text size="xs" fw={600} c="dimmed" mt="sm" mb={2} tt="uppercase">
        Request steps
      </Text>
      {children}
    </Paper>
  );
}

export function PoliciesUnavailable({ message }: { message: string }) {
  return (
    <Alert color="yellow" variant="light" title="The policy list could not be loaded">
      {message}
    </Alert>
  );
}
