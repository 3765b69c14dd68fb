// A form generated from a policy's JSON Schema: each field by its type, its description as help text, its default
// as the placeholder; anything the generator does not know becomes a JSON field, so every config stays editable.
import { ActionIcon, Button, Fieldset, Group, JsonInput, MultiSelect, NumberInput, Paper, Select, Stack, Switch, TagsInput, Text, Textarea, TextInput } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState, type ReactNode } from 'react';
import { InlineMarkdown } from '../../components/markdown.tsx';
import { humanize } from '../../lib/format.ts';
import type { JsonSchema } from '../../lib/wire.ts';

type Kind = 'select' | 'multiselect' | 'text' | 'textarea' | 'number' | 'boolean' | 'tags' | 'object' | 'objects' | 'record' | 'scalar' | 'json';
type Value = unknown;
type Obj = Record<string, unknown>;

function alternatives(schema: JsonSchema): JsonSchema[] | undefined {
  return schema.anyOf ?? schema.oneOf;
}

/** The literal values a schema allows (an enum, or a union of consts); undefined when it is not such a choice. */
function literals(schema: JsonSchema | undefined): Array<string | number> | undefined {
  if (!schema) return undefined;
  if (schema.enum && schema.enum.every((v) => typeof v === 'string' || typeof v === 'number')) return schema.enum as Array<string | number>;
  if (schema.const !== undefined && (typeof schema.const === 'string' || typeof schema.const === 'number')) return [schema.const];
  const alts = alternatives(schema);
  if (alts && alts.length > 0 && alts.every((a) => typeof a.const === 'string' || typeof a.const === 'number')) return alts.map((a) => a.const as string | number);
  return undefined;
}

function typeOf(schema: JsonSchema | undefined): string | undefined {
  if (!schema) return undefined;
  if (Array.isArray(schema.type)) return schema.type.find((t) => t !== 'null');
  return schema.type;
}

function recordValueSchema(schema: JsonSchema): JsonSchema | undefined {
  const pattern = schema.patternProperties ? Object.values(schema.patternProperties)[0] : undefined;
  if (pattern) return pattern;
  return typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined;
}

export function kindOf(schema: JsonSchema): Kind {
  if (literals(schema)) return 'select';
  const type = typeOf(schema);
  if (type === 'boolean') return 'boolean';
  if (type === 'integer' || type === 'number') return 'number';
  if (type === 'string') return (schema.maxLength ?? 0) > 4000 ? 'textarea' : 'text';
  if (type === 'array') {
    if (literals(schema.items)) return 'multiselect';
    const itemType = typeOf(schema.items);
    if (itemType === 'string') return 'tags';
    if (itemType === 'object' && schema.items?.properties) return 'objects';
    return 'json';
  }
  if (type === 'object') {
    if (schema.properties) return 'object';
    const values = recordValueSchema(schema);
    if (values && typeOf(values) === 'string') return 'record';
    return 'json';
  }
  const alts = alternatives(schema);
  if (alts && alts.every((a) => ['string', 'integer', 'number'].includes(typeOf(a) ?? ''))) return 'scalar';
  return 'json';
}

