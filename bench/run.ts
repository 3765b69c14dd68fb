// `npm run bench`: runs the scenarios against one upstream in one session, prints the table, writes the JSON, and
// (for a full run) updates bench/results/latest.json, its chart and docs/performance.md.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LATENCY_MEASURES, SCENARIOS, SCHEDULE, type ScenarioInfo } from './catalogue.ts';
import { ensureBuilt, GATEHOUSE_PATHS, basic, benchClients, copyDataDir, gatehouseFile, issueToken, issueTokens, SEED_TOKEN_PREFIX, seedTokens, startGatehouse, stopGatehouse, writeJson, type BenchClient, type RunningGatehouse } from './gatehouse.ts';
import type { FixedRateResult } from './fixed-rate.ts';
import { generatorLagged, MAX_SEND_LAG_P99_MS } from './fixed-rate-validity.ts';
import { chooseSaturator, CONNECTIONS, runFixedRate, type Saturator } from './generators.ts';
import { addedP99 } from './goals.ts';
import type { LoadResult, RequestPlan, RequestSpec } from './load.ts';
import { seededToken } from './load.ts';
import { gatehouseVersion, machine } from './machine.ts';
import { nginxVersion, prepareNginx } from './nginx.ts';
import { parseOptions, publishes, selected, USAGE, type BenchOptions } from './options.ts';
import { ensurePeers, type PeerInstall } from './peers.ts';
import { formatProfileSummary, sourceMapper, summariseProfile, type CpuProfile } from './profile.ts';
import { chooseCores, freePort, onExit, peakRss, probe, startProcess, stop, stopAll, waitUntil, type Cores, type Started } from './processes.ts';
import { renderDoc } from './report/markdown.ts';
import { renderSvg } from './report/svg.ts';
import { consoleReport } from './report/table.ts';
import type { BenchReport, LatencyResult, ScenarioResult } from './results.ts';
import { MAX_ERROR_RATE, median, summarise } from './stats.ts';

// Compiled into node_modules/.cache/gatehouse-bench/ (out of the linter's way), run from the package root by npm.
const buildDir = fileURLToPath(new URL('.', import.meta.url));
const root = [fileURLToPath(new URL('../../..', import.meta.url)), process.cwd()].find((dir) => existsSync(join(dir, 'bench/run.ts'))) ?? process.cwd();
const benchDir = join(root, 'bench');
const peersDir = join(benchDir, 'peers');
const resultsDir = join(benchDir, 'results');
const docFile = join(root, 'docs/performance.md');
/** Rounds of the latency measures (each: the bare proxy, then the gateway, 10 s apiece at the same rate). Three gave
 * added p99s from 0.0 to 3.3 ms for one build on this machine in one afternoon; five narrow the median's spread. */
const LATENCY_ROUNDS = 5;

const say = (text: string): void => {
  process.stdout.write(`${text}\n`);
};

/** A scenario could not run here: reported as skipped with the reason, never as a number. */
class Skip extends Error {}

interface Session {
  options: BenchOptions;
  cores: Cores;
  workDir: string;
  saturator: Saturator;
  clients: BenchClient[];
  clientsFile: string;
  upstream: { process: Started; port: number; origin: string };
  peers?: PeerInstall;
  gatehouse?: { configFile: string; template: string; template1m?: string; secretKey: string; adminToken: string };
  profileDir?: string;
  notes: string[];
}

// --- request plans --------------------------------------------------------------------------------------------

/** 64 GETs, one per client, each with a bearer token: real ones for gateways that verify, same-sized stand-ins else. */
function getPlan(path: string, tokens: readonly string[]): RequestSpec[] {
  return tokens.map((token) => ({ method: 'GET', path, headers: { authorization: `Bearer ${token}` } }));
}

const standInTokens = (n: number) => Array.from({ length: n }, (_, i) => `stand-in-token-${String(i).padStart(2, '0')}-${'x'.repeat(25)}`);

