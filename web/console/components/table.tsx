// A table that scrolls sideways on narrow screens instead of squeezing its columns.
import { Paper, Table } from '@mantine/core';
import type { ReactNode } from 'react';

export function ScrollTable({ minWidth = 640, children, label }: { minWidth?: number; children: ReactNode; label: string }) {
  return (
    <Paper withBorder radius="md">
      <Table.ScrollContainer minWidth={minWidth} type="native">
        <Table verticalSpacing="sm" highlightOnHover aria-label={label}>
          {children}
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
