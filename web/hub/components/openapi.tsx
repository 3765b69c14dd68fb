// A small reader for an API's OpenAPI document (3.x, and Swagger 2.0): each operation with its method, path,
// summary, parameters, request body and responses, as an accordion that works with the keyboard.
import { Accordion, Badge, Box, Code, Group, Stack, Table, Text } from '@mantine/core';
import { methodColor } from '../lib/format.ts';

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export interface Parameter {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description?: string;
}

export interface Operation {
  method: string;
  path: string;
  summary?: string;
  description?: string;
  deprecated: boolean;
  tags: string[];
  parameters: Parameter[];
  requestBody?: { required: boolean; contentTypes: string[]; description?: string; type?: string };
  responses: Array<{ status: string; description: string }>;
}

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value : undefined);

/** Follows a local `$ref` (`#/components/parameters/Q`), once per level, at most 10 levels deep. */
function resolve(doc: Json, value: unknown, depth = 0): unknown {
  if (!isObject(value) || typeof value.$ref !== 'string' || depth > 10) return value;
  const ref = value.$ref;
  if (!ref.startsWith('#/')) return value;
  let found: unknown = doc;
  for (const part of ref.slice(2).split('/')) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    found = isObject(found) ? found[key] : undefined;
  }
  return found === undefined ? value : resolve(doc, found, depth + 1);
}