/** 64 token requests, one per client: client_credentials with HTTP Basic. */
function tokenPlan(path: string, clients: readonly BenchClient[]): RequestSpec[] {
  return clients.map((c) => ({ method: 'POST', path, headers: { authorization: basic(c), 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' }));
}

/** Sends the first request of a plan once, so a misconfigured scenario fails with its answer, not with a number. */
async function checkFirst(origin: string, spec: RequestSpec | undefined): Promise<void> {
  if (!spec) throw new Error('The scenario has no requests.');
  const response = await fetch(`${origin}${spec.path}`, { method: spec.method, headers: spec.headers, ...(spec.body === undefined ? {} : { body: spec.body }) });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`${spec.method} ${spec.path} answered ${response.status}, not 200: ${text.slice(0, 300)}`);
}

// --- measuring ------------------------------------------------------------------------------------------------

/** A scenario's server, started, set up and ready for load. */
interface Prepared {
  info: ScenarioInfo;
  server: Started;
  origin: string;
  plan: RequestPlan;
  extra: Partial<ScenarioResult>;
  close(): Promise<void>;
}

type Runner = (session: Session, info: ScenarioInfo) => Promise<Prepared>;

/**
 * Measures every prepared scenario in interleaved rounds: a warm-up each, then round after round one run of each
 * (in SCHEDULE's order, reversed every other round), so that drift on a shared machine reaches all scenarios alike
 * and each floor is measured next to the scenarios compared with it. The medians of the runs are reported; ratios
 * are taken round by round (goals.ts).
 */
async function measureAll(session: Session, unordered: Prepared[]): Promise<Map<string, ScenarioResult>> {
  const place = (p: Prepared) => (SCHEDULE.includes(p.info.id) ? SCHEDULE.indexOf(p.info.id) : SCHEDULE.length);
  const prepared = [...unordered].sort((a, b) => place(a) - place(b));
  const { options, saturator } = session;
  const runs = new Map<string, LoadResult[]>(prepared.map((p) => [p.info.id, []]));
  const failed = new Map<string, string>();
  const attempt = async (p: Prepared, durationS: number, keep: boolean) => {
    if (failed.has(p.info.id)) return;
    try {
      const result = await saturator.run(p.origin, p.plan, durationS);
      if (keep) runs.get(p.info.id)?.push(result);
    } catch (error) {
      failed.set(p.info.id, (error as Error).message.split('\n').slice(0, 4).join(' '));
    }
  };
  const began = Date.now();
  if (options.warmupS > 0) {
    say(`Warm-up: ${options.warmupS} s at full load for each of ${prepared.length} scenario(s)…`);
    for (const p of prepared) await attempt(p, options.warmupS, false);
  }
  for (let round = 0; round < options.runs; round++) {
    const order = round % 2 === 0 ? prepared : [...prepared].reverse();
    for (const p of order) await attempt(p, options.durationS, true);
    say(`Round ${round + 1}/${options.runs} done (${((Date.now() - began) / 1000).toFixed(0)} s).`);
  }
  const results = new Map<string, ScenarioResult>();
  for (const p of prepared) {
    const base = { id: p.info.id, title: p.info.title, kind: p.info.kind };
    const done = runs.get(p.info.id) ?? [];
    const reason = failed.get(p.info.id);
    if (reason !== undefined || done.length === 0) {
      results.set(p.info.id, { ...base, status: 'failed', reason: reason ?? 'no run finished', ...p.extra });
      continue;
    }
    const summary = summarise(done);
    const peakRssBytes = peakRss(p.server.pid);
    const status = summary.errorRate > MAX_ERROR_RATE ? 'invalid' : 'ok';
    results.set(p.info.id, { ...base, status, summary, runs: done, ...(peakRssBytes === undefined ? {} : { peakRssBytes }), ...p.extra });
  }
  return results;
}

async function startNode(core: string, name: string, script: string, args: string[], readyPath: string): Promise<{ process: Started; port: number; origin: string }> {
  const port = await freePort();
  const p = startProcess(name, process.execPath, [script, String(port), ...args], { core, env: { ...process.env, NODE_ENV: 'production' } });
  await waitUntil(p, `${name} listened`, async () => (await probe(port, readyPath)) !== undefined, 30_000);
  return { process: p, port, origin: `http://127.0.0.1:${port}` };
}

// --- Gatehouse ------------------------------------------------------------------------------------------------

async function gatehouseSetup(session: Session): Promise<NonNullable<Session['gatehouse']>> {
  if (session.gatehouse) return session.gatehouse;
  const configFile = writeJson(join(session.workDir, 'gatehouse.json'), gatehouseFile(session.upstream.origin, session.clients));
  const template = join(session.workDir, 'gatehouse-template');
  const secretKey = randomBytes(32).toString('base64url');
  const adminToken = randomBytes(24).toString('base64url');
  say('Preparing a Gatehouse data directory (apply the bench file once)…');
  const running = await startGatehouse({ root, configFile, dataDir: template, core: session.cores.server, secretKey, adminToken, nodeFlags: session.options.gatehouseNodeFlags });
  await stopGatehouse(running);
  session.gatehouse = { configFile, template, secretKey, adminToken };
  return session.gatehouse;
}

async function gatehouseFor(session: Session, id: string, template: string, ready: { path?: string; headers?: Record<string, string> } = {}, role: 'start' | 'gateway' = 'gateway'): Promise<{ g: RunningGatehouse; close(): Promise<void> }> {
  const setup = await gatehouseSetup(session);
  const dataDir = join(session.workDir, `data-${id}`);
  copyDataDir(template, dataDir);
  const g = await startGatehouse({ root, configFile: setup.configFile, dataDir, core: session.cores.server, secretKey: setup.secretKey, adminToken: setup.adminToken, cpuProfDir: session.profileDir, profileName: id, role, nodeFlags: session.options.gatehouseNodeFlags }, ready.path, ready.headers);
  return {
    g,
    async close() {
      await stopGatehouse(g);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs `body`, then `close` whatever happened. */
async function closingAfter<T>(close: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } finally {
    await close();
  }
}

/** Runs `body`, and `close` if it throws (a scenario that fails to set up leaves nothing running). */
async function closingOnError<T>(close: () => Promise<void>, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    await close();
    throw error;
  }
}

async function template1m(session: Session): Promise<string> {
  const setup = await gatehouseSetup(session);
  if (setup.template1m) return setup.template1m;
  const dir = join(session.workDir, 'gatehouse-template-1m');
  copyDataDir(setup.template, dir);
  say(`Seeding ${session.options.seedTokens.toLocaleString('en-US')} tokens into SQLite…`);
  const { ms } = seedTokens(join(dir, 'gatehouse.db'), session.options.seedTokens);
  session.notes.push(`${session.options.seedTokens.toLocaleString('en-US')} tokens were seeded straight into the SQLite file in one transaction in ${(ms / 1000).toFixed(1)} s, before start.`);
  setup.template1m = dir;
  return dir;
}

/** The requests of a Gatehouse scenario, given a running Gatehouse (tokens are issued by it). */
async function gatehousePlan(session: Session, id: string, g: RunningGatehouse): Promise<RequestPlan> {
  const { clients } = session;
  switch (id) {
    case 'gatehouse-proxy':
    case 'gatehouse-start-proxy':
      return { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.proxy, standInTokens(clients.length)) };
    case 'gatehouse-verify-opaque':
      return { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.guarded, await issueTokens(g.gatewayPort, GATEHOUSE_PATHS.tokenOpaque, clients)) };
    case 'gatehouse-verify-jwt':
      return { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.guarded, await issueTokens(g.gatewayPort, GATEHOUSE_PATHS.tokenJwt, clients)) };
    case 'gatehouse-token-opaque':
    case 'gatehouse-1m-token-opaque':
      return { kind: 'list', requests: tokenPlan(GATEHOUSE_PATHS.tokenOpaque, clients) };
    case 'gatehouse-token-jwt':
      return { kind: 'list', requests: tokenPlan(GATEHOUSE_PATHS.tokenJwt, clients) };
    case 'gatehouse-token-jwt-rs256':
      return { kind: 'list', requests: tokenPlan(GATEHOUSE_PATHS.tokenRs256, clients) };
    case 'gatehouse-1m-verify-opaque':
      return { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.guarded, clients.map((_, i) => seededToken(SEED_TOKEN_PREFIX, i))) };
    case 'gatehouse-1m-verify-uncached':
      return { kind: 'seeded', path: GATEHOUSE_PATHS.guarded, tokenPrefix: SEED_TOKEN_PREFIX, count: session.options.seedTokens };
    default:
      throw new Error(`No plan for ${id}.`);
  }
}

