import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecretKey, SECRET_KEY_FILE } from './secret-key.ts';

const dirs: string[] = [];
function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-secret-'));
  dirs.push(dir);
  return join(dir, 'data');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('resolveSecretKey', () => {
  it('prefers the setting', () => {
    expect(resolveSecretKey({ secretKey: 'x'.repeat(32), dataDir: dataDir() })).toEqual({ secret: 'x'.repeat(32), source: 'setting' });
  });

  it('with SQLite, generates secret.key (mode 0600) on first start and reads it back later', () => {
    const dir = dataDir();
    const first = resolveSecretKey({ dataDir: dir });
    expect(first.source).toBe('generated');
    expect(first.secret?.length).toBeGreaterThanOrEqual(32);
    const file = join(dir, SECRET_KEY_FILE);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.secret);
    expect(resolveSecretKey({ dataDir: dir })).toEqual({ secret: first.secret, source: 'file' });
  });

  it('refuses a secret.key that is too short', () => {
    const dir = dataDir();
    resolveSecretKey({ dataDir: dir });
    writeFileSync(join(dir, SECRET_KEY_FILE), 'short\n');
    expect(() => resolveSecretKey({ dataDir: dir })).toThrow(/32 characters/);
  });

  it('with PostgreSQL and no setting, there is no secret (encrypted maps are unavailable)', () => {
    expect(resolveSecretKey({ databaseUrl: 'postgres://db/gatehouse', dataDir: dataDir() })).toEqual({ secret: undefined, source: 'none' });
  });
});
