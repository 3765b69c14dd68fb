// `apply`: compares a declarative file with the live state, prints the plan, and (unless dry-run) carries it out
// through the management API, in dependency order: APIs (saved and deployed), key value maps, products, developers, apps.
import { ApiSpec, type ApiView } from '../model/api.ts';
import { AppSpec, type AppView } from '../model/app.ts';
import { DeveloperSpec, type DeveloperView } from '../model/developer.ts';
import { KeyValueMapSpec, type KeyValueEntryView, type KeyValueMapView } from '../model/key-value-map.ts';
import { ProductSpec, type ProductView } from '../model/product.ts';
import { expectOk, getOptional, listAll, type ManagementClient } from './client.ts';
import { describeChanges, pickSpec } from './diff.ts';
import type { DesiredState } from './schema.ts';

export type StepAction = 'create' | 'update' | 'deploy' | 'unchanged';

export interface PlanStep {
  kind: 'api' | 'kvm' | 'product' | 'developer' | 'app' | 'credential';
  name: string;
  action: StepAction;
  /** What changes, in words. */
  notes: string[];
  /** Carries the step out; may return lines to show once (a generated secret). */
  run?: () => Promise<string[] | void>;
  /** What the run returned, for the report. */
  shown?: string[];
}

export interface ApplyResult {
  steps: PlanStep[];
  changed: boolean;
}

const API_KEYS = Object.keys(ApiSpec.properties);
const PRODUCT_KEYS = Object.keys(ProductSpec.properties);
const DEVELOPER_KEYS = Object.keys(DeveloperSpec.properties);
const APP_KEYS = Object.keys(AppSpec.properties);
const KVM_KEYS = Object.keys(KeyValueMapSpec.properties);

const seg = encodeURIComponent;

async function planApis(client: ManagementClient, state: DesiredState): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const spec of state.apis ?? []) {
    const path = `/apis/${seg(spec.name)}`;
    const current = await getOptional<ApiView>(client, path);
    const deploy = async (revision: number) => {
      await expectOk(client, 'POST', `${path}/revisions/${revision}/deployment`);
    };
    if (!current) {
      steps.push({
        kind: 'api',
        name: spec.name,
        action: 'create',
        notes: [`base path ${spec.basePath}`, 'deploy revision 1'],
        run: async () => {
          const created = await expectOk<ApiView>(client, 'POST', '/apis', spec);
          await deploy(created.revision);
        },
      });
      continue;
    }
    const changes = describeChanges(pickSpec(current, API_KEYS), spec);
    if (changes.length > 0) {
      steps.push({
        kind: 'api',
        name: spec.name,
        action: 'update',
        notes: [...changes, `save revision ${current.latestRevision + 1} and deploy it`],
        run: async () => {
          const saved = await expectOk<ApiView>(client, 'PUT', path, spec);
          await deploy(saved.revision);
        },
      });
    } else if (current.deployedRevision !== current.latestRevision) {
      steps.push({
        kind: 'api',
        name: spec.name,
        action: 'deploy',
        notes: [`deploy revision ${current.latestRevision}${current.deployedRevision ? ` (revision ${current.deployedRevision} is deployed)` : ''}`],
        run: () => deploy(current.latestRevision),
      });
    } else {
      steps.push({ kind: 'api', name: spec.name, action: 'unchanged', notes: [`revision ${current.latestRevision} deployed`] });
    }
  }
  return steps;
}

function entries(n: number): string {
  return `${n} ${n === 1 ? 'entry' : 'entries'}`;
}

/**
 * Key value maps: created or updated to match, then the listed entries set. Entries the file does not list are
 * kept (apply never deletes). An unencrypted map's entries are compared by value; an encrypted map's values cannot be
 * read back, so every listed value is written on every apply and the plan says so rather than guessing "unchanged".
 */