async function prepareGatehouse(session: Session, info: ScenarioInfo): Promise<Prepared> {
  const seeded = info.id.startsWith('gatehouse-1m-');
  const template = seeded ? await template1m(session) : (await gatehouseSetup(session)).template;
  // With a seeded store, "ready" means a seeded token is verified, not merely that the port answers.
  const ready = seeded ? { path: GATEHOUSE_PATHS.guarded, headers: { authorization: `Bearer ${seededToken(SEED_TOKEN_PREFIX, 0)}` } } : {};
  const { g, close } = await gatehouseFor(session, info.id, template, ready, info.id === 'gatehouse-start-proxy' ? 'start' : 'gateway');
  return closingOnError(close, async () => {
    const plan = await gatehousePlan(session, info.id, g);
    return { info, server: g.process, origin: `http://127.0.0.1:${g.gatewayPort}`, plan, extra: { readyMs: g.readyMs }, close };
  });
}

// --- the floors and peers -------------------------------------------------------------------------------------

async function prepareFloor(session: Session, info: ScenarioInfo): Promise<Prepared> {
  const proxyPlan: RequestPlan = { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.proxy, standInTokens(session.clients.length)) };
  if (info.id === 'ceiling') return { info, server: session.upstream.process, origin: session.upstream.origin, plan: proxyPlan, extra: {}, close: async () => {} };
  if (info.id === 'nginx') {
    const version = nginxVersion();
    if (!version) throw new Skip('nginx is not installed (apt-get install nginx)');
    const port = await freePort();
    const dir = join(session.workDir, 'nginx');
    const p = startProcess('nginx', 'nginx', prepareNginx(dir, port, session.upstream.port), { core: session.cores.server });
    const close = () => stop(p);
    await closingOnError(close, () => waitUntil(p, 'nginx listened', async () => (await probe(port, GATEHOUSE_PATHS.proxy)) === 200, 30_000));
    return { info, server: p, origin: `http://127.0.0.1:${port}`, plan: proxyPlan, extra: {}, close };
  }
  const script = join(buildDir, 'servers', info.id === 'bare-proxy' ? 'bare-proxy.js' : 'bare-token.js');
  const server = await startNode(session.cores.server, info.id, script, [info.id === 'bare-proxy' ? session.upstream.origin : session.clientsFile], '/');
  const plan: RequestPlan = info.id === 'bare-proxy' ? proxyPlan : { kind: 'list', requests: tokenPlan('/oauth/token', session.clients) };
  return { info, server: server.process, origin: server.origin, plan, extra: {}, close: () => stop(server.process) };
}

