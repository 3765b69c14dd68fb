// One product: what it is, its token URL, and each of its APIs with its OpenAPI document read out.
import { Alert, Anchor, Badge, Breadcrumbs, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { IconInfoCircle, IconKey, IconPlus } from '@tabler/icons-react';
import { Link, useParams } from 'react-router';
import { api, seg } from '../../shared/api.ts';
import { CopyField } from '../components/copy.tsx';
import { OpenApiView } from '../components/openapi.tsx';
import { Loading, ProblemAlert } from '../components/states.tsx';
import { useLoad } from '../../shared/load.ts';
import { useSession } from '../lib/session.tsx';
import type { CatalogueApi, CatalogueProduct } from '../lib/wire.ts';

function ApiCard({ api: item }: { api: CatalogueApi }) {
  const title = item.displayName ?? item.name;
  return (
    <Card withBorder radius="md" padding="lg" component="article" aria-labelledby={`api-${item.name}`}>
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Title order={3} size="h4" id={`api-${item.name}`}>
            {title}
          </Title>
          <Group gap={6}>
            {item.issuesTokens && (
              <Badge color="teal" variant="light" leftSection={<IconKey size={12} aria-hidden />}>
                Token endpoint
              </Badge>
            )}
            {!item.deployed && (
              <Badge color="gray" variant="light" title="Calls to it answer 404 until it is deployed">
                Not deployed yet
              </Badge>
            )}
          </Group>
        </Group>
        {item.description && <Text size="sm">{item.description}</Text>}
        <CopyField label={item.issuesTokens ? 'Token URL' : 'Base URL'} value={item.url} />
        {item.issuesTokens && !item.openapi && (
          <Text size="sm" c="dimmed">
            POST a client credentials request here (<code>grant_type=client_credentials</code>, your client id and secret with HTTP Basic) to get an access token.
          </Text>
        )}
        {item.openapi ? (
          <OpenApiView document={item.openapi} basePath={item.basePath} />
        ) : (
          !item.issuesTokens && (
            <Text size="sm" c="dimmed">
              This API has no OpenAPI document yet; call it under its base URL.
            </Text>
          )
        )}
      </Stack>
    </Card>
  );
}

export function ProductPage() {
  const { name = '' } = useParams();
  const { session, user } = useSession();
  const product = useLoad(() => api.get<CatalogueProduct>(`/products/${seg(name)}`, { quiet401: true }), [name]);
  const p = product.data;
  const title = p?.displayName ?? p?.name ?? name;

  return (
    <Stack gap="lg">
      <Breadcrumbs aria-label="Breadcrumb">
        <Anchor component={Link} to="/">
          Catalogue
        </Anchor>
        <Text size="sm">{title}</Text>
      </Breadcrumbs>
      {product.error && <ProblemAlert error={product.error} title="This product could not be loaded" onRetry={product.error.status === 404 ? undefined : product.reload} />}
      {!p && product.loading && <Loading label="Loading the product" />}
      {p && (
        <>
          <Stack gap="xs">
            <Group justify="space-between" align="flex-start" wrap="wrap" gap="sm">
              <Title order={1}>{title}</Title>
              {session?.canCreateApps && (
                <Button component={Link} to={`/apps/new?product=${encodeURIComponent(p.name)}`} leftSection={<IconPlus size={16} aria-hidden />}>
                  Create an app with this product
                </Button>
              )}
            </Group>
            {p.description && <Text c="dimmed">{p.description}</Text>}
            <Group gap={6}>
              {p.approval === 'manual' ? (
                <Badge color="yellow" variant="light">
                  An administrator approves each subscription
                </Badge>
              ) : (
                <Badge color="teal" variant="light">
                  Instant access
                </Badge>
              )}
              {p.quota && (
                <Badge color="gray" variant="light" tt="none">
                  Quota: {p.quota.limit} calls per {p.quota.interval === 1 ? p.quota.timeUnit : `${p.quota.interval} ${p.quota.timeUnit}s`}
                </Badge>
              )}
              {p.scopes.map((s) => (
                <Badge key={s} color="grape" variant="outline" tt="none">
                  scope {s}
                </Badge>
              ))}
            </Group>
          </Stack>
          {!user && session && (
            <Alert icon={<IconInfoCircle aria-hidden />} color="blue" variant="light" title="Want to use these APIs?">
              <Text size="sm">
                {session.signup === 'closed' ? (
                  <>
                    <Anchor component={Link} to="/sign-in">
                      Sign in
                    </Anchor>{' '}
                    to create an app and get a client id and secret.
                  </>
                ) : (
                  <>
                    <Anchor component={Link} to="/sign-up">
                      Sign up
                    </Anchor>{' '}
                    or{' '}
                    <Anchor component={Link} to="/sign-in">
                      sign in
                    </Anchor>{' '}
                    to create an app and get a client id and secret.
                  </>
                )}
              </Text>
            </Alert>
          )}
          {user && session && !session.canCreateApps && session.reason && (
            <Alert color="yellow" variant="light" title="You cannot create apps yet" data-testid="role-message">
              {session.reason}
            </Alert>
          )}
          <Stack gap="sm" component="section" aria-labelledby="token-title">
            <Title order={2} size="h3" id="token-title">
              Getting a token
            </Title>
            {p.tokenEndpoints.length === 0 ? (
              <Text size="sm" c="dimmed">
                This product has no token endpoint yet, so its APIs cannot be called with OAuth 2.0 tokens from it.
              </Text>
            ) : (
              p.tokenEndpoints.map((e) => (
                <CopyField
                  key={e.url}
                  label="Token URL"
                  value={e.url}
                  testId="token-url"
                  description={`Grant types: ${e.grantTypes.join(', ')}.${e.exact ? '' : ' A condition guards this endpoint; the path may need more than the base path.'}`}
                />
              ))
            )}
          </Stack>
          <Stack gap="md" component="section" aria-labelledby="apis-title">
            <Title order={2} size="h3" id="apis-title">
              APIs in this product
            </Title>
            {p.apis.length === 0 && (
              <Text size="sm" c="dimmed">
                No APIs yet.
              </Text>
            )}
            {[...p.apis.filter((a) => !a.issuesTokens), ...p.apis.filter((a) => a.issuesTokens)].map((a) => (
              <ApiCard key={a.name} api={a} />
            ))}
          </Stack>
        </>
      )}
    </Stack>
  );
}
