// Choosing the policy of a new step: the policy list with each one's summary, searchable by name or purpose.
import { Badge, Group, Modal, Paper, Stack, Text, TextInput, ThemeIcon, UnstyledButton } from '@mantine/core';
import { IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { InlineMarkdown } from '../../components/markdown.tsx';
import { ErrorAlert, Loading } from '../../components/page.tsx';
import type { Loaded } from '../../../shared/load.ts';
import type { PolicyInfo } from '../../lib/wire.ts';
import { policyIcon } from './flow-editor.tsx';

export function PolicyPicker({ opened, where, policies, onPick, onClose }: { opened: boolean; where: string; policies: Loaded<PolicyInfo[]>; onPick: (policy: PolicyInfo) => void; onClose: () => void }) {
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (policies.data ?? []).filter((p) => !q || p.name.includes(q) || p.summary.toLowerCase().includes(q) || p.apigee.toLowerCase().includes(q));
  return (
    <Modal closeButtonProps={{ 'aria-label': 'Close' }} opened={opened} onClose={onClose} title={`Add a step to the ${where}`} size="lg">
      <Stack gap="sm">
        <TextInput label="Find a policy" placeholder="token, quota, header…" leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} data-autofocus />
        {policies.error && <ErrorAlert error={policies.error} title="The policy list could not be loaded" onRetry={policies.reload} />}
        {!policies.data && !policies.error && <Loading label="Loading the policies…" />}
        {policies.data && shown.length === 0 && (
          <Text size="sm" c="dimmed">
            No policy matches “{query}”.
          </Text>
        )}
        <Stack gap="xs" role="list" aria-label="Policies">
          {shown.map((policy) => (
            <Paper key={policy.name} withBorder radius="md" role="listitem">
              <UnstyledButton onClick={() => onPick(policy)} p="sm" w="100%" aria-label={`Add ${policy.name}: ${policy.summary}`} style={{ borderRadius: 'var(--mantine-radius-md)' }}>
                <Group gap="sm" wrap="nowrap" align="flex-start">
                  <ThemeIcon variant="light" size="lg" radius="md">
                    {policyIcon(policy.name)}
                  </ThemeIcon>
                  <div>
                    <Group gap={6}>
                      <Text fw={600} size="sm">
                        {policy.name}
                      </Text>
                      <Badge size="xs" variant="outline" color="gray">
                        Apigee {policy.apigee}
                      </Badge>
                    </Group>
                    <Text size="xs" c="dimmed">
                      <InlineMarkdown text={policy.summary} />
                    </Text>
                  </div>
                </Group>
              </UnstyledButton>
            </Paper>
          ))}
        </Stack>
      </Stack>
    </Modal>
  );
}