/** A peer that cannot be set up here is skipped with the reason; one that breaks under load has failed. */
async function cannotRunHere<T>(setup: () => Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    throw new Skip(`could not be started here: ${(error as Error).message.split('\n')[0]}`);
  }
}

async function peersReady(session: Session): Promise<PeerInstall> {
  session.peers ??= await ensurePeers(peersDir);
  if (!session.peers.ok) throw new Skip(session.peers.reason ?? 'the peers could not be installed');
  return session.peers;
}

async function adminCall(port: number, path: string, body: object): Promise<Record<string, unknown>> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  if (response.status >= 300) throw new Error(`Express Gateway admin POST ${path} answered ${response.status}: ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

async function prepareExpressGateway(session: Session, info: ScenarioInfo): Promise<Prepared> {
  await peersReady(session);
  const [httpPort, adminPort] = [await freePort(), await freePort()];
  const dir = join(session.workDir, 'express-gateway');
  mkdirSync(dir, { recursive: true });
  const p = startProcess('express-gateway', process.execPath, [join(peersDir, 'express-gateway.mjs'), dir, String(httpPort), String(adminPort), String(session.upstream.port)], {
    core: session.cores.server,
    cwd: peersDir,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'warn' },
  });
  try {
    const tokens = await cannotRunHere(async () => {
      await waitUntil(p, 'its admin API listened', async () => (await probe(adminPort, '/users')) === 200, 60_000);
      await waitUntil(p, 'its gateway listened', async () => (await probe(httpPort, '/proxy/weather')) === 401, 60_000);
      // One app per client, each with an oauth2 credential (Express Gateway makes the id and secret), one token each.
      const user = await adminCall(adminPort, '/users', { username: 'bench', firstname: 'Bench', lastname: 'Client' });
      const issued: string[] = [];
      for (let i = 0; i < session.clients.length; i++) {
        const app = await adminCall(adminPort, '/apps', { name: `bench-app-${i}`, userId: user.id });
        const credential = await adminCall(adminPort, '/credentials', { consumerId: app.id, type: 'oauth2', credential: {} });
        issued.push(await issueToken(`http://127.0.0.1:${httpPort}/oauth2/token`, { clientId: String(credential.id), clientSecret: String(credential.secret) }));
      }
      return issued;
    });
    return { info, server: p, origin: `http://127.0.0.1:${httpPort}`, plan: { kind: 'list', requests: getPlan(GATEHOUSE_PATHS.proxy, tokens) }, extra: { notes: ['LOG_LEVEL=warn'] }, close: () => stop(p) };
  } catch (error) {
    await stop(p);
    throw error;
  }
}

