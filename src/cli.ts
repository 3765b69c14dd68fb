#!/usr/bin/env node
// The `gatehouse` command: start, gateway, migrate, apply, export, oauth.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { writeFileSync } from 'node:fs';
import { loadConfig } from './config/load.ts';
import { SETTINGS } from './config/settings.ts';
import { httpClient, ManagementError } from './declarative/client.ts';
import type { DesiredState } from './declarative/schema.ts';
import { GatehouseError } from './errors.ts';
import { start } from './main.ts';
import { openStore } from './store/index.ts';
import { VERSION } from './version.ts';

function out(text: string): void {
  process.stdout.write(`${text}\n`);
}
function err(text: string): void {
  process.stderr.write(`${text}\n`);
}

class UsageError extends Error {}

// The declarative modules (and the YAML parser) load only for the commands that use them, so that a gateway node,
// which never applies anything, does not hold them in memory.
const applying = () => import('./declarative/apply.ts');
const reading = () => import('./declarative/file.ts');

const serverFlags = Object.fromEntries(SETTINGS.map((s) => [s.flag, { type: 'string' as const }]));
const flagHelp = SETTINGS.map((s) => `  --${s.flag.padEnd(22)} ${s.env[0] ?? ''}`).join('\n');

const HELP: Record<string, string> = {
  main: `gatehouse ${VERSION}: self-hosted API management

Usage: gatehouse <command> [options]

Commands:
  start      Run the gateway, the management API and the developer hub in one process
  gateway    Run a gateway node only, beside a 'start' node on the same store (scale-out)
  migrate    Bring the store's schema up to date, then exit
  apply      Make the live state match a declarative file (gatehouse.yaml)
  export     Print the live state as a declarative file (no secrets)
  oauth      OAuth 2.0: 'gatehouse oauth init' (endpoints), 'oauth keys', 'oauth rotate-keys'
  help       Show help for a command

Run 'gatehouse help <command>' for its options. Docs: docs/README.md`,
  start: `Usage: gatehouse start [-c FILE] [options]

Starts everything in one process: the gateway (8080), the management API and console (8081, loopback only),
and the developer hub (8082). The store is SQLite in ./data unless DATABASE_URL names PostgreSQL.

  -c, --config FILE   A declarative file: its 'server:' section sets the options below, and its
                      apis, products and developers are applied once Gatehouse listens.

Options (each also an environment variable; flags win over variables, variables over the file):
${flagHelp}

Without GATEHOUSE_ADMIN_TOKEN, the first start creates an admin and prints its token once.`,
  gateway: `Usage: gatehouse gateway [options]

Starts a gateway node: the gateway port only (8080), without the management API, the console or the developer hub.
Run one 'gatehouse start' node and any number of gateway nodes on one store: the same SQLite file (one machine)
or PostgreSQL (DATABASE_URL). Deployments, products, apps, credentials and key value maps changed through the
'start' node reach every gateway node within the change poll interval (GATEHOUSE_CHANGE_POLL_INTERVAL_MS).
Give every node the same GATEHOUSE_SECRET_KEY (PostgreSQL) and GATEHOUSE_OAUTH_ISSUER. See docs/scaling.md.

Options: the same as 'gatehouse start' (the admin and hub settings are not used), except -c FILE: applying a file
needs the management API, so apply it against the 'start' node (gatehouse apply -f FILE --url ...).
${flagHelp}`,
  migrate: `Usage: gatehouse migrate [--data-dir DIR | --database-url URL]

Applies pending schema migrations to the store and exits. 'start' does this too.`,
  apply: `Usage: gatehouse apply -f FILE [--dry-run] [--url URL] [--token TOKEN]

Compares FILE with what Gatehouse holds, prints the plan, and carries it out through the management API:
APIs that changed get a new revision and are deployed; products, developers and apps are created or updated.
Applying the same file twice changes nothing. \${VAR} in the file is read from the environment.

  -f, --file FILE   The declarative file (YAML or JSON)
  --dry-run         Print the plan only
  --url URL         Management API (GATEHOUSE_URL; default http://127.0.0.1:8081)
  --token TOKEN     Bearer token (GATEHOUSE_TOKEN, or GATEHOUSE_ADMIN_TOKEN)`,
  export: `Usage: gatehouse export [-o FILE] [--url URL] [--token TOKEN]

Prints the live APIs, products, developers and apps in the declarative format. Secrets are never exported.

  -o, --output FILE   Write to FILE instead of standard output
  --url URL           Management API (GATEHOUSE_URL; default http://127.0.0.1:8081)
  --token TOKEN       Bearer token (GATEHOUSE_TOKEN, or GATEHOUSE_ADMIN_TOKEN)`,
  oauth: `Usage: gatehouse oauth init [--base-path PATH] [--format jwt|opaque] [--expires-in SECONDS] [--dry-run] [--url URL] [--token TOKEN]

Creates and deploys the standard OAuth 2.0 APIs on the gateway: an authorization endpoint (authorization code with
PKCE; users sign in and consent on the developer hub), a token endpoint (client credentials, authorization code and
refresh tokens), revocation (RFC 7009) and introspection (RFC 7662), behind client authentication. The gateway then
describes them at /.well-known/oauth-authorization-server (RFC 8414), so clients configure themselves by discovery.
Running it again changes nothing. Add the token API to your products so that apps may use it.

  --base-path PATH      Where the endpoints live (default /oauth: /oauth/authorize, /oauth/token, /oauth/revoke,
                        /oauth/introspect)
  --format FORMAT       jwt (default: RFC 9068 JWTs, ES256, keys at /.well-known/jwks.json) or opaque
  --expires-in SECONDS  Access-token lifetime (default 3600)
  --dry-run             Print the plan only
  --url URL             Management API (GATEHOUSE_URL; default http://127.0.0.1:8081)
  --token TOKEN         Bearer token (GATEHOUSE_TOKEN, or GATEHOUSE_ADMIN_TOKEN)

Usage: gatehouse oauth keys [--url URL] [--token TOKEN]

Lists the keys that sign JWT access tokens (never their private part): the current one, the next one when it is
published ahead of its turn, and retiring ones, still published so that the tokens they signed verify.

Usage: gatehouse oauth rotate-keys [--algorithm ES256|EdDSA|RS256] [--url URL] [--token TOKEN]

Rotates now (after a suspected leak, say; keys also rotate by themselves every 30 days): a new key signs from now on,
and the old one stays published for 24 hours, so tokens in flight still verify. Admins only.

  --algorithm ALG       Rotate only this algorithm's key (default: every algorithm that has one)`,
};

