// Generates the reference pages in docs/reference/ from the code: the error catalogue, the settings table,
// the management API's routes (from its OpenAPI document), the declarative file's schema and the policy pages
// (rendered by src/policies/reference.ts, which the console's policy catalogue shares).
// `npm run docs` writes them; test/docs.test.ts fails when a committed page differs from what this makes.
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildAdminApi } from '../src/admin-api/server.ts';
import { SETTINGS } from '../src/config/settings.ts';
import { DesiredState } from '../src/declarative/schema.ts';
import { errorCatalogue } from '../src/errors.ts';
import { buildHubServer } from '../src/hub-api/server.ts';
import { BUILT_IN_POLICIES } from '../src/policies/index.ts';
import { GENERATED, renderObject, renderPolicy } from '../src/policies/reference.ts';
import { ChangeFeed } from '../src/manage/changes.ts';
import { openStore } from '../src/store/index.ts';
import { systemClock } from '../src/util/clock.ts';

export function renderErrors(): string {
  const lines = [GENERATED, '', '# Error codes', '', 'Every error Gatehouse returns carries a stable `code` (`<owner>.<reason>`). On the management API it is an', 'RFC 9457 problem document (`application/problem+json`) with `type`, `title`, `status`, `detail`, `code`, `instance`', 'and `requestId`; validation errors add `errors`, a list of `{ path, message }`. 5xx errors never carry internals:', 'quote the `requestId`, which the server log shows with the details.', ''];
  const owners = new Map<string, Array<[string, (typeof errorCatalogue)[keyof typeof errorCatalogue]]>>();
  for (const [code, spec] of Object.entries(errorCatalogue)) {
    const owner = code.includes('.') ? (code.split('.')[0] as string) : 'general';
    owners.set(owner, [...(owners.get(owner) ?? []), [code, spec]]);
  }
  for (const [owner, entries] of owners) {
    lines.push(`## ${owner}`, '', '| code | status | title | what it means |', '| --- | --- | --- | --- |');
    for (const [code, spec] of entries) lines.push(`| \`${code}\` | ${spec.status} | ${spec.title} | ${spec.doc.replace(/\|/g, '\\|')} |`);
    lines.push('');
  }
  return lines.join('\n');
}

export function renderConfiguration(): string {
  const lines = [
    GENERATED,
    '',
    '# Configuration',
    '',
    'Every setting can come from a flag of `gatehouse start`, an environment variable, or the `server:` section of the',
    'file given to `gatehouse start -c FILE`. Flags win over environment variables, which win over the file, which wins',
    'over the default. A bad value stops the start with a message that names the setting and where it came from.',
    '',
    '| file (`server:`) | environment | flag | default | meaning |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const s of SETTINGS) {
    const def = s.default === undefined ? '—' : `\`${String(s.default)}\``;
    const accepts = (s.schema as { description?: string }).description;
    lines.push(`| \`${s.path}\` | ${s.env.map((e) => `\`${e}\``).join(', ')} | \`--${s.flag}\` | ${def} | ${s.doc}${accepts ? ` Accepts ${accepts}.` : ''} |`);
  }
  lines.push('', 'Example `server:` section:', '', '```yaml', 'server:', '  gateway: { port: 8080 }', '  admin: { port: 8081, host: 127.0.0.1 }', '  hub: { port: 8082 }', '  dataDir: ./data', '```', '');
  return lines.join('\n');
}

interface OpenApiOperation {
  summary?: string;
  description?: string;
  'x-gatehouse-roles'?: string[] | string;
}

export async function renderManagementApi(): Promise<string> {
  const { store } = await openStore({ sqliteFile: ':memory:' });
  try {
    const app = await buildAdminApi({ deps: { store, clock: systemClock, changes: new ChangeFeed() }, health: { store, draining: () => false }, version: 'docs', logLevel: false });
    const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation>> };
    await app.close();
    const lines = [
      GENERATED,
      '',
      '# Management API',
      '',
      'All routes live on the admin port (8081 by default) under `/api/v1` and take `Authorization: Bearer <token>`.',
      'Bodies are JSON; unknown fields are errors. Lists take `limit` (1–500, default 100) and `cursor` (the previous',
      "page's `nextCursor`). Single resources carry an `ETag`; send it back as `If-Match` on `PUT` to avoid overwriting",
      "someone else's change (412 if it moved on). The full schema is `GET /api/v1/openapi.json`; try it at `/api/docs`.",
      '',
      '| method | path | what it does | roles |',
      '| --- | --- | --- | --- |',
    ];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const roles = op['x-gatehouse-roles'];
        const who = roles === 'public' ? 'none (public)' : roles === 'authenticated' ? 'any signed-in user' : Array.isArray(roles) ? roles.join(', ') : '—';
        lines.push(`| ${method.toUpperCase()} | \`${path}\` | ${op.summary ?? ''} | ${who} |`);
      }
    }
    lines.push('');
    return lines.join('\n');
  } finally {
    await store.close();
  }
}