async function prepareOidcProvider(session: Session, info: ScenarioInfo): Promise<Prepared> {
  await peersReady(session);
  const mode = info.id.replace('oidc-token-', '');
  const port = await freePort();
  const p = startProcess('oidc-provider', process.execPath, [join(peersDir, 'oidc-provider.mjs'), String(port), session.clientsFile, mode], { core: session.cores.server, cwd: peersDir, env: { ...process.env, NODE_ENV: 'production' } });
  try {
    await cannotRunHere(() => waitUntil(p, 'it listened', async () => (await probe(port, '/.well-known/openid-configuration')) === 200, 60_000));
    const notes = p.output().includes('Unsupported runtime') ? ['oidc-provider warns that Node 20 is an unsupported runtime (it asks for 22+)'] : [];
    return { info, server: p, origin: `http://127.0.0.1:${port}`, plan: { kind: 'list', requests: tokenPlan('/token', session.clients) }, extra: { notes }, close: () => stop(p) };
  } catch (error) {
    await stop(p);
    throw error;
  }
}

// --- latency at half load -------------------------------------------------------------------------------------

async function runLatency(session: Session, measure: (typeof LATENCY_MEASURES)[number], results: ScenarioResult[]): Promise<LatencyResult> {
  const base = { id: measure.id, title: measure.title, gatewayScenario: measure.gatewayScenario };
  let max = results.find((r) => r.id === measure.gatewayScenario && r.status === 'ok')?.summary?.rps;
  const template = (await gatehouseSetup(session)).template;
  const bareProxy = join(buildDir, 'servers/bare-proxy.js');
  const bare = await startNode(session.cores.server, 'bare-proxy', bareProxy, [session.upstream.origin], '/');
  let second: Awaited<ReturnType<typeof startNode>> | undefined;
  try {
    // The control's second server, measured where the gateway would be.
    if (measure.control) second = await startNode(session.cores.server, 'bare-proxy-2', bareProxy, [session.upstream.origin], '/');
    const { g, close } = await gatehouseFor(session, measure.id, template);
    return await closingAfter(close, async () => {
      const plan = await gatehousePlan(session, measure.gatewayScenario, g);
      if (plan.kind !== 'list') throw new Error('A fixed-rate measure needs a request list.');
      const gatewayOrigin = `http://127.0.0.1:${g.gatewayPort}`;
      const origin = second?.origin ?? gatewayOrigin;
      await checkFirst(origin, plan.requests[0]);
      // The servers are warmed up at full load first (a fresh process is still compiling its hot path); when the
      // gateway's maximum was not measured in this run, that warm-up measures it.
      const warm = Math.max(2, session.options.warmupS);
      await session.saturator.run(bare.origin, { kind: 'list', requests: plan.requests }, warm);
      const warmed = await session.saturator.run(gatewayOrigin, plan, warm);
      if (second) await session.saturator.run(second.origin, { kind: 'list', requests: plan.requests }, warm);
      if (max === undefined) {
        say(`  (${measure.gatewayScenario} was not measured in this run: its ${warm} s warm-up at full load sets the maximum)`);
        max = warmed.rps;
      }
      const rate = Math.max(1, Math.round(max / 2));
      const { options } = session;
      const opts = { core: session.cores.load, workDir: session.workDir, buildDir };
      const warmupS = options.quick ? 1 : 2;
      const rounds = options.quick ? 1 : LATENCY_ROUNDS;
      // Alternate the two servers, so drift on the machine reaches both alike; each round's pair gives one difference.
      const bareRuns: FixedRateResult[] = [];
      const gatewayRuns: FixedRateResult[] = [];
      for (let i = 0; i < rounds; i++) {
        bareRuns.push(await runFixedRate(opts, bare.origin, plan.requests, rate, options.fixedRateS, warmupS));
        gatewayRuns.push(await runFixedRate(opts, origin, plan.requests, rate, options.fixedRateS, warmupS));
      }
      const pick = (runs: typeof bareRuns) => runs.find((r) => r.p99Ms === median(runs.map((x) => x.p99Ms))) ?? (runs[0] as (typeof runs)[number]);
      const bareResult = pick(bareRuns);
      const gatewayResult = pick(gatewayRuns);
      const failed = [...bareRuns, ...gatewayRuns].some((r) => r.failed > r.completed * MAX_ERROR_RATE);
      const lagged = generatorLagged([...bareRuns, ...gatewayRuns]);
      const added = addedP99(
        bareRuns.map((r) => r.p99Ms),
        gatewayRuns.map((r) => r.p99Ms),
      );
      const result: LatencyResult = { ...base, status: failed || lagged ? 'failed' : 'ok', rate, bare: bareResult, gateway: gatewayResult, ...added };
      if (failed || lagged) result.reason = [failed ? 'too many failed requests at the fixed rate' : '', lagged ?? ''].filter(Boolean).join('; ');
      if (lagged) session.notes.push(`\`${measure.id}\` at ${rate}/s: ${lagged}.`);
      return result;
    });
  } finally {
    await stop(bare.process);
    if (second) await stop(second.process);
  }
}

