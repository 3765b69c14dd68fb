// The approval state of a credential's products, as badges with a hint on what each state means.
import { Badge, Group, Tooltip } from '@mantine/core';
import { SUBSCRIPTION_LABELS } from '../lib/format.ts';
import type { HubCredentialView } from '../lib/wire.ts';

export function ProductStatusBadge({ name, status }: { name: string; status: string }) {
  const look = SUBSCRIPTION_LABELS[status] ?? { label: status, color: 'gray', hint: '' };
  return (
    <Tooltip label={look.hint} withArrow multiline maw={260}>
      <Badge color={look.color} variant="light" tt="none" aria-label={`${name}: ${look.label}`} data-status={status}>
        {name} · {look.label}
      </Badge>
    </Tooltip>
  );
}

export function CredentialProducts({ credential }: { credential: HubCredentialView }) {
  return (
    <Group gap={6}>
      {credential.products.map((p) => (
        <ProductStatusBadge key={p.name} name={p.name} status={p.status} />
      ))}
    </Group>
  );
}