function show(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'none' : value.join(', ');
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function help(schema: JsonSchema): string | undefined {
  const parts = [schema.description?.trim()];
  if (schema.default !== undefined && typeOf(schema) !== 'boolean') parts.push(`Default: ${show(schema.default)}.`);
  const text = parts.filter(Boolean).join(' ');
  return text || undefined;
}

/** The help text as rendered Markdown (schema descriptions use `code` spans). */
function helpNode(schema: JsonSchema): ReactNode {
  const text = help(schema);
  return text ? <InlineMarkdown text={text} /> : undefined;
}

function withoutEmpty(value: Obj): Obj | undefined {
  return Object.keys(value).length === 0 ? undefined : value;
}

function setKey(object: Obj | undefined, key: string, value: unknown): Obj {
  const next = { ...(object ?? {}) };
  if (value === undefined) delete next[key];
  else next[key] = value;
  return next;
}

interface FieldProps {
  name: string;
  label: string;
  schema: JsonSchema;
  required: boolean;
  value: Value;
  onChange: (value: Value) => void;
}

/** The fields of an object schema. */
export function ObjectFields({ schema, value, onChange }: { schema: JsonSchema; value: Obj | undefined; onChange: (value: Obj) => void }) {
  const required = new Set(schema.required ?? []);
  return (
    <Stack gap="sm">
      {Object.entries(schema.properties ?? {}).map(([key, property]) => (
        <SchemaField
          key={key}
          name={key}
          label={property.title && property.title !== key && !/^[a-z ]+$/.test(property.title) ? property.title : humanize(key)}
          schema={property}
          required={required.has(key) && property.default === undefined}
          value={value?.[key]}
          onChange={(next) => onChange(setKey(value, key, next))}
        />
      ))}
    </Stack>
  );
}

export function SchemaForm({ schema, value, onChange, disabled }: { schema: JsonSchema; value: Obj | undefined; onChange: (value: Obj) => void; disabled?: boolean }) {
  return (
    <Fieldset variant="unstyled" disabled={disabled} p={0} m={0} style={{ border: 0 }}>
      {schema.properties ? <ObjectFields schema={schema} value={value} onChange={onChange} /> : <JsonField label="Configuration" description={help(schema)} value={value} onChange={(v) => onChange((v as Obj | undefined) ?? {})} />}
    </Fieldset>
  );
}

export function SchemaField(props: FieldProps) {
  const { label, schema, required, value, onChange } = props;
  const description = helpNode(schema);
  const placeholder = schema.default !== undefined ? show(schema.default) : undefined;
  const common = { label, description, withAsterisk: required, inputWrapperOrder: ['label', 'input', 'description', 'error'] as ('label' | 'input' | 'description' | 'error')[] };
  switch (kindOf(schema)) {
    case 'select': {
      const options = literals(schema) ?? [];
      return (
        <Select
          {...common}
          data={options.map(String)}
          value={value === undefined || value === null ? null : String(value)}
          onChange={(v) => onChange(v === null ? undefined : (options.find((o) => String(o) === v) ?? v))}
          clearable={!required}
          placeholder={placeholder ? `Default: ${placeholder}` : 'Choose…'}
          allowDeselect={!required}
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case 'multiselect': {
      const options = literals(schema.items) ?? [];
      return (
        <MultiSelect
          {...common}
          data={options.map(String)}
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={(v) => onChange(v.length === 0 ? undefined : v.map((s) => options.find((o) => String(o) === s) ?? s))}
          placeholder={placeholder ? `Default: ${placeholder}` : 'Choose…'}
          clearable
          comboboxProps={{ withinPortal: true }}
        />
      );
    }
    case 'text':
      return <TextInput {...common} value={typeof value === 'string' ? value : value === undefined ? '' : String(value)} placeholder={placeholder} onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)} />;
    case 'textarea':
      return <Textarea {...common} autosize minRows={3} maxRows={14} value={typeof value === 'string' ? value : ''} placeholder={placeholder} onChange={(e) => onChange(e.currentTarget.value === '' ? undefined : e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />;
    case 'number':
      return (
        <NumberInput
          {...common}
          value={typeof value === 'number' ? value : ''}
          placeholder={placeholder}
          min={schema.minimum}
          max={schema.maximum}
          allowDecimal={typeOf(schema) === 'number'}
          thousandSeparator=","
          onChange={(v) => onChange(typeof v === 'number' ? v : v === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : undefined)}
        />
      );
    case 'boolean': {
      const fallback = typeof schema.default === 'boolean' ? schema.default : false;
      return <Switch label={label} description={<InlineMarkdown text={[schema.description, `Default: ${fallback ? 'on' : 'off'}.`].filter(Boolean).join(' ')} />} checked={typeof value === 'boolean' ? value : fallback} onChange={(e) => onChange(e.currentTarget.checked)} />;
    }
    case 'tags':
      return (
        <TagsInput
          {...common}
          value={Array.isArray(value) ? value.map(String) : []}
          onChange={(v) => onChange(v.length === 0 ? undefined : v)}
          placeholder={placeholder ? `Default: ${placeholder}` : 'Type a value, then Enter'}
          clearable
          splitChars={[',', ' ']}
        />
      );
    case 'scalar':
      return <ScalarField {...props} />;
    case 'object':
      return (
        <Fieldset legend={label} radius="md">
          {description && (
            <Text size="xs" c="dimmed" mb="sm">
              {description}
            </Text>
          )}
          <ObjectFields schema={schema} value={value as Obj | undefined} onChange={(v) => onChange(withoutEmpty(v))} />
        </Fieldset>
      );
    case 'objects':
      return <ObjectListField {...props} />;
    case 'record':
      return <RecordField {...props} />;
    default:
      return <JsonField label={label} description={help(schema)} required={required} value={value} onChange={onChange} />;
  }
}

/** A union of a number and a string (a status code or a template rendering to one). */
function ScalarField({ label, schema, required, value, onChange }: FieldProps) {
  const numeric = (alternatives(schema) ?? []).some((a) => typeOf(a) === 'integer' || typeOf(a) === 'number');
  return (
    <TextInput
      label={label}
      description={helpNode(schema)}
      withAsterisk={required}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      value={value === undefined ? '' : String(value)}
      placeholder={schema.default !== undefined ? show(schema.default) : undefined}
      onChange={(e) => {
        const text = e.currentTarget.value;
        onChange(text === '' ? undefined : numeric && /^-?\d+$/.test(text) ? Number(text) : text);
      }}
    />
  );
}

/** A list of objects (access-control rules, variables to assign): one card per item. */
function ObjectListField({ label, schema, value, onChange }: FieldProps) {
  const items = Array.isArray(value) ? (value as Obj[]) : [];
  const itemSchema = schema.items ?? {};
  const noun = (itemSchema.title ?? humanize(singular(label))).toLowerCase();
  const update = (next: Obj[]) => onChange(next.length === 0 ? undefined : next);
  return (
    <Fieldset legend={label} radius="md">
      {help(schema) && (
        <Text size="xs" c="dimmed" mb="sm">
          {helpNode(schema)}
        </Text>
      )}
      <Stack gap="sm">
        {items.map((item, i) => (
          <Paper key={i} withBorder p="sm" radius="md">
            <Group justify="space-between" mb="xs">
              <Text size="sm" fw={600}>
                {humanize(noun)} {i + 1}
              </Text>
              <ActionIcon variant="subtle" color="red" aria-label={`Remove ${noun} ${i + 1}`} onClick={() => update(items.filter((_, j) => j !== i))}>
                <IconTrash size={16} aria-hidden />
              </ActionIcon>
            </Group>
            <ObjectFields schema={itemSchema} value={item} onChange={(v) => update(items.map((it, j) => (j === i ? v : it)))} />
          </Paper>
        ))}
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => update([...items, {}])} w="fit-content">
          Add {noun}
        </Button>
      </Stack>
    </Fieldset>
  );
}

function singular(label: string): string {
  // "Assign variables" -> "assign variable": a label for one item of the list.
  return label.replace(/s$/, '');
}

/** Name -> value pairs (headers, query parameters, initial entries). */
function RecordField({ label, schema, value, onChange }: FieldProps) {
  const initial = value && typeof value === 'object' ? Object.entries(value as Record<string, string>) : [];
  const [rows, setRows] = useState<Array<[string, string]>>(initial);
  const emit = (next: Array<[string, string]>) => {
    setRows(next);
    const object: Record<string, string> = {};
    for (const [k, v] of next) if (k !== '') object[k] = v;
    onChange(Object.keys(object).length === 0 ? undefined : object);
  };
  return (
    <Fieldset legend={label} radius="md">
      {help(schema) && (
        <Text size="xs" c="dimmed" mb="sm">
          {helpNode(schema)}
        </Text>
      )}
      <Stack gap="xs">
        {rows.map(([k, v], i) => (
          <Group key={i} gap="xs" wrap="nowrap" align="flex-end">
            <TextInput aria-label={`${label}: name ${i + 1}`} placeholder="Name" value={k} onChange={(e) => emit(rows.map((r, j) => (j === i ? [e.currentTarget.value, r[1]] : r)))} style={{ flex: 1 }} />
            <TextInput aria-label={`${label}: value ${i + 1}`} placeholder="Value" value={v} onChange={(e) => emit(rows.map((r, j) => (j === i ? [r[0], e.currentTarget.value] : r)))} style={{ flex: 2 }} />
            <ActionIcon variant="subtle" color="red" size="lg" aria-label={`Remove ${label.toLowerCase()} entry ${i + 1}`} onClick={() => emit(rows.filter((_, j) => j !== i))}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          </Group>
        ))}
        <Button variant="light" size="xs" leftSection={<IconPlus size={14} aria-hidden />} onClick={() => setRows([...rows, ['', '']])} w="fit-content">
          Add entry
        </Button>
      </Stack>
    </Fieldset>
  );
}

/** The fallback: the value as JSON, checked as it is typed. */
export function JsonField({ label, description, required, value, onChange }: { label: string; description?: string; required?: boolean; value: Value; onChange: (value: Value) => void }) {
  const [text, setText] = useState(value === undefined ? '' : JSON.stringify(value, null, 2));
  const [error, setError] = useState<string | undefined>();
  return (
    <JsonInput
      label={label}
      description={description ? `${description} Written as JSON.` : 'Written as JSON.'}
      withAsterisk={required}
      inputWrapperOrder={['label', 'input', 'description', 'error']}
      value={text}
      autosize
      minRows={3}
      maxRows={16}
      error={error}
      onChange={(next) => {
        setText(next);
        if (next.trim() === '') {
          setError(undefined);
          onChange(undefined);
          return;
        }
        try {
          onChange(JSON.parse(next));
          setError(undefined);
        } catch (e) {
          setError(`Not valid JSON yet: ${(e as Error).message}`);
        }
      }}
    />
  );
}
