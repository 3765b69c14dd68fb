// Resolves the process configuration: defaults < config file `server:` section < environment < flags.
// Every value is checked against its setting's schema; a bad one fails boot with a message naming it and its source.
import { Value } from '@sinclair/typebox/value';
import { GatehouseError } from '../errors.ts';
import { SETTINGS, type ServerConfig, type Setting } from './settings.ts';

export type Source = 'default' | 'config file' | 'environment' | 'flag';

export interface LoadInput {
  /** The `server:` section of the config file, if any. */
  file?: Record<string, unknown> | undefined;
  fileName?: string | undefined;
  env?: Record<string, string | undefined>;
  /** Flag values by flag name (without dashes), as parsed from the command line. */
  flags?: Record<string, string | undefined>;
}

function setIn(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = target;
  for (const part of parts.slice(0, -1)) node = (node[part] ??= {}) as Record<string, unknown>;
  node[parts[parts.length - 1] as string] = value;
}

function getIn(source: Record<string, unknown>, path: string): unknown {
  let node: unknown = source;
  for (const part of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Text from the environment or a flag becomes the setting's type: integers are parsed, strict. */
function fromText(setting: Setting, text: string): unknown {
  if (setting.schema.type === 'integer') return /^-?\d+$/.test(text.trim()) ? Number(text.trim()) : text;
  return text;
}

function invalid(setting: Setting, source: Source, name: string, value: unknown): GatehouseError {
  const description = (setting.schema as { description?: string }).description ?? 'a valid value';
  const shown = setting.secret ? '(hidden)' : JSON.stringify(value);
  return new GatehouseError('config.invalid', `Invalid setting ${name} from the ${source}: ${shown} is not ${description}.`, {
    details: { setting: setting.path, source },
  });
}

/** Lists the leaf paths of the file's server section that no setting knows. */
function unknownFileKeys(file: Record<string, unknown>, prefix = ''): string[] {
  const known = new Set(SETTINGS.map((s) => s.path));
  const groups = new Set(SETTINGS.filter((s) => s.path.includes('.')).map((s) => s.path.split('.')[0]));
  const out: string[] = [];
  for (const [key, value] of Object.entries(file)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (known.has(path)) continue;
    if (!prefix && groups.has(key) && value !== null && typeof value === 'object' && !Array.isArray(value)) out.push(...unknownFileKeys(value as Record<string, unknown>, path));
    else out.push(path);
  }
  return out;
}

export function loadConfig(input: LoadInput): ServerConfig {
  const env = input.env ?? {};
  const flags = input.flags ?? {};
  const file = input.file ?? {};
  const fileLabel = input.fileName ? `config file ${input.fileName}` : 'config file';
  const unknown = unknownFileKeys(file);
  if (unknown.length > 0) {
    const names = SETTINGS.map((s) => s.path).join(', ');
    throw new GatehouseError('config.invalid', `Unknown setting ${unknown.map((u) => `server.${u}`).join(', ')} in the ${fileLabel}. Known settings: ${names}.`);
  }
  // Every group exists, even when none of its settings is set, so `config.oauth.issuer` reads as undefined.
  const config: Record<string, unknown> = Object.fromEntries([...new Set(SETTINGS.filter((s) => s.path.includes('.')).map((s) => s.path.split('.')[0] as string))].map((group) => [group, {}]));
  for (const setting of SETTINGS) {
    let value: unknown = setting.default;
    let source: Source = 'default';
    let name = setting.path;
    const fromFile = getIn(file, setting.path);
    if (fromFile !== undefined && fromFile !== null) {
      value = fromFile;
      source = 'config file';
      name = `server.${setting.path}`;
    }
    const envName = setting.env.find((e) => env[e] !== undefined && env[e] !== '');
    if (envName) {
      value = fromText(setting, env[envName] as string);
      source = 'environment';
      name = envName;
    }
    const flag = flags[setting.flag];
    if (flag !== undefined) {
      value = fromText(setting, flag);
      source = 'flag';
      name = `--${setting.flag}`;
    }
    if (value === undefined) continue;
    if (!Value.Check(setting.schema, value)) throw invalid(setting, source, name, value);
    setIn(config, setting.path, value);
  }
  return config as unknown as ServerConfig;
}

/** The settings as the start-up log may show them: secrets masked. */
export function describeConfig(config: ServerConfig): Record<string, unknown> {
  const shown: Record<string, unknown> = {};
  for (const setting of SETTINGS) {
    const value = getIn(config as unknown as Record<string, unknown>, setting.path);
    if (value !== undefined) setIn(shown, setting.path, setting.secret ? '***' : value);
  }
  return shown;
}
