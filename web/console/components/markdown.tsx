// A small, safe Markdown renderer for the policies' reference pages: headings, paragraphs, lists, tables, code.
// It builds React elements (never HTML strings), so nothing in a document can run as script.
import { Box, Code, List, Table, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** `code`, **bold**, *emphasis* and [links](…) inside a line. */
function inline(text: string, key = 0): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|(\*[^*\s][^*]*\*)|(\[[^\]]+\]\([^)\s]+\))/g;
  let last = 0;
  let n = key;
  for (const match of text.matchAll(pattern)) {
    const at = match.index ?? 0;
    if (at > last) out.push(text.slice(last, at));
    const token = match[0];
    if (token.startsWith('`')) out.push(<Code key={n++}>{token.slice(1, -1)}</Code>);
    else if (token.startsWith('**')) out.push(<strong key={n++}>{inline(token.slice(2, -2), n * 100)}</strong>);
    else if (token.startsWith('*')) out.push(<em key={n++}>{inline(token.slice(1, -1), n * 100)}</em>);
    else {
      const label = token.slice(1, token.indexOf(']'));
      const href = token.slice(token.indexOf('](') + 2, -1);
      // Only web links leave the console; relative links of the docs folder mean nothing here.
      out.push(/^https?:\/\//.test(href) ? <a key={n++} href={href} target="_blank" rel="noreferrer noopener">{label}</a> : <span key={n++}>{label}</span>);
    }
    last = at + token.length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** One line of Markdown (code spans, emphasis, links), for help texts written in the docs' style. */
export function InlineMarkdown({ text }: { text: string }) {
  return <>{inline(text)}</>;
}

/** Splits a table row on unescaped pipes (`\|` stays in the cell). */
function cells(row: string): string[] {
  const trimmed = row.trim().replace(/^\|/, '').replace(/\|$/, '');
  return trimmed.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));
}

export function Markdown({ source }: { source: string }) {
  const lines = source.replace(/<!--[\s\S]*?-->/g, '').split('\n');
  const blocks: ReactNode[] = [];
  let i = 0;
  let key = 0;
  while (i < lines.length) {
    const line = lines[i] ?? '';
    if (line.trim() === '') {
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, (heading[1]?.length ?? 1) + 1) as 2 | 3 | 4 | 5 | 6;
      blocks.push(
        <Title key={key++} order={level} size={level <= 2 ? 'h3' : 'h5'} mt="md" mb="xs">
          {inline(heading[2] ?? '')}
        </Title>,
      );
      i++;
      continue;
    }
    if (line.startsWith('```')) {
      const body: string[] = [];
      i++;
      while (i < lines.length && !(lines[i] ?? '').startsWith('```')) body.push(lines[i++] ?? '');
      i++;
      blocks.push(
        <Code key={key++} block my="xs">
          {body.join('\n')}
        </Code>,
      );
      continue;
    }
    if (line.trim().startsWith('|')) {
      const rows: string[] = [];
      while (i < lines.length && (lines[i] ?? '').trim().startsWith('|')) rows.push(lines[i++] ?? '');
      const [head, , ...body] = rows;
      blocks.push(
        <Table.ScrollContainer key={key++} minWidth={560} type="native" my="xs">
          <Table withTableBorder withColumnBorders fz="xs" verticalSpacing={4}>
            <Table.Thead>
              <Table.Tr>
                {cells(head ?? '').map((c, j) => (
                  <Table.Th key={j}>{inline(c)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {body.map((row, r) => (
                <Table.Tr key={r}>
                  {cells(row).map((c, j) => (
                    <Table.Td key={j} style={{ verticalAlign: 'top' }}>
                      {inline(c)}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>,
      );
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      while (i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i] ?? '')) {
        items.push((lines[i] ?? '').replace(/^\s*([-*]|\d+\.)\s+/, ''));
        i++;
        // Continuation lines of the same item.
        while (i < lines.length && /^\s{2,}\S/.test(lines[i] ?? '') && !/^\s*([-*]|\d+\.)\s+/.test(lines[i] ?? '')) items[items.length - 1] += ` ${(lines[i++] ?? '').trim()}`;
      }
      blocks.push(
        <List key={key++} type={ordered ? 'ordered' : 'unordered'} size="sm" my="xs" spacing={4}>
          {items.map((item, j) => (
            <List.Item key={j}>{inline(item)}</List.Item>
          ))}
        </List>,
      );
      continue;
    }
    const paragraph: string[] = [];
    while (i < lines.length && (lines[i] ?? '').trim() !== '' && !/^(#{1,6}\s|```|\s*\||\s*([-*]|\d+\.)\s+)/.test(lines[i] ?? '')) paragraph.push((lines[i++] ?? '').trim());
    blocks.push(
      <Text key={key++} size="sm" my="xs">
        {inline(paragraph.join(' '))}
      </Text>,
    );
  }
  return <Box>{blocks}</Box>;
}