// --- the run --------------------------------------------------------------------------------------------------

function runnerFor(id: string): Runner {
  if (id.startsWith('gatehouse-')) return prepareGatehouse;
  if (id.startsWith('oidc-')) return prepareOidcProvider;
  if (id.startsWith('eg-')) return prepareExpressGateway;
  return prepareFloor;
}

/** Summaries of the .cpuprofile files at `path` (a file or a directory), hottest functions first. */
function summariseProfiles(path: string): string {
  const find = (at: string, depth: number): string[] =>
    statSync(at).isDirectory() ? (depth > 2 ? [] : readdirSync(at).flatMap((f) => find(join(at, f), depth + 1))) : at.endsWith('.cpuprofile') ? [at] : [];
  const files = find(path, 0);
  if (files.length === 0) return `No .cpuprofile files at ${path}.`;
  const map = sourceMapper(root);
  return files
    .sort()
    .map((file) => formatProfileSummary(file.slice(path.length).replace(/^\//, '').replace('.cpuprofile', '') || file, summariseProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, map), 20))
    .join('\n\n');
}

function render(report: BenchReport): void {
  writeFileSync(join(resultsDir, 'latest.svg'), renderSvg(report));
  const existing = existsSync(docFile) ? readFileSync(docFile, 'utf8') : undefined;
  writeFileSync(docFile, renderDoc(existing, report, '../bench/results/latest.svg'));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  if (options.help) return say(USAGE);
  if (options.list) {
    for (const s of SCENARIOS) say(`${s.id.padEnd(30)} ${s.quick ? 'quick' : 'full '}  ${s.title}`);
    for (const l of LATENCY_MEASURES) say(`${l.id.padEnd(30)} ${l.quick ? 'quick' : 'full '}  ${l.title}`);
    return;
  }
  if (options.summarise) return say(summariseProfiles(options.summarise));
  if (options.render) {
    const report = JSON.parse(readFileSync(join(resultsDir, 'latest.json'), 'utf8')) as BenchReport;
    render(report);
    return say(`Redrew docs/performance.md and bench/results/latest.svg from bench/results/latest.json (${report.date}).`);
  }
  const began = Date.now();
  const date = new Date().toISOString();
  const ids = selected(options, [...SCENARIOS, ...LATENCY_MEASURES]);
  const cores = chooseCores();
  const workDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  onExit(() => rmSync(workDir, { recursive: true, force: true }));
  const notes: string[] = [];
  const loadBefore = loadavg();
  const saturator = chooseSaturator({ core: cores.load, workDir, buildDir, forceAutocannon: options.autocannon });
  if (saturator.note) notes.push(saturator.note);
  if (cores.unpinned) notes.push(cores.unpinned);
  say(`Gatehouse bench${options.quick ? ' (quick)' : ''}: ${ids.size} scenario(s); ${saturator.tool} ${saturator.version}; ${cores.unpinned ?? `load generator and upstream on core ${cores.load}, server under test on core ${cores.server}`}.`);
  if (saturator.note) say(`Note: ${saturator.note}.`);
  if (!nginxVersion() && ids.has('nginx')) say('Note: nginx is not installed (apt-get install nginx): its scenario is skipped.');
  if ([...ids].some((id) => id.startsWith('gatehouse-'))) say('Gatehouse runs with server.logLevel silent (its gateway writes no per-request log line in any case).');

  let session: Session | undefined;
  const results: ScenarioResult[] = [];
  const latency: LatencyResult[] = [];
  try {
    const needsGatehouse = [...ids].some((id) => id.startsWith('gatehouse-') || id.startsWith('added-latency'));
    const build = needsGatehouse ? (options.build ? await ensureBuilt(root) : 'not checked (--no-build)') : 'not needed';
    const clients = benchClients();
    const clientsFile = writeJson(join(workDir, 'clients.json'), clients);
    const upstream = await startNode(cores.load, 'upstream', join(buildDir, 'servers/upstream.js'), [], '/');
    session = { options, cores, workDir, saturator, clients, clientsFile, upstream, notes };
    if (options.cpuProf) {
      session.profileDir = join(benchDir, 'profiles', date.replace(/[:.]/g, '-'));
      mkdirSync(session.profileDir, { recursive: true });
      notes.push(`Gatehouse ran with node --cpu-prof (profiles in ${session.profileDir}); profiling slows it, so these figures are not published.`);
    }
    // Set-up that prints goes before the table starts.
    if ([...ids].some((id) => id.startsWith('eg-') || id.startsWith('oidc-'))) session.peers = await ensurePeers(peersDir);
    if (needsGatehouse) await gatehouseSetup(session);
    if ([...ids].some((id) => id.startsWith('gatehouse-1m-'))) await template1m(session);
    // Every selected server is started (each pinned to the server core, idle until its turn), then all are measured
    // in interleaved rounds, then all are stopped.
    const failedToStart = new Map<string, ScenarioResult>();
    const prepared: Prepared[] = [];
    try {
      for (const info of SCENARIOS) {
        if (!ids.has(info.id)) continue;
        try {
          const p = await runnerFor(info.id)(session, info);
          prepared.push(p);
          if (p.plan.kind === 'list') await checkFirst(p.origin, p.plan.requests[0]);
          say(`${info.id.padEnd(30)} ready${p.extra.readyMs === undefined ? '' : ` (${Math.round(p.extra.readyMs)} ms from start)`}`);
        } catch (error) {
          const skipped = error instanceof Skip;
          const result: ScenarioResult = { id: info.id, title: info.title, kind: info.kind, status: skipped ? 'skipped' : 'failed', reason: (error as Error).message.split('\n').slice(0, 6).join(' ') };
          const broken = prepared.findIndex((p) => p.info.id === info.id);
          if (broken >= 0) await (prepared.splice(broken, 1)[0] as Prepared).close();
          failedToStart.set(info.id, result);
          say(`${info.id.padEnd(30)} ${result.status}: ${result.reason}`);
        }
      }
      const measured = await measureAll(session, prepared);
      for (const info of SCENARIOS) {
        const result = measured.get(info.id) ?? failedToStart.get(info.id);
        if (result) results.push(result);
      }
    } finally {
      for (const p of prepared) await p.close();
    }
    say('');
    for (const result of results) {
      const s = result.summary;
      say(`${result.id.padEnd(30)} ${s ? `${Math.round(s.rps).toLocaleString('en-US').padStart(8)} RPS  p50 ${s.p50Ms.toFixed(2)} ms  p99 ${s.p99Ms.toFixed(2)} ms  (runs ${Math.round(s.rpsMin).toLocaleString('en-US')}–${Math.round(s.rpsMax).toLocaleString('en-US')})${result.status !== 'ok' ? `  ${result.status}` : ''}` : `${result.status}: ${result.reason}`}`);
    }
    for (const measure of LATENCY_MEASURES) {
      if (!ids.has(measure.id)) continue;
      process.stdout.write(`${measure.id.padEnd(30)} `);
      let result: LatencyResult;
      try {
        result = await runLatency(session, measure, results);
      } catch (error) {
        result = { id: measure.id, title: measure.title, gatewayScenario: measure.gatewayScenario, status: error instanceof Skip ? 'skipped' : 'failed', reason: (error as Error).message.split('\n').slice(0, 6).join(' ') };
      }
      latency.push(result);
      say(result.status === 'ok' && result.rate !== undefined ? `at ${result.rate}/s: p99 bare ${result.bare?.p99Ms.toFixed(2)} ms, ${measure.control ? 'second bare' : 'gateway'} ${result.gateway?.p99Ms.toFixed(2)} ms, added ${result.addedP99Ms?.toFixed(2)} ms (generator send lag p99 ${Math.max(result.bare?.sendLagP99Ms ?? 0, result.gateway?.sendLagP99Ms ?? 0).toFixed(2)} ms)` : `${result.status}: ${result.reason}`);
    }
    await stop(upstream.process);

    const m = machine();
    const versions: Record<string, string> = { node: process.version, gatehouse: gatehouseVersion(root), [saturator.tool]: saturator.version };
    const nginx = nginxVersion();
    if (nginx) versions.nginx = nginx;
    if (session.peers) Object.assign(versions, session.peers.versions);
    const report: BenchReport = {
      schema: 1,
      date,
      quick: options.quick,
      ...(options.only ? { only: options.only } : {}),
      machine: { cpuModel: m.cpuModel, cores: m.cores, memoryGiB: m.memoryGiB, kernel: m.kernel, loadAverageBefore: loadBefore, loadAverageAfter: loadavg() },
      versions,
      settings: {
        connections: CONNECTIONS,
        warmupS: options.warmupS,
        runs: options.runs,
        durationS: options.durationS,
        loadGenerator: `${saturator.tool} ${saturator.version} (${saturator.tool === 'wrk' ? 'one thread' : 'one process'})`,
        pinning: cores.unpinned ? `Not pinned: ${cores.unpinned}.` : `With taskset, the load generator and the upstream share core ${cores.load}; the server under test has core ${cores.server} to itself.`,
        gatehouse: `started from dist/ (${build})${options.gatehouseNodeFlags.length > 0 ? ` with \`node ${options.gatehouseNodeFlags.join(' ')}\`` : ''} as a \`gatehouse gateway\` node (the data plane alone, as one scales out; \`gatehouse-start-proxy\` runs the all-in-one \`gatehouse start\` instead) on a data directory that \`gatehouse start -c\` prepared from a bench file, SQLite, one process per scenario; server.logLevel is silent (the gateway itself writes no per-request log line).`,
        fixedRate: `wrk cannot send at a fixed rate and wrk2 is not in Debian; a small open-loop Node generator (bench/fixed-rate.ts, on the load core) sends each request when it is due and counts latency from that moment (the coordinated-omission correction of wrk2). To stay cheap beside the upstream it speaks HTTP/1.1 over raw node:net sockets: ${CONNECTIONS} keep-alive connections with one request in flight on each, the request bytes built once, and a minimal reader that only finds where each answer ends (Content-Length or chunked) and its status (anything but 2xx counts as failed). A request that falls due while every connection is busy waits for the next free one, the wait counted in its latency. Node's timers tick in whole milliseconds, so between looks at its sockets the generator naps at most 0.1 ms in Atomics.wait: requests go out within about 0.1 ms of when they are due and answers are timed within about 0.1 ms of their arrival. Its own send lag (from when a request could first go out to when it was written) is reported; above ${MAX_SEND_LAG_P99_MS} ms at p99 in any run, the measure is reported as failed, not as figures. autocannon’s overallRate was not used: it sends each connection’s per-second budget back to back at the start of every second.`,
      },
      scenarios: results,
      latency,
      notes,
    };
    mkdirSync(resultsDir, { recursive: true });
    const dated = join(resultsDir, `${date.replace(/[:.]/g, '-')}.json`);
    writeFileSync(dated, `${JSON.stringify(report, null, 2)}\n`);
    say('');
    say(consoleReport(report));
    say('');
    say(`Wrote ${dated.slice(root.length)}.`);
    if (publishes(options)) {
      writeFileSync(join(resultsDir, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
      render(report);
      say('Updated bench/results/latest.json, bench/results/latest.svg and docs/performance.md.');
    } else say('Not published (a --quick, --only, --cpu-prof or --gatehouse-node-flags run): latest.json and docs/performance.md are unchanged; --publish forces it for --quick and --only runs.');
    if (session.profileDir) {
      const text = summariseProfiles(session.profileDir);
      writeFileSync(join(session.profileDir, 'summary.txt'), `${text}\n`);
      say('');
      say(`Self time per function (idle excluded), from ${session.profileDir.slice(root.length)}:`);
      say(text);
    }
    say(`Done in ${((Date.now() - began) / 1000).toFixed(0)} s.`);
  } finally {
    await stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  await stopAll();
  process.exit(1);
});
