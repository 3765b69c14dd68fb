// A coloured line diff of two texts (jsdiff), with long unchanged stretches folded away.
import { Box, Button, Group, Paper, Text } from '@mantine/core';
import { diffLines } from 'diff';
import { useMemo, useState } from 'react';

type Line = { kind: 'same' | 'added' | 'removed'; text: string };
type Row = Line | { kind: 'fold'; id: number; lines: Line[] };

const CONTEXT = 3;

function linesOf(before: string, after: string): Line[] {
  const out: Line[] = [];
  for (const part of diffLines(before, after)) {
    const kind = part.added ? 'added' : part.removed ? 'removed' : 'same';
    const texts = part.value.replace(/\n$/, '').split('\n');
    for (const text of texts) out.push({ kind, text });
  }
  return out;
}

function fold(lines: Line[]): Row[] {
  const rows: Row[] = [];
  let i = 0;
  let id = 0;
  while (i < lines.length) {
    if (lines[i]?.kind !== 'same') {
      rows.push(lines[i] as Line);
      i++;
      continue;
    }
    let j = i;
    while (j < lines.length && lines[j]?.kind === 'same') j++;
    const run = lines.slice(i, j);
    const head = i === 0 ? 0 : CONTEXT;
    const tail = j === lines.length ? 0 : CONTEXT;
    if (run.length > head + tail + 2) {
      rows.push(...run.slice(0, head));
      rows.push({ kind: 'fold', id: id++, lines: run.slice(head, run.length - tail) });
      rows.push(...run.slice(run.length - tail));
    } else rows.push(...run);
    i = j;
  }
  return rows;
}

const STYLE: Record<Line['kind'], { bg: string; sign: string; label: string }> = {
  added: { bg: 'light-dark(var(--mantine-color-teal-1), rgba(18, 184, 134, 0.2))', sign: '+', label: 'added' },
  removed: { bg: 'light-dark(var(--mantine-color-red-1), rgba(250, 82, 82, 0.2))', sign: '−', label: 'removed' },
  same: { bg: 'transparent', sign: ' ', label: 'unchanged' },
};

export function DiffView({ before, after, label }: { before: string; after: string; label: string }) {
  const lines = useMemo(() => linesOf(before, after), [before, after]);
  const rows = useMemo(() => fold(lines), [lines]);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const added = lines.filter((l) => l.kind === 'added').length;
  const removed = lines.filter((l) => l.kind === 'removed').length;

  const line = (l: Line, key: string) => (
    <Box key={key} data-diff={l.kind} style={{ background: STYLE[l.kind].bg, display: 'flex', whiteSpace: 'pre', minWidth: 'fit-content' }}>
      <Box component="span" aria-label={STYLE[l.kind].label} w={22} ta="center" c={l.kind === 'added' ? 'teal.8' : l.kind === 'removed' ? 'red.8' : 'dimmed'} style={{ userSelect: 'none', flex: 'none' }}>
        {STYLE[l.kind].sign}
      </Box>
      <span>{l.text}</span>
    </Box>
  );

  return (
    <Paper withBorder radius="md" role="region" aria-label={label}>
      <Group px="sm" py={6} gap="md" style={{ borderBottom: '1px solid var(--mantine-color-default-border)' }}>
        <Text size="sm" c="teal.8" fw={600}>
          +{added} added
        </Text>
        <Text size="sm" c="red.8" fw={600}>
          −{removed} removed
        </Text>
        {added === 0 && removed === 0 && (
          <Text size="sm" c="dimmed">
            The two revisions are the same.
          </Text>
        )}
      </Group>
      <Box style={{ overflowX: 'auto', fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 'var(--mantine-font-size-xs)', lineHeight: 1.6 }} py={4}>
        {rows.map((row, i) =>
          row.kind === 'fold' ? (
            open.has(row.id) ? (
              row.lines.map((l, j) => line(l, `${i}-${j}`))
            ) : (
              <Box key={i} px="xs" py={2} bg="light-dark(var(--mantine-color-gray-0), var(--mantine-color-dark-6))">
                <Button variant="subtle" size="compact-xs" color="gray" onClick={() => setOpen(new Set([...open, row.id]))}>
                  Show {row.lines.length} unchanged lines
                </Button>
              </Box>
            )
          ) : (
            line(row, String(i))
          ),
        )}
      </Box>
    </Paper>
  );
}
