// Starts the processes of a bench run, pinned to a core, and stops every one of them by its pid, also on error or Ctrl-C.
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** The two cores of the bench: the load generator (and the upstream) on one, the server under test alone on the other. */
export interface Cores {
  load: string;
  server: string;
  /** Why the processes are not pinned, when they are not. */
  unpinned?: string;
}

export function chooseCores(): Cores {
  const taskset = spawnSync('taskset', ['--version'], { stdio: 'ignore' });
  if (taskset.error) return { load: '', server: '', unpinned: 'taskset is not installed (util-linux); processes run unpinned' };
  const allowed = spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' }).stdout ?? '';
  const list = parseCpuList(allowed.split(':').pop()?.trim() ?? '');
  if (list.length < 2) return { load: '', server: '', unpinned: `only ${list.length} core(s) allowed; processes run unpinned` };
  return { load: String(list[0]), server: String(list[1]) };
}

/** Parses a Linux cpu list such as `0-3,6`. */
export function parseCpuList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    if (part.trim() === '') continue;
    const [from, to] = part.split('-').map((n) => Number(n.trim()));
    if (from === undefined || !Number.isInteger(from)) continue;
    const end = to !== undefined && Number.isInteger(to) ? to : from;
    for (let cpu = from; cpu <= end && out.length < 4096; cpu++) out.push(cpu);
  }
  return out;
}

export interface Started {
  readonly name: string;
  readonly pid: number;
  readonly child: ChildProcess;
  /** Everything it printed so far (bounded), for error messages. */
  output(): string;
  /** Resolves when it exits. */
  readonly exited: Promise<number | null>;
}

const running = new Map<number, Started>();
const exitTasks: Array<() => void> = [];
let handlersInstalled = false;

/** Runs `task` (synchronous) when the harness exits, however it exits: removing temporary files, say. */
export function onExit(task: () => void): void {
  installHandlers();
  exitTasks.push(task);
}

/** Stops every process this run started (SIGTERM, then SIGKILL), by pid. */
export async function stopAll(): Promise<void> {
  await Promise.all([...running.values()].map((p) => stop(p)));
}

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(`\n${signal}: stopping the bench's processes…\n`);
    stopAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // Last resort: a synchronous kill of whatever is left when the harness exits anyway.
  process.once('exit', () => {
    for (const p of running.values()) {
      try {
        process.kill(p.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    for (const task of exitTasks) {
      try {
        task();
      } catch {
        // best effort while exiting
      }
    }
  });
}

/** Spawns `command args` pinned to `core` (when given) and keeps track of it until it exits. */
export function startProcess(name: string, command: string, args: string[], options: { core?: string; env?: NodeJS.ProcessEnv; cwd?: string; quiet?: boolean } = {}): Started {
  installHandlers();
  const pinned = options.core ? ['taskset', ['-c', options.core, command, ...args]] as const : [command, args] as const;
  const spawnOptions: SpawnOptions = { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] };
  const child = spawn(pinned[0], [...pinned[1]], spawnOptions);
  if (child.pid === undefined) throw new Error(`Could not start ${name} (${command}).`);
  let buffer = '';
  const keep = (chunk: Buffer) => {
    buffer = (buffer + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const pid = child.pid;
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      running.delete(pid);
      resolve(code);
    });
    child.once('error', () => {
      running.delete(pid);
      resolve(null);
    });
  });
  const started: Started = { name, pid, child, output: () => buffer, exited };
  running.set(pid, started);
  return started;
}

/** Stops one process by its pid: SIGTERM, and SIGKILL if it is still there after `graceMs`. */
export async function stop(p: Started, graceMs = 5000): Promise<void> {
  if (!running.has(p.pid)) return;
  try {
    process.kill(p.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timedOut = await Promise.race([p.exited.then(() => false), sleep(graceMs).then(() => true)]);
  if (timedOut) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
    await p.exited;
  }
}

/** Runs a command to its end (bounded by `timeoutMs`), pinned when asked, and returns what it printed. */
export async function runToEnd(name: string, command: string, args: string[], options: { core?: string; env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number }): Promise<{ code: number | null; output: string; stdout: string }> {
  const p = startProcess(name, command, args, options);
  let stdout = '';
  p.child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  const timer = setTimeout(() => void stop(p, 1000), options.timeoutMs);
  const code = await p.exited;
  clearTimeout(timer);
  return { code, output: p.output(), stdout };
}

/** A free TCP port on 127.0.0.1 (asked from the kernel, then released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Status of one HTTP GET on 127.0.0.1, or undefined when nothing answers. */
export function probe(port: number, path: string, headers: Record<string, string> = {}): Promise<number | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, headers, agent: false, timeout: 2000 }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(undefined));
    req.end();
  });
}

/** Polls until `ready()` holds or the process dies or `timeoutMs` passes (a bounded loop). */
export async function waitUntil(p: Started, what: string, ready: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 20): Promise<void> {
  let dead = false;
  void p.exited.then(() => {
    dead = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dead) throw new Error(`${p.name} exited before ${what}:\n${p.output().slice(-3000)}`);
    if (await ready()) return;
    await sleep(everyMs);
  }
  throw new Error(`${p.name}: ${what} did not happen within ${timeoutMs} ms:\n${p.output().slice(-3000)}`);
}

/** Peak resident memory of a process so far (VmHWM), in bytes; undefined once it is gone. */
export function peakRss(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}