type Values = Record<string, string | boolean | undefined>;

function parse(args: string[], options: ParseArgsConfig['options']): { values: Values } {
  try {
    return parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  } catch (error) {
    throw new UsageError((error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
}

function clientOptions(values: Record<string, unknown>) {
  const url = (values.url as string | undefined) ?? process.env.GATEHOUSE_URL ?? 'http://127.0.0.1:8081';
  const token = (values.token as string | undefined) ?? process.env.GATEHOUSE_TOKEN ?? process.env.GATEHOUSE_ADMIN_TOKEN;
  if (!token) throw new UsageError('No token: pass --token, or set GATEHOUSE_TOKEN (a personal access token) or GATEHOUSE_ADMIN_TOKEN.');
  return httpClient(url, token);
}

/** The settings of a server command: flags over environment over the `server:` section of the file, if any. */
function serverConfig(values: Values, desired: DesiredState | undefined, file: string | undefined) {
  const flags = Object.fromEntries(SETTINGS.map((s) => [s.flag, values[s.flag] as string | undefined]));
  return loadConfig({ file: desired?.server, fileName: file, env: process.env, flags });
}

async function startCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { config: { type: 'string', short: 'c' }, ...serverFlags });
  if (values.help) return out(HELP.start as string);
  const file = values.config as string | undefined;
  const desired = file ? (await reading()).readDesiredState(file, process.env) : undefined;
  const running = await start({ config: serverConfig(values, desired, file), desired });
  out(`Gatehouse ${VERSION} is running.`);
  out(`  gateway          ${running.urls.gateway}`);
  out(`  admin console    ${running.urls.admin}/`);
  out(`  management API   ${running.urls.admin}/api/v1   (docs: ${running.urls.admin}/api/docs)`);
  out(`  developer hub    ${running.urls.hub}`);
  out(`  store            ${running.storeLocation}${running.migrationsApplied.length ? ` (migrated: ${running.migrationsApplied.join(', ')})` : ''}`);
  if (running.bootstrap.printedToken) {
    out('');
    out(`Created the first admin, ${running.bootstrap.email}. Its token, shown only this once:`);
    out('');
    out(`  ${running.bootstrap.printedToken}`);
    out('');
    out('Keep it safe: export GATEHOUSE_TOKEN=<token> for the CLI, or set GATEHOUSE_ADMIN_TOKEN yourself to choose it.');
    out(`Sign in to the admin console (${running.urls.admin}/) with it, then add users with passwords under Users.`);
  } else if (running.bootstrap.outcome === 'configured-token') {
    out(`  admin            ${running.bootstrap.email} (token from GATEHOUSE_ADMIN_TOKEN)`);
  }
  if (running.applied) {
    out('');
    out(`Applied ${file}:`);
    out((await applying()).formatPlan(running.applied.steps));
  }
  stopOnSignals(running);
}

async function gatewayCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { config: { type: 'string', short: 'c' }, ...serverFlags });
  if (values.help) return out(HELP.gateway as string);
  if (values.config !== undefined) {
    throw new UsageError("A gateway node takes no -c FILE: applying a file needs the management API, which only 'gatehouse start' runs. Apply the file to the start node (gatehouse apply -f FILE --url URL), and give this node its settings by flags or environment variables.");
  }
  const config = serverConfig(values, undefined, undefined);
  const running = await start({ config, role: 'gateway' });
  out(`Gatehouse ${VERSION} gateway node is running (the gateway only: no management API, console or developer hub).`);
  out(`  gateway          ${running.urls.gateway}`);
  out(`  store            ${running.storeLocation}${running.migrationsApplied.length ? ` (migrated: ${running.migrationsApplied.join(', ')})` : ''}`);
  out(`  changes          read from the store every ${config.cluster.changePollIntervalMs} ms (node ${running.origin})`);
  stopOnSignals(running);
}

