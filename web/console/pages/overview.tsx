// The landing page: traffic at a glance (calls, errors, latency over time, calls by API, the latest calls) and how
// many APIs, products and developers there are.
import { AreaChart, BarChart, LineChart } from '@mantine/charts';
import { ActionIcon, Anchor, Badge, Card, Code, Group, Paper, SegmentedControl, SimpleGrid, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconActivity, IconAlertTriangle, IconClock, IconPackage, IconRefresh, IconRoute, IconStopwatch, IconUsers } from '@tabler/icons-react';
import { useMemo, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import type { ApiView } from '../../../src/model/api.ts';
import type { DeveloperView } from '../../../src/model/developer.ts';
import type { ProductView } from '../../../src/model/product.ts';
import { api } from '../../shared/api.ts';
import { ErrorAlert, Loading } from '../components/page.tsx';
import { ScrollTable } from '../components/table.tsx';
import { formatMs, formatNumber, formatTick, formatTime, percent } from '../lib/format.ts';
import { useLoad } from '../../shared/load.ts';
import { fetchAll } from '../lib/fetch-all.ts';
import { useSession } from '../lib/session.tsx';
import type { Traffic } from '../lib/wire.ts';

const RANGES = {
  hour: { label: 'Last hour', ms: 3_600_000, bucket: 300 },
  day: { label: 'Last 24 hours', ms: 86_400_000, bucket: 3600 },
  week: { label: 'Last 7 days', ms: 7 * 86_400_000, bucket: 6 * 3600 },
} as const;
type Range = keyof typeof RANGES;

function greeting(): string {
  const hour = new Date().getHours();
  return hour < 5 ? 'Good evening' : hour < 12 ? 'Good morning' : hour < 18 ? 'Good afternoon' : 'Good evening';
}

/** A count of one kind of thing, linking to its page; `count` undefined while loading. */
function CountCard({ to, label, testId, count, detail, icon }: { to: string; label: string; testId: string; count: number | undefined; detail: string | undefined; icon: ReactNode }) {
  return (
    <Card withBorder radius="md" component={Link} to={to} aria-label={label}>
      <Group justify="space-between" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fw={700} fz={24} data-testid={testId}>
            {count === undefined ? '…' : formatNumber(count)}
          </Text>
          <Text size="xs" c="dimmed">
            {detail ?? ' '}
          </Text>
        </div>
        {icon}
      </Group>
    </Card>
  );
}

function Stat({ label, value, hint, icon, color = 'teal' }: { label: string; value: string; hint?: ReactNode; icon: ReactNode; color?: string }) {
  return (
    <Paper withBorder radius="md" p="md" role="group" aria-label={label}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div>
          <Text size="xs" c="dimmed" tt="uppercase" fw={700}>
            {label}
          </Text>
          <Text fw={700} fz={28} lh={1.2} data-testid={`stat-${label.toLowerCase().replace(/\s+/g, '-')}`}>
            {value}
          </Text>
          {hint && (
            <Text size="xs" c="dimmed" mt={2}>
              {hint}
            </Text>
          )}
        </div>
        <Text c={color} aria-hidden>
          {icon}
        </Text>
      </Group>
    </Paper>
  );
}

function ChartCard({ title, description, children }: { title: string; description: string; children: ReactNode }) {
  return (
    <Card withBorder radius="md" padding="md" component="figure" m={0} aria-label={title}>
      <Title order={3} size="h5">
        {title}
      </Title>
      <Text size="xs" c="dimmed" mb="sm" component="figcaption">
        {description}
      </Text>
      {children}
    </Card>
  );
}

export function OverviewPage() {
  const { user } = useSession();
  const [range, setRange] = useState<Range>('hour');
  const [tick, setTick] = useState(0);
  const traffic = useLoad(async () => {
    // The server's clock decides what "now" is (the browser's may be off): without from and to, the report is the
    // last hour up to the server's now; longer ranges end where that one ends.
    const lastHour = await api.get<Traffic>(`/analytics/traffic?bucket=${RANGES.hour.bucket}`);
    if (range === 'hour') return lastHour;
    const to = Date.parse(lastHour.to);
    const { ms, bucket } = RANGES[range];
    const params = new URLSearchParams({ from: new Date(to - ms).toISOString(), to: lastHour.to, bucket: String(bucket) });
    return api.get<Traffic>(`/analytics/traffic?${params.toString()}`);
  }, [range, tick]);
  const counts = useLoad(async () => {
    const [apis, products, developers] = await Promise.all([fetchAll<ApiView>('/apis'), fetchAll<ProductView>('/products'), fetchAll<DeveloperView>('/developers')]);
    return { apis, products, developers };
  }, [tick]);

  const t = traffic.data;
  const series = useMemo(
    () =>
      (t?.series ?? []).map((p) => ({
        time: formatTick(p.start, range === 'week'),
        Calls: p.calls,
        Errors: p.errors,
        'Average ms': p.avgLatencyMs === null ? null : Math.round(p.avgLatencyMs * 10) / 10,
        'p95 ms': p.p95LatencyMs === null ? null : Math.round(p.p95LatencyMs * 10) / 10,
      })),
    [t, range],
  );
  const byApi = (t?.byApi ?? []).map((b) => ({ api: b.api, Calls: b.calls - b.errors, Errors: b.errors }));
  const name = user?.displayName || user?.email.split('@')[0] || '';
  const c = counts.data;

  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end" wrap="wrap" gap="sm">
        <div>
          <Title order={1} size="h2">
            {greeting()}, {name}
          </Title>
          <Text c="dimmed">Your gateway at a glance.</Text>
        </div>
        <Group gap="xs">
          <SegmentedControl aria-label="Time range" value={range} onChange={(v) => setRange(v as Range)} data={Object.entries(RANGES).map(([value, r]) => ({ value, label: r.label }))} />
          <Tooltip label="Refresh">
            <ActionIcon variant="default" size="lg" onClick={() => setTick((n) => n + 1)} aria-label="Refresh the overview" loading={traffic.loading}>
              <IconRefresh size={18} aria-hidden />
            </ActionIcon>
          </Tooltip>
        </Group>
      </Group>

      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
        <CountCard to="/apis" label="APIs" testId="count-apis" count={c?.apis.length} detail={c && `${c.apis.filter((a) => a.deployedRevision !== null).length} deployed`} icon={<IconRoute size={28} color="var(--mantine-color-teal-6)" aria-hidden />} />
        <CountCard to="/products" label="Products" testId="count-products" count={c?.products.length} detail={c && `${c.products.filter((p) => p.published).length} published`} icon={<IconPackage size={28} color="var(--mantine-color-teal-6)" aria-hidden />} />
        <CountCard to="/developers" label="Developers" testId="count-developers" count={c?.developers.length} detail={c && `${c.developers.reduce((n, d) => n + d.apps.length, 0)} apps`} icon={<IconUsers size={28} color="var(--mantine-color-teal-6)" aria-hidden />} />
      </SimpleGrid>
      {counts.error && <ErrorAlert error={counts.error} onRetry={counts.reload} />}

      <Title order={2} size="h3">
        Traffic — {RANGES[range].label.toLowerCase()}
      </Title>
      {traffic.error && <ErrorAlert error={traffic.error} title="Traffic could not be loaded" onRetry={traffic.reload} />}
      {!t && !traffic.error && <Loading label="Loading traffic…" />}
      {t && (
        <>
          <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }} spacing="md">
            <Stat label="Calls" value={formatNumber(t.totals.calls)} icon={<IconActivity size={26} />} hint={RANGES[range].label} />
            <Stat label="Errors" value={formatNumber(t.totals.errors)} icon={<IconAlertTriangle size={26} />} color={t.totals.errors > 0 ? 'red' : 'teal'} hint={`${percent(t.totals.errors, t.totals.calls)} of calls`} />
            <Stat label="Average latency" value={formatMs(t.totals.avgLatencyMs)} icon={<IconClock size={26} />} hint="gateway + target" />
            <Stat label="p95 latency" value={formatMs(t.totals.p95LatencyMs)} icon={<IconStopwatch size={26} />} hint="95% of calls were faster" />
          </SimpleGrid>
          {t.totals.calls === 0 ? (
            <Paper withBorder radius="md" p="xl" ta="center">
              <IconActivity size={32} color="var(--mantine-color-gray-5)" aria-hidden />
              <Text fw={600} mt="xs">
                No calls in this time range
              </Text>
              <Text size="sm" c="dimmed">
                Deploy an API and call it through the gateway; calls show up here within seconds.
              </Text>
            </Paper>
          ) : (
            <>
              <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
                <ChartCard title="Calls and errors" description={`Per ${t.bucketSeconds >= 3600 ? `${t.bucketSeconds / 3600} h` : `${t.bucketSeconds / 60} min`}: calls answered and calls that failed (4xx, 5xx).`}>
                  <AreaChart h={220} data={series} dataKey="time" series={[{ name: 'Calls', color: 'teal.6' }, { name: 'Errors', color: 'red.6' }]} curveType="monotone" withDots={false} withLegend tickLine="none" gridAxis="y" />
                </ChartCard>
                <ChartCard title="Latency" description="Average and 95th percentile time to answer, in milliseconds.">
                  <LineChart h={220} data={series} dataKey="time" series={[{ name: 'Average ms', color: 'blue.6' }, { name: 'p95 ms', color: 'grape.6' }]} curveType="monotone" withDots={false} withLegend tickLine="none" gridAxis="y" unit=" ms" />
                </ChartCard>
              </SimpleGrid>
              <ChartCard title="Calls by API" description="Which APIs are busiest, and how many of their calls failed.">
                <BarChart h={Math.max(160, byApi.length * 44)} data={byApi} dataKey="api" orientation="vertical" type="stacked" series={[{ name: 'Calls', color: 'teal.6' }, { name: 'Errors', color: 'red.6' }]} withLegend tickLine="none" gridAxis="x" yAxisProps={{ width: 110 }} />
              </ChartCard>
            </>
          )}
          <Stack gap="xs">
            <Title order={3} size="h4">
              Recent calls
            </Title>
            {t.recent.length === 0 ? (
              <Text size="sm" c="dimmed">
                No calls yet.
              </Text>
            ) : (
              <ScrollTable label="Recent calls" minWidth={820}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Time</Table.Th>
                    <Table.Th>Call</Table.Th>
                    <Table.Th>API</Table.Th>
                    <Table.Th>App</Table.Th>
                    <Table.Th>Status</Table.Th>
                    <Table.Th>Latency</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {t.recent.map((r) => (
                    <Table.Tr key={r.requestId}>
                      <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatTime(r.at)}</Table.Td>
                      <Table.Td>
                        <Code>
                          {r.method} {r.path}
                        </Code>
                      </Table.Td>
                      <Table.Td>{r.api ? <Anchor component={Link} to={`/apis/${encodeURIComponent(r.api)}`}>{r.api}</Anchor> : <Text size="sm" c="dimmed">no route</Text>}</Table.Td>
                      <Table.Td>
                        {r.app ?? <Text size="sm" c="dimmed">—</Text>}
                        {r.developer && (
                          <Text size="xs" c="dimmed">
                            {r.developer}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>
                        <Badge color={r.status >= 500 ? 'red' : r.status >= 400 ? 'orange' : 'teal'} variant="light" radius="sm">
                          {r.status}
                        </Badge>
                        {r.faultCode && (
                          <Text size="xs" c="dimmed">
                            {r.faultCode}
                          </Text>
                        )}
                      </Table.Td>
                      <Table.Td>{formatMs(r.totalLatencyMs)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </ScrollTable>
            )}
          </Stack>
        </>
      )}
    </Stack>
  );
}
