// What the run ran on: the machine, and the versions of everything measured.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join } from 'node:path';

export function cpuModel(): string {
  try {
    const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (match) return (match[1] as string).trim();
  } catch {
    // not Linux: fall through
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machine(): { cpuModel: string; cores: number; memoryGiB: number; kernel: string; loadAverage: number[] } {
  return { cpuModel: cpuModel(), cores: cpus().length, memoryGiB: Math.round(totalmem() / 1024 ** 3), kernel: release(), loadAverage: loadavg() };
}

/** Gatehouse's version and commit (read-only git), marked when src/ has uncommitted changes. */
export function gatehouseVersion(root: string): string {
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  const dirty = spawnSync('git', ['status', '--porcelain', '--', 'src'], { cwd: root, encoding: 'utf8' }).stdout?.trim();
  return `${version}${commit ? ` (${commit}${dirty ? ' + uncommitted changes in src/' : ''})` : ''}`;
}