/** Stops on SIGTERM or SIGINT, letting in-flight requests finish, then prints the ready line. */
function stopOnSignals(running: { stop(): Promise<void> }): void {
  // The handlers go in before the ready line: whoever reads that line may signal at once.
  let signalled = false;
  const shutdown = (signal: string) => {
    if (signalled) return;
    signalled = true;
    out(`${signal}: finishing in-flight requests and stopping…`);
    running.stop().then(
      () => {
        out('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        err(`Error while stopping: ${(error as Error).message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  out('');
  out('Press Ctrl+C to stop.');
}

async function migrateCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { 'data-dir': { type: 'string' }, 'database-url': { type: 'string' } });
  if (values.help) return out(HELP.migrate as string);
  const config = loadConfig({ env: process.env, flags: { 'data-dir': values['data-dir'] as string | undefined, 'database-url': values['database-url'] as string | undefined } });
  const { store, location, migrations } = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  await store.close();
  out(migrations.applied.length ? `${location}: applied ${migrations.applied.join(', ')}.` : `${location}: already up to date.`);
}

async function applyCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { file: { type: 'string', short: 'f' }, 'dry-run': { type: 'boolean' }, url: { type: 'string' }, token: { type: 'string' } });
  if (values.help) return out(HELP.apply as string);
  const file = values.file as string | undefined;
  if (!file) throw new UsageError('Which file? Pass -f gatehouse.yaml.');
  const { apply, formatPlan, summarise } = await applying();
  const state = (await reading()).readDesiredState(file, process.env);
  const client = clientOptions(values);
  const dryRun = values['dry-run'] === true;
  const result = await apply(client, state, { dryRun });
  if (!result.changed) {
    out(formatPlan(result.steps));
    out(`No changes: everything in ${file} is already in place.`);
    return;
  }
  out(`${dryRun ? 'Plan' : 'Applied'} for ${file}:`);
  out(formatPlan(result.steps));
  out(dryRun ? `${summarise(result.steps)}. Dry run: nothing was changed.` : `Done: ${summarise(result.steps, 'done')}.`);
}

async function exportCommand(args: string[]): Promise<void> {
  const { values } = parse(args, { output: { type: 'string', short: 'o' }, url: { type: 'string' }, token: { type: 'string' } });
  if (values.help) return out(HELP.export as string);
  const { exportState, toYaml } = await import('./declarative/export.ts');
  const yaml = toYaml(await exportState(clientOptions(values)));
  if (values.output) {
    writeFileSync(values.output as string, yaml);
    err(`Wrote ${values.output as string}.`);
  } else process.stdout.write(yaml);
}

