// The options of `npm run bench`.
import { parseArgs } from 'node:util';
import { ALL_IDS } from './catalogue.ts';

export interface BenchOptions {
  quick: boolean;
  only?: string[];
  cpuProf: boolean;
  /** Node and V8 flags Gatehouse's processes start with (e.g. --single-threaded-gc), to measure a deployment knob. */
  gatehouseNodeFlags: string[];
  build: boolean;
  autocannon: boolean;
  list: boolean;
  render: boolean;
  publish: boolean;
  /** Print the hot spots of the .cpuprofile file(s) at this path, and exit. */
  summarise?: string;
  help: boolean;
  warmupS: number;
  runs: number;
  durationS: number;
  /** Seconds at a fixed rate per server, for the added-latency measures. */
  fixedRateS: number;
  seedTokens: number;
}

export const USAGE = `Usage: npm run bench -- [options]

  --quick               The core scenarios, 1 s warm-up and 2 runs of 2 s: under two minutes
  --only ID,ID,...      Only these scenarios (see --list); floors they are compared with are not added
  --cpu-prof            Run Gatehouse with node --cpu-prof; profiles go to bench/profiles/ (figures not published),
                        and the hottest functions of each are printed (self time, mapped to src/ by source maps)
  --gatehouse-node-flags="FLAGS"
                        Start Gatehouse's processes with these node flags, e.g. --gatehouse-node-flags=--single-threaded-gc
                        (figures not published: they measure a knob, not Gatehouse as it ships)
  --summarise PATH      Print the hottest functions of a .cpuprofile file or a directory of them, and exit
  --no-build            Measure dist/ as it is, even when src/ is newer
  --autocannon          Use autocannon even when wrk is installed
  --publish             Update latest.json and docs/performance.md even for a --quick or --only run
  --render              Only redraw docs/performance.md and the chart from bench/results/latest.json
  --list                List the scenarios and exit
  --runs N, --duration S, --warmup S, --seed-tokens N   Override the run plan`;

export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'cpu-prof': { type: 'boolean', default: false },
      'gatehouse-node-flags': { type: 'string' },
      'no-build': { type: 'boolean', default: false },
      autocannon: { type: 'boolean', default: false },
      list: { type: 'boolean', default: false },
      render: { type: 'boolean', default: false },
      publish: { type: 'boolean', default: false },
      summarise: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
      runs: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      'seed-tokens': { type: 'string' },
    },
  });
  const quick = values.quick === true;
  const number = (name: string, text: string | undefined, fallback: number, min: number, max: number) => {
    if (text === undefined) return fallback;
    const n = Number(text);
    if (!Number.isFinite(n) || n < min || n > max) throw new Error(`--${name} must be a number from ${min} to ${max}, not '${text}'.`);
    return n;
  };
  let only: string[] | undefined;
  if (values.only !== undefined) {
    only = values.only.split(',').map((s) => s.trim()).filter(Boolean);
    const unknown = only.filter((id) => !ALL_IDS.includes(id));
    if (unknown.length || only.length === 0) throw new Error(`Unknown scenario(s) in --only: ${unknown.join(', ') || '(none given)'}. Run with --list to see them.`);
  }
  const gatehouseNodeFlags = (values['gatehouse-node-flags'] ?? '').split(/\s+/).filter(Boolean);
  const notFlag = gatehouseNodeFlags.find((flag) => !/^--[a-z0-9][a-z0-9-]*(=\S+)?$/.test(flag));
  if (notFlag !== undefined) throw new Error(`--gatehouse-node-flags takes node flags such as --single-threaded-gc, not '${notFlag}'.`);
  return {
    quick,
    ...(only ? { only } : {}),
    cpuProf: values['cpu-prof'] === true,
    gatehouseNodeFlags,
    build: values['no-build'] !== true,
    autocannon: values.autocannon === true,
    list: values.list === true,
    render: values.render === true,
    publish: values.publish === true,
    ...(values.summarise === undefined ? {} : { summarise: values.summarise }),
    help: values.help === true,
    warmupS: number('warmup', values.warmup, quick ? 1 : 5, 0, 60),
    runs: Math.round(number('runs', values.runs, quick ? 2 : 5, 1, 20)),
    durationS: Math.round(number('duration', values.duration, quick ? 2 : 10, 1, 120)),
    fixedRateS: quick ? 3 : 10,
    seedTokens: Math.round(number('seed-tokens', values['seed-tokens'], 1_000_000, 1000, 5_000_000)),
  };
}

/** Scenario ids this run includes: --only's list, else the quick set or everything. */
export function selected(options: Pick<BenchOptions, 'quick' | 'only'>, all: ReadonlyArray<{ id: string; quick: boolean }>): Set<string> {
  if (options.only) return new Set(options.only);
  return new Set(all.filter((s) => !options.quick || s.quick).map((s) => s.id));
}

/** Whether a run's figures go to latest.json and the docs: full, unprofiled runs, or when asked. */
export function publishes(options: Pick<BenchOptions, 'quick' | 'only' | 'cpuProf' | 'publish' | 'gatehouseNodeFlags'>): boolean {
  if (options.cpuProf || options.gatehouseNodeFlags.length > 0) return false;
  return options.publish || (!options.quick && options.only === undefined);
}
