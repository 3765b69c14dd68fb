// The landing page: the catalogue of published products as cards, and how to start.
import { Badge, Button, Card, Group, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArrowRight, IconKey, IconPackage, IconPackageOff } from '@tabler/icons-react';
import { Link } from 'react-router';
import { api } from '../../shared/api.ts';
import { Empty, Loading, ProblemAlert } from '../components/states.tsx';
import { useLoad } from '../../shared/load.ts';
import { useSession } from '../lib/session.tsx';
import type { CatalogueProductSummary } from '../lib/wire.ts';

function ProductCard({ product }: { product: CatalogueProductSummary }) {
  const apis = product.apis.filter((a) => !a.issuesTokens);
  const title = product.displayName ?? product.name;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={`product-${product.name}`}>
      <Stack gap="sm" h="100%">
        <Group gap="sm" wrap="nowrap">
          <ThemeIcon variant="light" size="lg" radius="md">
            <IconPackage size={20} aria-hidden />
          </ThemeIcon>
          <Title order={3} size="h4" id={`product-${product.name}`}>
            {title}
          </Title>
        </Group>
        <Text size="sm" c="dimmed" style={{ flexGrow: 1 }}>
          {product.description ?? 'No description yet.'}
        </Text>
        <Group gap={6}>
          {product.approval === 'manual' && (
            <Badge color="yellow" variant="light" title="An administrator approves each new subscription">
              Needs approval
            </Badge>
          )}
          {apis.map((a) => (
            <Badge key={a.name} variant="outline" color="gray" tt="none">
              {a.displayName ?? a.name}
            </Badge>
          ))}
          {product.apis.some((a) => a.issuesTokens) && (
            <Badge variant="light" color="teal" leftSection={<IconKey size={12} aria-hidden />} tt="none">
              OAuth 2.0
            </Badge>
          )}
        </Group>
        <Button component={Link} to={`/products/${encodeURIComponent(product.name)}`} variant="light" rightSection={<IconArrowRight size={16} aria-hidden />} aria-label={`View ${title}`}>
          View product
        </Button>
      </Stack>
    </Card>
  );
}

export function CataloguePage() {
  const { session, user } = useSession();
  const products = useLoad(() => api.get<{ items: CatalogueProductSummary[] }>('/products', { quiet401: true }), []);
  return (
    <Stack gap="xl">
      <Stack gap="xs">
        <Title order={1}>APIs you can build on</Title>
        <Text c="dimmed" maw={720}>
          Pick a product, create an app subscribed to it, and you get a client id and secret. Use them to get an OAuth 2.0 token and call the APIs, right here or from your own code.
        </Text>
        {!user && session && (
          <Group gap="sm" mt="xs">
            {session.signup !== 'closed' && (
              <Button component={Link} to="/sign-up">
                Sign up to create apps
              </Button>
            )}
            <Button component={Link} to="/sign-in" variant="default">
              Sign in
            </Button>
          </Group>
        )}
        {user && (
          <Group mt="xs">
            <Button component={Link} to="/apps" variant="light">
              Go to my apps
            </Button>
          </Group>
        )}
      </Stack>
      <Stack gap="sm" component="section" aria-labelledby="catalogue-title">
        <Title order={2} size="h3" id="catalogue-title">
          Products
        </Title>
        {products.error && <ProblemAlert error={products.error} title="The catalogue could not be loaded" onRetry={products.reload} />}
        {!products.data && products.loading && <Loading label="Loading the catalogue" />}
        {products.data && products.data.items.length === 0 && (
          <Empty icon={<IconPackageOff size={28} aria-hidden />} title="No products yet" description="No product is published in the catalogue yet. Come back soon, or ask the API team." />
        )}
        {products.data && products.data.items.length > 0 && (
          <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="md" data-testid="catalogue">
            {products.data.items.map((p) => (
              <ProductCard key={p.name} product={p} />
            ))}
          </SimpleGrid>
        )}
      </Stack>
    </Stack>
  );
}
