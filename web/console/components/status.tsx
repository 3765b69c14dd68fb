// Coloured badges for the states people scan for: deployed, published, approved, pending, revoked, inactive.
import { Badge } from '@mantine/core';

const COLORS: Record<string, string> = {
  approved: 'teal',
  active: 'teal',
  deployed: 'teal',
  published: 'teal',
  pending: 'yellow',
  waiting: 'yellow',
  revoked: 'red',
  inactive: 'gray',
  draft: 'gray',
  expired: 'red',
};

export function StatusBadge({ status, label }: { status: string; label?: string }) {
  return (
    <Badge color={COLORS[status] ?? 'gray'} variant="light" radius="sm">
      {label ?? status}
    </Badge>
  );
}