async function planKeyValueMaps(client: ManagementClient, state: DesiredState): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const entry of state.keyValueMaps ?? []) {
    const { entries: listed = {}, ...spec } = entry;
    const scope = spec.api ? `?api=${seg(spec.api)}` : '';
    const path = `/keyvaluemaps/${seg(spec.name)}`;
    const label = spec.api ? `${spec.api}/${spec.name}` : spec.name;
    const encrypted = spec.encrypted ?? false;
    const current = await getOptional<KeyValueMapView>(client, `${path}${scope}`);
    const putEntries = (keys: readonly string[]) => async () => {
      for (const key of keys) await expectOk(client, 'PUT', `${path}/entries/${seg(key)}${scope}`, { value: listed[key] });
    };
    const allKeys = Object.keys(listed);
    if (!current) {
      steps.push({
        kind: 'kvm',
        name: label,
        action: 'create',
        notes: [`${encrypted ? 'encrypted, ' : ''}${entries(allKeys.length)}`],
        run: async () => {
          await expectOk(client, 'POST', '/keyvaluemaps', spec);
          await putEntries(allKeys)();
        },
      });
      continue;
    }
    const settings = describeChanges(pickSpec(current, KVM_KEYS), { ...spec, encrypted });
    const notes = [...settings];
    let keys: string[];
    if (current.encrypted) {
      keys = allKeys;
      if (keys.length > 0) notes.push(`write ${keys.length === 1 ? 'the 1 listed value' : `all ${keys.length} listed values`} (encrypted: values cannot be read back to compare)`);
    } else {
      const live = new Map((await listAll<KeyValueEntryView>(client, `${path}/entries${scope}`)).map((e) => [e.key, e.value]));
      keys = allKeys.filter((key) => live.get(key) !== listed[key]);
      for (const key of keys) notes.push(`entry ${JSON.stringify(key)}: ${live.has(key) ? 'value changes' : 'added'}`);
    }
    steps.push(
      notes.length === 0
        ? { kind: 'kvm', name: label, action: 'unchanged', notes: [] }
        : {
            kind: 'kvm',
            name: label,
            action: 'update',
            notes,
            run: async () => {
              if (settings.length > 0) await expectOk(client, 'PUT', `${path}${scope}`, spec);
              await putEntries(keys)();
            },
          },
    );
  }
  return steps;
}

async function planProducts(client: ManagementClient, state: DesiredState): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const spec of state.products ?? []) {
    const path = `/products/${seg(spec.name)}`;
    const current = await getOptional<ProductView>(client, path);
    if (!current) {
      steps.push({ kind: 'product', name: spec.name, action: 'create', notes: [], run: () => expectOk(client, 'POST', '/products', spec).then(() => {}) });
      continue;
    }
    const changes = describeChanges(pickSpec(current, PRODUCT_KEYS), spec);
    steps.push(
      changes.length === 0
        ? { kind: 'product', name: spec.name, action: 'unchanged', notes: [] }
        : { kind: 'product', name: spec.name, action: 'update', notes: changes, run: () => expectOk(client, 'PUT', path, spec).then(() => {}) },
    );
  }
  return steps;
}

async function planDevelopers(client: ManagementClient, state: DesiredState): Promise<PlanStep[]> {
  const steps: PlanStep[] = [];
  for (const entry of state.developers ?? []) {
    const { apps = [], ...spec } = entry;
    const base = `/developers/${seg(spec.email)}`;
    const current = await getOptional<DeveloperView>(client, base);
    if (!current) {
      steps.push({ kind: 'developer', name: spec.email, action: 'create', notes: [], run: () => expectOk(client, 'POST', '/developers', spec).then(() => {}) });
    } else {
      const changes = describeChanges(pickSpec(current, DEVELOPER_KEYS), spec);
      steps.push(
        changes.length === 0
          ? { kind: 'developer', name: spec.email, action: 'unchanged', notes: [] }
          : { kind: 'developer', name: spec.email, action: 'update', notes: changes, run: () => expectOk(client, 'PUT', base, spec).then(() => {}) },
      );
    }
    for (const app of apps) steps.push(...(await planApp(client, spec.email, app, current !== undefined)));
  }
  return steps;
}

