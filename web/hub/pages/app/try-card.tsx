// A small console to call the app's APIs through the gateway: method, path, headers, body; the answer shown whole.
import { Alert, Badge, Button, Card, Code, Grid, Group, Select, Stack, Table, Tabs, Text, Textarea, TextInput, Title } from '@mantine/core';
import { IconSend, IconTerminal2 } from '@tabler/icons-react';
import { useEffect, useState, type FormEvent } from 'react';
import { api, seg, type ProblemError } from '../../../shared/api.ts';
import { ProblemAlert } from '../../components/states.tsx';
import { prettyBody, statusColor } from '../../lib/format.ts';
import { asProblem } from '../../../shared/load.ts';
import type { HubAppView, TryResult } from '../../lib/wire.ts';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

/** `Name: value` lines as headers; the first line that is not one is reported. */
export function parseHeaders(text: string): { headers: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {};
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) return { error: `Line ${i + 1} is not "Name: value".` };
    headers[name] = line.slice(colon + 1).trim();
  }
  return { headers };
}

function withBearer(text: string, token: string): string {
  const others = text.split('\n').filter((l) => l.trim() !== '' && !/^\s*authorization\s*:/i.test(l));
  return [`Authorization: Bearer ${token}`, ...others].join('\n');
}

export function TryCard({ app, token }: { app: HubAppView; token: string | undefined }) {
  const callable = app.apis.filter((a) => !a.issuesTokens);
  const [method, setMethod] = useState('GET');
  const [path, setPath] = useState(callable[0]?.basePath ?? '/');
  const [headerText, setHeaderText] = useState(token ? `Authorization: Bearer ${token}` : '');
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<TryResult | undefined>(undefined);
  const [error, setError] = useState<ProblemError | undefined>(undefined);
  const [headerError, setHeaderError] = useState<string | undefined>(undefined);

  // A new token from "Get a token" goes into the Authorization header.
  useEffect(() => {
    if (token) setHeaderText((text) => withBearer(text, token));
  }, [token]);

  const send = async (event: FormEvent) => {
    event.preventDefault();
    const parsed = parseHeaders(headerText);
    if ('error' in parsed) {
      setHeaderError(parsed.error);
      return;
    }
    setHeaderError(undefined);
    setBusy(true);
    setError(undefined);
    try {
      const hasBody = method !== 'GET' && method !== 'HEAD' && body !== '';
      setResult(await api.post<TryResult>(`/apps/${seg(app.name)}/try`, { method, path, headers: parsed.headers, ...(hasBody ? { body } : {}) }));
    } catch (failure) {
      setResult(undefined);
      setError(asProblem(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card withBorder radius="md" padding="lg" component="section" aria-labelledby="try-title">
      <Stack gap="md">
        <Group gap="xs">
          <IconTerminal2 size={20} aria-hidden />
          <Title order={2} size="h4" id="try-title">
            Try it
          </Title>
        </Group>
        {callable.length === 0 ? (
          <Alert color="gray" variant="light">
            This app's products have no deployed API to call yet.
          </Alert>
        ) : (
          <form onSubmit={send} aria-label="Try a call">
            <Stack gap="sm">
              <Text size="sm" c="dimmed">
                The hub calls the gateway for you, on paths under your APIs: {callable.map((a) => a.basePath).join(', ')}.
              </Text>
              <Grid gap="sm">
                <Grid.Col span={{ base: 12, xs: 3 }}>
                  <Select label="Method" data={METHODS} value={method} onChange={(v) => v && setMethod(v)} allowDeselect={false} comboboxProps={{ withinPortal: true }} />
                </Grid.Col>
                <Grid.Col span={{ base: 12, xs: 9 }}>
                  <TextInput label="Path" description="With the query, e.g. /weather/data/2.5/weather?q=Berlin" required value={path} onChange={(e) => setPath(e.currentTarget.value)} ff="monospace" />
                </Grid.Col>
              </Grid>
              {callable.length > 1 && (
                <Group gap={6}>
                  <Text size="xs" c="dimmed">
                    APIs:
                  </Text>
                  {callable.map((a) => (
                    <Button key={a.name} size="compact-xs" variant="light" color="gray" onClick={() => setPath(a.basePath)}>
                      {a.displayName ?? a.name}
                    </Button>
                  ))}
                </Group>
              )}
              <Textarea label="Headers" description='One per line, "Name: value".' autosize minRows={2} maxRows={8} value={headerText} onChange={(e) => setHeaderText(e.currentTarget.value)} error={headerError} ff="monospace" spellCheck={false} />
              {method !== 'GET' && method !== 'HEAD' && (
                <Textarea label="Body" description="Up to 64 KB. Set Content-Type in the headers." autosize minRows={3} maxRows={12} value={body} onChange={(e) => setBody(e.currentTarget.value)} ff="monospace" spellCheck={false} />
              )}
              <Group>
                <Button type="submit" loading={busy} leftSection={<IconSend size={16} aria-hidden />}>
                  Send
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        {error && <ProblemAlert error={error} title="The call was not made" />}
        {result && (
          <Stack gap="sm" data-testid="try-result" aria-live="polite">
            <Group gap="sm">
              <Badge size="lg" color={statusColor(result.status)} data-testid="try-status">
                {result.status}
              </Badge>
              <Text size="sm" c="dimmed">
                {result.durationMs} ms
              </Text>
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {result.url}
              </Text>
            </Group>
            {result.truncated && (
              <Alert color="yellow" variant="light">
                The answer was longer than 256 KB; only its beginning is shown.
              </Alert>
            )}
            <Tabs defaultValue="body" keepMounted={false}>
              <Tabs.List>
                <Tabs.Tab value="body">Body</Tabs.Tab>
                <Tabs.Tab value="headers">Headers ({Object.keys(result.headers).length})</Tabs.Tab>
              </Tabs.List>
              <Tabs.Panel value="body" pt="sm">
                {result.body === '' ? (
                  <Text size="sm" c="dimmed">
                    No body.
                  </Text>
                ) : (
                  <Code block mah={420} style={{ overflow: 'auto', whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid="try-body">
                    {result.bodyEncoding === 'base64' ? `(binary, base64)\n${result.body}` : prettyBody(result.body)}
                  </Code>
                )}
              </Tabs.Panel>
              <Tabs.Panel value="headers" pt="sm">
                <Table.ScrollContainer minWidth={360}>
                  <Table striped fz="sm" withTableBorder>
                    <Table.Tbody>
                      {Object.entries(result.headers).map(([name, value]) => (
                        <Table.Tr key={name}>
                          <Table.Td ff="monospace">{name}</Table.Td>
                          <Table.Td style={{ overflowWrap: 'anywhere' }}>{value}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              </Tabs.Panel>
            </Tabs>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