const HUB_ACCESS: Record<string, string> = {
  public: 'anybody',
  'signed-in': 'any signed-in account',
  developer: 'developer (own apps)',
  'developer-change': 'active developer (own apps)',
};

export async function renderHubApi(): Promise<string> {
  const { store } = await openStore({ sqliteFile: ':memory:' });
  try {
    const app = await buildHubServer({
      deps: { store, clock: systemClock, changes: new ChangeFeed() },
      health: { store, draining: () => false },
      version: 'docs',
      signup: 'open',
      gatewayUrl: () => 'http://localhost:8080',
      gatewayLocalUrl: () => 'http://127.0.0.1:8080',
      logLevel: false,
    });
    const doc = app.swagger() as { paths: Record<string, Record<string, OpenApiOperation & { 'x-gatehouse-access'?: string }>> };
    await app.close();
    const lines = [
      GENERATED,
      '',
      '# Developer hub API',
      '',
      'The JSON API behind the developer hub, on the hub port (8082 by default) under `/api/v1`. The web app uses it;',
      'so may your own portal. A session comes from `POST /api/v1/session` (or `/signup`) as an HttpOnly cookie;',
      'changes also need the `x-csrf-token` header that `GET /api/v1/session` hands out. A developer only ever sees',
      "their own apps: another developer's app answers 404. The full schema is `GET /api/v1/openapi.json` on the hub port.",
      '',
      '| method | path | what it does | who |',
      '| --- | --- | --- | --- |',
    ];
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const access = op['x-gatehouse-access'];
        lines.push(`| ${method.toUpperCase()} | \`${path}\` | ${op.summary ?? ''} | ${access ? (HUB_ACCESS[access] ?? access) : '—'} |`);
      }
    }
    lines.push('');
    return lines.join('\n');
  } finally {
    await store.close();
  }
}

export function renderDeclarativeFile(): string {
  const lines = [
    GENERATED,
    '',
    '# The declarative file and the resource schemas',
    '',
    '`gatehouse apply -f gatehouse.yaml` and `gatehouse start -c gatehouse.yaml` read this format; `gatehouse export`',
    'writes it. Its entries are the same bodies the management API takes (`POST /apis`, `/products`, `/developers`,',
    '`/developers/{email}/apps`). Any string may use `${VAR}` (from the environment), `${VAR:-default}`, and `$$` for a',
    'literal `$`.',
    '',
  ];
  // Shapes with a schema `title` (step, flow, target, ...) get a section of that name; others are named after
  // where they first appear.
  renderObject('file', DesiredState, lines, new Map());
  return lines.join('\n');
}

export function renderPolicyIndex(): string {
  const lines = [GENERATED, '', '# Policies', '', 'A step runs a policy. Each page lists the config, its defaults, the faults the policy raises (with the', '`fault.name` fault rules match on) and the flow variables it sets.', '', '| policy | Apigee | what it does |', '| --- | --- | --- |'];
  for (const p of BUILT_IN_POLICIES) lines.push(`| [${p.name}](${p.name}.md) | \`${p.apigee}\` | ${p.summary} |`);
  lines.push('');
  return lines.join('\n');
}

export async function generateDocs(): Promise<Record<string, string>> {
  const policies = Object.fromEntries(BUILT_IN_POLICIES.map((p) => [`docs/reference/policies/${p.name}.md`, renderPolicy(p)]));
  return {
    ...policies,
    'docs/reference/policies/README.md': renderPolicyIndex(),
    'docs/reference/errors.md': renderErrors(),
    'docs/reference/configuration.md': renderConfiguration(),
    'docs/reference/management-api.md': await renderManagementApi(),
    'docs/reference/hub-api.md': await renderHubApi(),
    'docs/reference/declarative-file.md': renderDeclarativeFile(),
  };
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [file, content] of Object.entries(await generateDocs())) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), content);
    process.stdout.write(`wrote ${file}\n`);
  }
}
