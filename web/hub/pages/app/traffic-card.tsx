// The app's own traffic through the gateway: calls and errors over time, per API, and the latest calls.
import { AreaChart } from '@mantine/charts';
import { ActionIcon, Badge, Card, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconChartArea, IconRefresh } from '@tabler/icons-react';
import { useState } from 'react';
import { api, seg } from '../../../shared/api.ts';
import { Empty, Loading, ProblemAlert } from '../../components/states.tsx';
import { formatDate, formatTime, statusColor } from '../../lib/format.ts';
import { useLoad } from '../../../shared/load.ts';
import type { HubTrafficReport } from '../../lib/wire.ts';

const RANGES = [
  { value: '1h', label: 'Hour', bucket: '1m' },
  { value: '24h', label: 'Day', bucket: '1h' },
  { value: '7d', label: 'Week', bucket: '6h' },
];

function Stat({ label, value }: { label: string; value: string }) {
  return (
    <Paper withBorder radius="md" p="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="lg">
        {value}
      </Text>
    </Paper>
  );
}

const ms = (value: number | null) => (value === null ? '—' : `${Math.round(value)} ms`);

export function TrafficCard({ appName }: { appName: string }) {
  const [range, setRange] = useState('24h');
  const bucket = RANGES.find((r) => r.value === range)?.bucket ?? '1h';
  const report = useLoad(() => api.get<HubTrafficReport>(`/apps/${seg(appName)}/traffic?last=${range}&bucket=${bucket}`), [appName, range]);
  const data = report.data;
  const series = (data?.series ?? []).map((b) => ({ time: range === '7d' ? formatDate(b.start) : formatTime(b.start), Calls: b.calls, Errors: b.errors }));

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="traffic-title">
      <Stack gap="md">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <IconChartArea size={20} aria-hidden />
            <Title order={2} size="h4" id="traffic-title">
              Traffic
            </Title>
          </Group>
          <Group gap="xs">
            <SegmentedControl size="xs" data={RANGES.map(({ value, label }) => ({ value, label }))} value={range} onChange={setRange} aria-label="Period" />
            <Tooltip label="Refresh">
              <ActionIcon variant="subtle" color="gray" onClick={report.reload} aria-label="Refresh the traffic" loading={report.loading}>
                <IconRefresh size={16} aria-hidden />
              </ActionIcon>
            </Tooltip>
          </Group>
        </Group>
        {report.error && <ProblemAlert error={report.error} title="The traffic could not be loaded" onRetry={report.reload} />}
        {!data && report.loading && <Loading label="Loading the traffic" rows={2} />}
        {data && data.totals.calls === 0 && (
          <Empty icon={<IconChartArea size={28} aria-hidden />} title="No calls in this period" description="Calls your app makes through the gateway show up here, with errors and response times." />
        )}
        {data && data.totals.calls > 0 && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
              <Stat label="Calls" value={String(data.totals.calls)} />
              <Stat label="Errors" value={String(data.totals.errors)} />
              <Stat label="Average" value={ms(data.totals.avgLatencyMs)} />
              <Stat label="95th percentile" value={ms(data.totals.p95LatencyMs)} />
            </SimpleGrid>
            <AreaChart
              h={220}
              data={series}
              dataKey="time"
              series={[
                { name: 'Calls', color: 'teal.6' },
                { name: 'Errors', color: 'red.6' },
              ]}
              curveType="monotone"
              withDots={false}
              withLegend
              tickLine="none"
              gridAxis="y"
              aria-label="Calls and errors over time"
              data-testid="traffic-chart"
            />
            {data.byApi.length > 0 && (
              <Group gap={6}>
                {data.byApi.map((a) => (
                  <Badge key={a.api} variant="light" color={a.errors > 0 ? 'orange' : 'teal'} tt="none">
                    {a.api}: {a.calls} call{a.calls === 1 ? '' : 's'}
                    {a.errors > 0 ? `, ${a.errors} failed` : ''}
                  </Badge>
                ))}
              </Group>
            )}
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                Latest calls
              </Text>
              <Table.ScrollContainer minWidth={520}>
                <Table striped fz="sm" withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>When</Table.Th>
                      <Table.Th>Call</Table.Th>
                      <Table.Th>Status</Table.Th>
                      <Table.Th>Time</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {data.recent.map((r, i) => (
                      <Table.Tr key={`${r.at}-${i}`}>
                        <Table.Td>{formatDate(r.at)}</Table.Td>
                        <Table.Td ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                          {r.method} {r.path}
                        </Table.Td>
                        <Table.Td>
                          <Badge color={statusColor(r.status)} variant="light" title={r.faultCode ?? undefined}>
                            {r.status}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{ms(r.latencyMs)}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          </>
        )}
      </Stack>
    </Card>
  );
}