async function oauthCommand(args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === '--help' || sub === '-h') return out(HELP.oauth as string);
  if (sub === 'keys' || sub === 'rotate-keys') return oauthKeysCommand(sub, rest);
  if (sub !== 'init') throw new UsageError(`Unknown 'oauth' command '${sub}'. There are: init, keys, rotate-keys.`);
  const { values } = parse(rest, { 'base-path': { type: 'string' }, format: { type: 'string' }, 'expires-in': { type: 'string' }, 'dry-run': { type: 'boolean' }, url: { type: 'string' }, token: { type: 'string' } });
  if (values.help) return out(HELP.oauth as string);
  const [{ OAUTH_INIT_DEFAULTS, oauthInitState }, { apply, formatPlan, summarise }] = await Promise.all([import('./declarative/oauth-init.ts'), applying()]);
  const basePath = (values['base-path'] as string | undefined) ?? OAUTH_INIT_DEFAULTS.basePath;
  if (!/^\/[A-Za-z0-9._~/-]*$/.test(basePath)) throw new UsageError(`--base-path must be a path such as /oauth, not '${basePath}'.`);
  const format = (values.format as string | undefined) ?? OAUTH_INIT_DEFAULTS.tokenFormat;
  if (format !== 'jwt' && format !== 'opaque') throw new UsageError(`--format is jwt or opaque, not '${format}'.`);
  const seconds = values['expires-in'] === undefined ? OAUTH_INIT_DEFAULTS.expiresIn / 1000 : Number(values['expires-in']);
  if (!Number.isSafeInteger(seconds) || seconds < 1) throw new UsageError(`--expires-in is a whole number of seconds, at least 1, not '${values['expires-in'] as string}'.`);
  const dryRun = values['dry-run'] === true;
  const result = await apply(clientOptions(values), oauthInitState({ basePath, tokenFormat: format, expiresIn: seconds * 1000 }), { dryRun });
  out(formatPlan(result.steps));
  if (dryRun) return out(`${summarise(result.steps)}. Dry run: nothing was changed.`);
  out(result.changed ? `Done: ${summarise(result.steps, 'done')}.` : 'No changes: the OAuth endpoints are already in place.');
  out('');
  out('On the gateway, clients find them at /.well-known/oauth-authorization-server. Add the oauth-token API to the');
  out('products your apps use (Apigee\'s rule: a token covers only its products\' APIs, and the token API must be one).');
}

async function oauthKeysCommand(sub: 'keys' | 'rotate-keys', args: string[]): Promise<void> {
  const { values } = parse(args, { ...(sub === 'rotate-keys' ? { algorithm: { type: 'string' as const } } : {}), url: { type: 'string' }, token: { type: 'string' } });
  if (values.help) return out(HELP.oauth as string);
  const { formatRotation, formatSigningKeys, listSigningKeys, rotateSigningKeys } = await import('./declarative/signing-keys.ts');
  if (sub === 'keys') return out(formatSigningKeys((await listSigningKeys(clientOptions(values))).items));
  const algorithm = values.algorithm as string | undefined;
  if (algorithm !== undefined && algorithm !== 'ES256' && algorithm !== 'EdDSA' && algorithm !== 'RS256') throw new UsageError(`--algorithm is ES256, EdDSA or RS256, not '${algorithm}'.`);
  const result = await rotateSigningKeys(clientOptions(values), algorithm);
  out(formatRotation(result));
  out('');
  out(formatSigningKeys(result.items));
}

const COMMANDS: Record<string, (args: string[]) => Promise<void>> = { start: startCommand, migrate: migrateCommand, apply: applyCommand, export: exportCommand, oauth: oauthCommand, gateway: gatewayCommand };

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h') {
    out(HELP.main as string);
    return 0;
  }
  if (command === '--version' || command === '-v') {
    out(VERSION);
    return 0;
  }
  if (command === 'help') {
    out(HELP[rest[0] ?? 'main'] ?? HELP.main ?? '');
    return 0;
  }
  const run = COMMANDS[command];
  if (!run) {
    err(`Unknown command '${command}'. Commands: ${Object.keys(COMMANDS).join(', ')}. See 'gatehouse --help'.`);
    return 2;
  }
  try {
    await run(rest);
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\nSee 'gatehouse help ${command}'.`);
      return 2;
    }
    if (error instanceof GatehouseError || error instanceof ManagementError) {
      err(`gatehouse ${command}: ${error.message}`);
      return 1;
    }
    err(`gatehouse ${command}: ${(error as Error).message}`);
    return 1;
  }
}

// Run when executed as a program, not when imported by tests.
const invoked = process.argv[1] ?? '';
if (/[\\/](cli\.(ts|js)|gatehouse)$/.test(invoked)) {
  main(process.argv.slice(2)).then((code) => {
    // `start` and `gateway` keep running; every other command is done.
    if (code !== 0 || !['start', 'gateway'].includes(process.argv[2] ?? '')) process.exitCode = code;
  });
}