/** A schema in a few words: `string`, `integer (int32)`, `array of Weather`, `one of: a, b`. */
export function describeSchema(doc: Json, schema: unknown, depth = 0): string {
  if (!isObject(schema) || depth > 4) return '';
  if (typeof schema.$ref === 'string') return schema.$ref.split('/').pop() ?? 'object';
  if (Array.isArray(schema.enum)) return `one of: ${schema.enum.map((v) => String(v)).join(', ')}`;
  const type = Array.isArray(schema.type) ? schema.type.join(' | ') : text(schema.type);
  if (type === 'array') return `array of ${describeSchema(doc, schema.items, depth + 1) || 'items'}`;
  if (type) return schema.format ? `${type} (${String(schema.format)})` : type;
  for (const key of ['oneOf', 'anyOf', 'allOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return `${key === 'allOf' ? 'all of' : 'one of'}: ${options.map((o) => describeSchema(doc, o, depth + 1)).join(', ')}`;
  }
  return isObject(schema.properties) ? 'object' : '';
}

function parameterOf(doc: Json, raw: unknown): Parameter | undefined {
  const p = resolve(doc, raw);
  if (!isObject(p) || typeof p.name !== 'string' || typeof p.in !== 'string') return undefined;
  // OpenAPI 3 keeps the type in `schema`; Swagger 2.0 on the parameter itself.
  const type = describeSchema(doc, resolve(doc, p.schema)) || describeSchema(doc, p);
  return { name: p.name, in: p.in, required: p.required === true || p.in === 'path', type, ...(text(p.description) ? { description: text(p.description) } : {}) };
}

/** The operations of a document, in the order of its paths; anything unreadable is skipped rather than failing. */
export function operationsOf(doc: Json): Operation[] {
  const operations: Operation[] = [];
  const paths = isObject(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = resolve(doc, rawItem);
    if (!isObject(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of METHODS) {
      const op = item[method];
      if (!isObject(op)) continue;
      const own = Array.isArray(op.parameters) ? op.parameters : [];
      const byKey = new Map<string, Parameter>();
      for (const raw of [...shared, ...own]) {
        const parameter = parameterOf(doc, raw);
        if (parameter && parameter.in !== 'body') byKey.set(`${parameter.in}:${parameter.name}`, parameter);
      }
      let requestBody: Operation['requestBody'];
      const body = resolve(doc, op.requestBody);
      if (isObject(body)) {
        const content = isObject(body.content) ? body.content : {};
        const first = Object.values(content)[0];
        requestBody = {
          required: body.required === true,
          contentTypes: Object.keys(content),
          ...(text(body.description) ? { description: text(body.description) } : {}),
          ...(isObject(first) && first.schema ? { type: describeSchema(doc, first.schema) } : {}),
        };
      } else {
        // Swagger 2.0: the body is a parameter `in: body`.
        const swaggerBody = [...shared, ...own].map((raw) => resolve(doc, raw)).find((p) => isObject(p) && p.in === 'body');
        if (isObject(swaggerBody)) {
          requestBody = {
            required: swaggerBody.required === true,
            contentTypes: Array.isArray(op.consumes) ? op.consumes.map(String) : Array.isArray(doc.consumes) ? doc.consumes.map(String) : [],
            ...(text(swaggerBody.description) ? { description: text(swaggerBody.description) } : {}),
            type: describeSchema(doc, swaggerBody.schema),
          };
        }
      }
      const responses = isObject(op.responses)
        ? Object.entries(op.responses).map(([status, raw]) => {
            const response = resolve(doc, raw);
            return { status, description: (isObject(response) && text(response.description)) || '' };
          })
        : [];
      operations.push({
        method: method.toUpperCase(),
        path,
        ...(text(op.summary) ? { summary: text(op.summary) } : {}),
        ...(text(op.description) ? { description: text(op.description) } : {}),
        deprecated: op.deprecated === true,
        tags: Array.isArray(op.tags) ? op.tags.map(String) : [],
        parameters: [...byKey.values()],
        ...(requestBody ? { requestBody } : {}),
        responses,
      });
    }
  }
  return operations;
}

export function MethodBadge({ method }: { method: string }) {
  return (
    <Badge color={methodColor(method)} variant="filled" radius="sm" w={72} style={{ flexShrink: 0 }} aria-label={`${method} method`}>
      {method}
    </Badge>
  );
}

function OperationDetails({ operation }: { operation: Operation }) {
  return (
    <Stack gap="sm">
      {operation.description && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {operation.description}
        </Text>
      )}
      {operation.parameters.length > 0 ? (
        <Box>
          <Text size="sm" fw={600} mb={4}>
            Parameters
          </Text>
          <Table.ScrollContainer minWidth={420}>
            <Table striped withTableBorder verticalSpacing={6} fz="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Name</Table.Th>
                  <Table.Th>In</Table.Th>
                  <Table.Th>Type</Table.Th>
                  <Table.Th>Description</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {operation.parameters.map((p) => (
                  <Table.Tr key={`${p.in}:${p.name}`}>
                    <Table.Td>
                      <Code>{p.name}</Code>
                      {p.required && (
                        <Text span c="red" fw={700} ml={4} title="required" aria-label="required">
                          *
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{p.in}</Table.Td>
                    <Table.Td>{p.type || '—'}</Table.Td>
                    <Table.Td>{p.description ?? ''}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Box>
      ) : (
        <Text size="sm" c="dimmed">
          No parameters.
        </Text>
      )}
      {operation.requestBody && (
        <Box>
          <Text size="sm" fw={600} mb={4}>
            Request body{operation.requestBody.required ? ' (required)' : ''}
          </Text>
          <Text size="sm">
            {[operation.requestBody.type, operation.requestBody.contentTypes.join(', '), operation.requestBody.description].filter(Boolean).join(' · ') || 'Any.'}
          </Text>
        </Box>
      )}
      {operation.responses.length > 0 && (
        <Box>
          <Text size="sm" fw={600} mb={4}>
            Responses
          </Text>
          <Stack gap={4}>
            {operation.responses.map((r) => (
              <Group key={r.status} gap="xs" wrap="nowrap" align="flex-start">
                <Code>{r.status}</Code>
                <Text size="sm">{r.description}</Text>
              </Group>
            ))}
          </Stack>
        </Box>
      )}
    </Stack>
  );
}

/** The document's operations; `basePath` (the API's, on the gateway) is put before each path. */
export function OpenApiView({ document, basePath }: { document: Json; basePath: string }) {
  const info = isObject(document.info) ? document.info : {};
  const operations = operationsOf(document);
  const prefix = basePath === '/' ? '' : basePath;
  return (
    <Stack gap="sm">
      <Group gap="xs">
        <Text size="sm" fw={600}>
          {text(info.title) ?? 'OpenAPI document'}
        </Text>
        {text(info.version) && (
          <Badge variant="outline" size="sm">
            version {text(info.version)}
          </Badge>
        )}
      </Group>
      {text(info.description) && (
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'pre-wrap' }}>
          {text(info.description)}
        </Text>
      )}
      {operations.length === 0 ? (
        <Text size="sm" c="dimmed">
          The document lists no operations.
        </Text>
      ) : (
        <Accordion variant="separated" multiple chevronPosition="right" aria-label="Operations">
          {operations.map((op) => (
            <Accordion.Item key={`${op.method} ${op.path}`} value={`${op.method} ${op.path}`}>
              <Accordion.Control aria-label={`${op.method} ${prefix}${op.path}${op.summary ? `: ${op.summary}` : ''}`}>
                <Group gap="sm" wrap="nowrap">
                  <MethodBadge method={op.method} />
                  <Box style={{ minWidth: 0 }}>
                    <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere', textDecoration: op.deprecated ? 'line-through' : undefined }}>
                      {prefix}
                      {op.path}
                    </Text>
                    {op.summary && (
                      <Text size="xs" c="dimmed">
                        {op.summary}
                        {op.deprecated ? ' (deprecated)' : ''}
                      </Text>
                    )}
                  </Box>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                <OperationDetails operation={op} />
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}
