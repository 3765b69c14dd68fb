// Runs the `gatehouse` CLI as a user does: a real child process (`node --import tsx src/cli.ts ...`) with an
// environment built from scratch, real ports, and bounded waits on its output. Every process is tracked so a
// test's afterEach/afterAll can stop what it started, by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export type EnvOverrides = Record<string, string | undefined>;

/**
 * The child's whole environment: PATH, HOME, a quiet request log, and the overrides (undefined removes a key).
 * Nothing else leaks in from the parent; in particular not DATABASE_URL, which CI sets.
 */
export function cliEnv(overrides: EnvOverrides = {}): Record<string, string> {
  const merged: EnvOverrides = { PATH: process.env.PATH, HOME: process.env.HOME, GATEHOUSE_LOG_LEVEL: 'warn', ...overrides };
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(merged)) if (value !== undefined) env[key] = value;
  return env;
}

/** Environment for a `start` that listens on free ports and keeps its data in `dataDir`. */
export function startEnv(dataDir: string, overrides: EnvOverrides = {}): EnvOverrides {
  return { GATEHOUSE_DATA_DIR: dataDir, GATEHOUSE_GATEWAY_PORT: '0', GATEHOUSE_ADMIN_PORT: '0', GATEHOUSE_HUB_PORT: '0', ...overrides };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface CliResult extends Exit {
  stdout: string;
  stderr: string;
}

/** One running (or finished) CLI process: its output so far and its exit. */
export class CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly args: readonly string[];
  stdout = '';
  stderr = '';
  exit: Exit | undefined;
  /** Resolves when the process has exited and its output is read to the end. */
  readonly exited: Promise<Exit>;
  private readonly listeners = new Set<() => void>();

  constructor(args: readonly string[], env: EnvOverrides) {
    this.args = args;
    this.child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
      cwd: REPO_ROOT,
      env: cliEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (this.child.pid === undefined) throw new Error(`Could not spawn gatehouse ${args.join(' ')}`);
    this.pid = this.child.pid;
    this.child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stdout += chunk;
      this.notify();
    });
    this.child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
      this.notify();
    });
    this.exited = new Promise((resolve) => {
      this.child.once('error', (error) => {
        this.stderr += `\n[spawn error] ${error.message}`;
      });
      // 'close' comes after 'exit' once stdout and stderr are drained, so the output is complete.
      this.child.once('close', (code, signal) => {
        this.exit = { code, signal };
        this.notify();
        resolve(this.exit);
      });
    });
  }

  get running(): boolean {
    return this.exit === undefined;
  }

  private notify(): void {
    for (const listener of [...this.listeners]) listener();
  }

  /** What the process printed, for failure messages. */
  describe(): string {
    const status = this.exit ? `exited with code ${this.exit.code} (signal ${this.exit.signal})` : 'still running';
    return `gatehouse ${this.args.join(' ')} (pid ${this.pid}) ${status}\n--- stdout ---\n${this.stdout}\n--- stderr ---\n${this.stderr}`;
  }

  /** Waits until stdout contains `pattern`; fails on exit or after `timeoutMs`. */
  waitForOutput(pattern: string | RegExp, timeoutMs = 20_000): Promise<void> {
    const found = () => (typeof pattern === 'string' ? this.stdout.includes(pattern) : pattern.test(this.stdout));
    return new Promise((resolve, reject) => {
      const done = (error?: Error) => {
        clearTimeout(timer);
        this.listeners.delete(check);
        if (error) reject(error);
        else resolve();
      };
      const check = () => {
        if (found()) done();
        else if (this.exit) done(new Error(`Waiting for ${String(pattern)}, but ${this.describe()}`));
      };
      const timer = setTimeout(() => done(new Error(`Timed out after ${timeoutMs} ms waiting for ${String(pattern)}: ${this.describe()}`)), timeoutMs);
      this.listeners.add(check);
      check();
    });
  }

  /** Waits for the exit, at most `timeoutMs`. */
  async waitForExit(timeoutMs = 20_000): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`Timed out after ${timeoutMs} ms waiting for the exit of ${this.describe()}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Sends a signal to this process (by its pid). */
  signal(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) process.kill(this.pid, signal);
  }

  /** SIGTERM, then waits for the exit. */
  async stop(timeoutMs = 15_000): Promise<Exit> {
    if (!this.running) return this.exit as Exit;
    this.signal('SIGTERM');
    return this.waitForExit(timeoutMs);
  }

  /** Last resort: SIGTERM, and SIGKILL when that does not end it in time. */
  async terminate(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    try {
      await this.stop(graceMs);
    } catch {
      this.signal('SIGKILL');
      await this.waitForExit(5_000).catch(() => {});
    }
  }
}

export interface Surfaces {
  gateway: string;
  /** The admin port's origin (without /api/v1). */
  admin: string;
  hub: string;
}

/** A `gatehouse start` that printed 'Press Ctrl+C to stop.'. */
export interface StartedCli {
  process: CliProcess;
  urls: Surfaces;
  /** The one-time admin token, when the start printed one. */
  printedToken: string | undefined;
}

export const READY_LINE = 'Press Ctrl+C to stop.';

/** A `gatehouse gateway` node that printed its ready line. */
export interface StartedGateway {
  process: CliProcess;
  /** The gateway's origin, from the banner. */
  gateway: string;
  /** The node's id in the change log, from the banner. */
  origin: string;
}

function match(text: string, pattern: RegExp, what: string, proc: CliProcess): string {
  const found = pattern.exec(text)?.[1];
  if (!found) throw new Error(`No ${what} in the output of ${proc.describe()}`);
  return found;
}

/** Parses the start banner: the three URLs and, if printed, the admin token. */
export function parseBanner(proc: CliProcess): Omit<StartedCli, 'process'> {
  const text = proc.stdout;
  return {
    urls: {
      gateway: match(text, /^ {2}gateway +(http:\/\/\S+)$/m, 'gateway URL', proc),
      admin: match(text, /^ {2}management API +(http:\/\/\S+)\/api\/v1 {3}\(docs: /m, 'management API URL', proc),
      hub: match(text, /^ {2}developer hub +(http:\/\/\S+)$/m, 'developer hub URL', proc),
    },
    printedToken: /^ {2}(ghp_\S+)$/m.exec(text)?.[1],
  };
}

/**
 * Bounds how many CLI processes are starting up at once across the file (concurrent tests): loading the sources
 * through tsx is CPU-bound, and a pile of simultaneous launches would only make each slower to reach its ready line.
 * Urgent work (a suite whose steps must run one after another) goes to the front of the queue.
 */
class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly max: number;
  constructor(max: number) {
    this.max = max;
  }

  async run<T>(work: () => Promise<T>, urgent = false): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => (urgent ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
    else this.active += 1;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}

const launches = new Limiter(availableParallelism() + 1);

/** Starts and stops CLI processes and owns their temp directories; call `cleanup()` in afterEach/afterAll. */
export class CliSession {
  private readonly processes: CliProcess[] = [];
  private readonly dirs: string[] = [];
  private readonly urgent: boolean;

  /** `urgent`: this session's launches go ahead of others waiting (for a chain of steps that must run in order). */
  constructor(options: { urgent?: boolean } = {}) {
    this.urgent = options.urgent ?? false;
  }

  /** A fresh, empty temp directory, removed by cleanup(). */
  tempDir(prefix = 'gatehouse-e2e-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  spawn(args: readonly string[], env: EnvOverrides = {}): CliProcess {
    const proc = new CliProcess(args, env);
    this.processes.push(proc);
    return proc;
  }

  /** Runs a command that ends by itself (help, migrate, apply, export, a start that fails). */
  async run(args: readonly string[], env: EnvOverrides = {}, timeoutMs = 20_000): Promise<CliResult> {
    return launches.run(async () => {
      const proc = this.spawn(args, env);
      const exit = await proc.waitForExit(timeoutMs);
      return { ...exit, stdout: proc.stdout, stderr: proc.stderr };
    }, this.urgent);
  }

  /** `gatehouse start ...`, waiting (bounded) for the ready line. */
  async start(args: readonly string[], env: EnvOverrides, readyTimeoutMs = 25_000): Promise<StartedCli> {
    return launches.run(async () => {
      const proc = this.spawn(['start', ...args], env);
      await proc.waitForOutput(READY_LINE, readyTimeoutMs);
      return { process: proc, ...parseBanner(proc) };
    }, this.urgent);
  }

  /** `gatehouse gateway ...`, waiting (bounded) for the ready line. */
  async startGateway(args: readonly string[], env: EnvOverrides, readyTimeoutMs = 25_000): Promise<StartedGateway> {
    return launches.run(async () => {
      const proc = this.spawn(['gateway', ...args], env);
      await proc.waitForOutput(READY_LINE, readyTimeoutMs);
      return { process: proc, gateway: match(proc.stdout, /^ {2}gateway +(http:\/\/\S+)$/m, 'gateway URL', proc), origin: match(proc.stdout, /\(node (\S+)\)$/m, 'node id', proc) };
    }, this.urgent);
  }

  /** Stops every process still running (SIGTERM, SIGKILL as a last resort) and removes the temp directories. */
  async cleanup(): Promise<void> {
    const running = this.processes.splice(0);
    await Promise.all(running.map((p) => p.terminate()));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
