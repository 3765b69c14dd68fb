// Products: bundles of APIs that apps subscribe to, with their quota, approval and visibility at a glance.
import { Anchor, Badge, Button, Card, Group, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { IconPackage, IconPlus, IconSearch } from '@tabler/icons-react';
import { useState } from 'react';
import { Link } from 'react-router';
import type { ProductView } from '../../../../src/model/product.ts';
import { seg } from '../../../shared/api.ts';
import { Empty, ErrorAlert, Loading, PageHeader } from '../../components/page.tsx';
import { StatusBadge } from '../../components/status.tsx';
import { formatNumber } from '../../lib/format.ts';
import { useLoad } from '../../../shared/load.ts';
import { fetchAll } from '../../lib/fetch-all.ts';
import { useSession } from '../../lib/session.tsx';

export function quotaText(quota: ProductView['quota']): string | undefined {
  if (!quota) return undefined;
  const interval = quota.interval ?? 1;
  return `${formatNumber(quota.limit)} calls per ${interval === 1 ? quota.timeUnit : `${interval} ${quota.timeUnit}s`}`;
}

export function productApiName(entry: ProductView['apis'][number]): string {
  return typeof entry === 'string' ? entry : entry.name;
}

export function ProductsPage() {
  const { can } = useSession();
  const products = useLoad(() => fetchAll<ProductView>('/products'), []);
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const shown = (products.data ?? []).filter((p) => !q || p.name.toLowerCase().includes(q) || (p.displayName ?? '').toLowerCase().includes(q));
  const createButton = can.editApis && (
    <Button component={Link} to="/products/new" leftSection={<IconPlus size={16} aria-hidden />}>
      Create product
    </Button>
  );
  return (
    <>
      <PageHeader title="Products" description="What developers subscribe to: a bundle of APIs with scopes, a quota and an approval rule. Published products appear in the developer hub." actions={createButton} />
      {products.error && <ErrorAlert error={products.error} onRetry={products.reload} />}
      {!products.data && !products.error && <Loading label="Loading products…" />}
      {products.data && products.data.length === 0 && (
        <Empty
          icon={<IconPackage aria-hidden />}
          title={can.editApis ? 'No products yet — create one' : 'No products yet'}
          description="A product bundles APIs (the token API and the APIs it protects) so developers' apps can get keys for them."
          action={createButton}
        />
      )}
      {products.data && products.data.length > 0 && (
        <Stack gap="sm">
          <TextInput aria-label="Filter products" placeholder="Filter by name" leftSection={<IconSearch size={16} aria-hidden />} value={query} onChange={(e) => setQuery(e.currentTarget.value)} maw={360} />
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md">
            {shown.map((p) => (
              <Card key={p.name} withBorder radius="md" padding="md" component="article" aria-label={`Product ${p.displayName ?? p.name}`}>
                <Group justify="space-between" align="flex-start" wrap="nowrap" gap="xs">
                  <div style={{ minWidth: 0 }}>
                    <Anchor component={Link} to={`/products/${seg(p.name)}`} fw={700} size="lg" style={{ overflowWrap: 'anywhere' }}>
                      {p.displayName ?? p.name}
                    </Anchor>
                    <Text size="xs" c="dimmed">
                      {p.name}
                    </Text>
                  </div>
                  <StatusBadge status={p.published ? 'published' : 'draft'} label={p.published ? 'published' : 'not published'} />
                </Group>
                {p.description && (
                  <Text size="sm" mt="xs" lineClamp={2}>
                    {p.description}
                  </Text>
                )}
                <Group gap={4} mt="sm">
                  {p.apis.length === 0 ? (
                    <Text size="xs" c="dimmed">
                      No APIs
                    </Text>
                  ) : (
                    p.apis.map((a) => (
                      <Badge key={productApiName(a)} variant="light" color="blue" radius="sm" tt="none">
                        {productApiName(a)}
                        {typeof a !== 'string' && a.resources ? ' (some paths)' : ''}
                      </Badge>
                    ))
                  )}
                </Group>
                <Group gap="xs" mt="sm">
                  <Badge variant="outline" color={p.approval === 'manual' ? 'yellow' : 'gray'} radius="sm">
                    {p.approval === 'manual' ? 'manual approval' : 'auto approval'}
                  </Badge>
                  <Badge variant="outline" color="gray" radius="sm">
                    {p.visibility ?? 'public'}
                  </Badge>
                  {quotaText(p.quota) && (
                    <Badge variant="outline" color="grape" radius="sm" tt="none">
                      {quotaText(p.quota)}
                    </Badge>
                  )}
                </Group>
              </Card>
            ))}
          </SimpleGrid>
          {shown.length === 0 && (
            <Text size="sm" c="dimmed">
              No product matches “{query}”.
            </Text>
          )}
        </Stack>
      )}
    </>
  );
}
