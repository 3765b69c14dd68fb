// The peers (Express Gateway, oidc-provider): installed only for the bench, into bench/peers/node_modules, on demand.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runToEnd } from './processes.ts';

export interface PeerInstall {
  ok: boolean;
  /** Installed versions by package name. */
  versions: Record<string, string>;
  /** Why the peers cannot run, when they cannot. */
  reason?: string;
}

function installedVersion(peersDir: string, name: string): string | undefined {
  const file = join(peersDir, 'node_modules', name, 'package.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version : undefined;
}

/** The versions the lockfile pins, by package name. */
function lockedVersions(peersDir: string): Record<string, string> {
  const lock = JSON.parse(readFileSync(join(peersDir, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const manifest = JSON.parse(readFileSync(join(peersDir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  return Object.fromEntries(Object.keys(manifest.dependencies).map((name) => [name, lock.packages[`node_modules/${name}`]?.version ?? '?']));
}

/** Installs the peers with `npm ci` unless the locked versions are already there. */
export async function ensurePeers(peersDir: string): Promise<PeerInstall> {
  const locked = lockedVersions(peersDir);
  const current = () => Object.fromEntries(Object.keys(locked).map((name) => [name, installedVersion(peersDir, name) ?? 'missing']));
  if (Object.entries(locked).every(([name, version]) => installedVersion(peersDir, name) === version)) return { ok: true, versions: current() };
  process.stdout.write('Installing the peers (npm ci --prefix bench/peers; once)…\n');
  const { code, output } = await runToEnd('npm ci (peers)', 'npm', ['ci', '--prefix', peersDir, '--no-audit', '--no-fund'], { timeoutMs: 600_000 });
  if (code !== 0) return { ok: false, versions: current(), reason: `npm ci --prefix bench/peers failed (exit ${code}): ${output.trim().split('\n').slice(-3).join(' / ')}` };
  return { ok: true, versions: current() };
}
