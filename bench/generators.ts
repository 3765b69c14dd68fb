// Runs the load generators, pinned to the load core: wrk (or autocannon when wrk is missing) to saturate a server,
// the fixed-rate generator to hold it at a given load.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FixedRateJob, FixedRateResult } from './fixed-rate.ts';
import type { LoadResult, RequestPlan, RequestSpec } from './load.ts';
import { runToEnd } from './processes.ts';
import { parseWrkOutput, wrkScript } from './wrk.ts';

export const CONNECTIONS = 64;

export interface Saturator {
  tool: 'wrk' | 'autocannon';
  version: string;
  /** Why wrk is not the one, when it is not. */
  note?: string;
  run(origin: string, plan: RequestPlan, durationS: number): Promise<LoadResult>;
}

/** wrk's version, or undefined when it is not installed. */
export function wrkVersion(): string | undefined {
  const probe = spawnSync('wrk', ['-v'], { encoding: 'utf8' });
  if (probe.error) return undefined;
  return /wrk (\S+)/.exec(`${probe.stdout}${probe.stderr}`)?.[1] ?? 'unknown';
}

export function autocannonVersion(buildDir: string): string {
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(require('autocannon/package.json').version)"], { encoding: 'utf8', cwd: buildDir });
  return probe.stdout || 'unknown';
}

export function chooseSaturator(options: { core: string; workDir: string; buildDir: string; forceAutocannon?: boolean }): Saturator {
  const version = options.forceAutocannon ? undefined : wrkVersion();
  let seq = 0;
  if (version) {
    return {
      tool: 'wrk',
      version,
      async run(origin, plan, durationS) {
        const script = join(options.workDir, `wrk-${++seq}.lua`);
        writeFileSync(script, wrkScript(plan));
        const args = ['-t1', `-c${CONNECTIONS}`, `-d${durationS}s`, '--timeout', '10s', '--latency', '-s', script, origin];
        const { code, output } = await runToEnd('wrk', 'wrk', args, { core: options.core, timeoutMs: (durationS + 30) * 1000 });
        if (code !== 0) throw new Error(`wrk failed (exit ${code}):\n${output.slice(-2000)}`);
        return parseWrkOutput(output);
      },
    };
  }
  return {
    tool: 'autocannon',
    version: autocannonVersion(options.buildDir),
    note: options.forceAutocannon ? 'autocannon chosen with --autocannon' : 'wrk is not installed (apt-get install wrk): autocannon, a Node load generator, is slower, so the ceiling is lower',
    async run(origin, plan, durationS) {
      const jobFile = join(options.workDir, `autocannon-${++seq}.json`);
      writeFileSync(jobFile, JSON.stringify({ url: origin, connections: CONNECTIONS, durationS, plan }));
      const { code, output, stdout } = await runToEnd('autocannon', process.execPath, [join(options.buildDir, 'autocannon-child.js'), jobFile], { core: options.core, timeoutMs: (durationS + 30) * 1000 });
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (code !== 0 || !line) throw new Error(`autocannon failed (exit ${code}):\n${output.slice(-2000)}`);
      return JSON.parse(line.slice('BENCH_RESULT '.length)) as LoadResult;
    },
  };
}

/** Holds `origin` at `rate` requests per second with the fixed-rate generator; returns what it measured. */
export async function runFixedRate(options: { core: string; workDir: string; buildDir: string }, origin: string, requests: RequestSpec[], rate: number, durationS: number, warmupS: number): Promise<FixedRateResult> {
  const job: FixedRateJob = { origin, requests, rate, durationS, warmupS, connections: CONNECTIONS };
  const jobFile = join(options.workDir, `fixed-rate-${Date.now()}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  const { code, output, stdout } = await runToEnd('fixed-rate', process.execPath, [join(options.buildDir, 'fixed-rate.js'), jobFile], { core: options.core, timeoutMs: (durationS + warmupS + 60) * 1000 });
  const line = stdout.split('\n').find((l) => l.startsWith('BENCH_RESULT '));
  if (code !== 0 || !line) throw new Error(`The fixed-rate generator failed (exit ${code}):\n${output.slice(-2000)}`);
  return JSON.parse(line.slice('BENCH_RESULT '.length)) as FixedRateResult;
}
