// The server secret that encrypts key value map values: the configured one, else (SQLite only) the data directory's
// secret.key, generated on first start. PostgreSQL deployments share one database across nodes, so a key made up by
// one node would not open what another wrote: there it must be configured, and without it encryption is unavailable.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomToken } from '../util/secrets.ts';
import type { ServerConfig } from './settings.ts';

export const SECRET_KEY_FILE = 'secret.key';

export interface ResolvedSecretKey {
  /** The secret, or undefined when encrypted maps are unavailable (PostgreSQL without GATEHOUSE_SECRET_KEY). */
  secret: string | undefined;
  source: 'setting' | 'file' | 'generated' | 'none';
}

export function resolveSecretKey(config: Pick<ServerConfig, 'secretKey' | 'databaseUrl' | 'dataDir'>): ResolvedSecretKey {
  if (config.secretKey !== undefined) return { secret: config.secretKey, source: 'setting' };
  if (config.databaseUrl !== undefined) return { secret: undefined, source: 'none' };
  const file = join(config.dataDir, SECRET_KEY_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length < 32) throw new Error(`${file} holds fewer than 32 characters; restore it from a backup or set GATEHOUSE_SECRET_KEY.`);
    return { secret: existing, source: 'file' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(config.dataDir, { recursive: true });
  const secret = randomToken(32);
  try {
    // `wx`: never overwrite a key another process wrote a moment ago.
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return resolveSecretKey(config);
    throw error;
  }
  return { secret, source: 'generated' };
}