async function planApp(client: ManagementClient, email: string, entry: NonNullable<NonNullable<DesiredState['developers']>[number]['apps']>[number], developerExists: boolean): Promise<PlanStep[]> {
  const { credentials = [], ...spec } = entry;
  const label = `${email}/${spec.name}`;
  const path = `/developers/${seg(email)}/apps/${seg(spec.name)}`;
  const current = developerExists ? await getOptional<AppView>(client, path) : undefined;
  if (!current) {
    const body = credentials.length > 0 ? { ...spec, credentials } : spec;
    const notes = credentials.length > 0 ? [`import ${credentials.length} credential${credentials.length > 1 ? 's' : ''} (${credentials.map((c) => c.clientId).join(', ')})`] : ['generate a credential'];
    return [
      {
        kind: 'app',
        name: label,
        action: 'create',
        notes,
        run: async () => {
          const created = await expectOk<AppView>(client, 'POST', `/developers/${seg(email)}/apps`, body);
          // A generated secret appears in this response only: show it, or nobody ever will.
          return created.credentials
            .filter((c) => c.clientSecret !== undefined)
            .map((c) => `client id ${c.clientId}, client secret ${c.clientSecret as string} (shown once; keep it safe)`);
        },
      },
    ];
  }
  const steps: PlanStep[] = [];
  const changes = describeChanges(pickSpec(current, APP_KEYS), spec);
  steps.push(
    changes.length === 0
      ? { kind: 'app', name: label, action: 'unchanged', notes: [] }
      : { kind: 'app', name: label, action: 'update', notes: changes, run: () => expectOk(client, 'PUT', path, spec).then(() => {}) },
  );
  for (const credential of credentials) {
    const existing = current.credentials.find((c) => c.clientId === credential.clientId);
    const credentialPath = `${path}/credentials/${seg(credential.clientId)}`;
    if (!existing) {
      steps.push({ kind: 'credential', name: credential.clientId, action: 'create', notes: [`import into ${label}`], run: () => expectOk(client, 'POST', `${path}/credentials`, credential).then(() => {}) });
      continue;
    }
    const { matches } = await expectOk<{ matches: boolean }>(client, 'POST', `${credentialPath}/check-secret`, { clientSecret: credential.clientSecret });
    steps.push(
      matches
        ? { kind: 'credential', name: credential.clientId, action: 'unchanged', notes: [] }
        : {
            kind: 'credential',
            name: credential.clientId,
            action: 'update',
            notes: ['the secret differs: set the one in the file'],
            run: () => expectOk(client, 'POST', `${credentialPath}/regenerate`, { clientSecret: credential.clientSecret }).then(() => {}),
          },
    );
  }
  return steps;
}

/** Computes the plan: one step per entity in the file, in the order they must be carried out. */
export async function plan(client: ManagementClient, state: DesiredState): Promise<PlanStep[]> {
  return [...(await planApis(client, state)), ...(await planKeyValueMaps(client, state)), ...(await planProducts(client, state)), ...(await planDevelopers(client, state))];
}

export async function apply(client: ManagementClient, state: DesiredState, options: { dryRun?: boolean; onStep?: (step: PlanStep) => void } = {}): Promise<ApplyResult> {
  // Products refer to APIs and apps to products, so a later step's plan may depend on an earlier step's
  // result; planning everything first is still right because every reference is by name.
  const steps = await plan(client, state);
  const changed = steps.some((s) => s.action !== 'unchanged');
  if (!options.dryRun) {
    for (const step of steps) {
      const shown = step.run ? await step.run() : undefined;
      if (shown && shown.length > 0) step.shown = shown;
      options.onStep?.(step);
    }
  }
  return { steps, changed };
}

const SYMBOL: Record<StepAction, string> = { create: '+', update: '~', deploy: '>', unchanged: '=' };

/** The plan as people read it: one line per entity, its changes indented below. */
export function formatPlan(steps: readonly PlanStep[]): string {
  const width = Math.max(0, ...steps.map((s) => `${s.kind} ${s.name}`.length));
  const lines: string[] = [];
  for (const step of steps) {
    const label = `${step.kind} ${step.name}`.padEnd(width);
    const inline = step.action === 'update' ? '' : step.notes.join('; ');
    lines.push(`  ${SYMBOL[step.action]} ${label}  ${step.action}${inline ? `: ${inline}` : ''}`);
    if (step.action === 'update') for (const note of step.notes) lines.push(`      ${note}`);
    for (const line of step.shown ?? []) lines.push(`      ${line}`);
  }
  return lines.join('\n');
}

/** "2 to create, 1 unchanged" for a plan; "2 created, 1 unchanged" once done. */
export function summarise(steps: readonly PlanStep[], tense: 'plan' | 'done' = 'plan'): string {
  const count = (action: StepAction) => steps.filter((s) => s.action === action).length;
  const verb = (action: 'create' | 'update' | 'deploy') => (tense === 'plan' ? `to ${action}` : `${action}d`);
  const parts = [
    count('create') && `${count('create')} ${verb('create')}`,
    count('update') && `${count('update')} ${verb('update')}`,
    count('deploy') && `${count('deploy')} ${verb('deploy')}`,
    count('unchanged') && `${count('unchanged')} unchanged`,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'nothing declared';
}
