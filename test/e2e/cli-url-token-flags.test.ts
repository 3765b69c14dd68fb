// `gatehouse apply` and `gatehouse export` reach the management API named by --url with the token given by --token,
// when neither GATEHOUSE_URL nor GATEHOUSE_TOKEN is set: real processes against a Gatehouse on real sockets.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliSession } from '../helpers/cli-process.ts';
import { ADMIN_TOKEN, startGatehouse, type Gatehouse } from '../helpers/gatehouse.ts';

const FILE = `
apis:
  - name: flagged
    basePath: /flagged
products:
  - name: flagged
    apis: [flagged]
`;

let gh: Gatehouse;
const session = new CliSession();
let dir: string;

beforeAll(async () => {
  gh = await startGatehouse();
  dir = session.tempDir();
  writeFileSync(join(dir, 'gatehouse.yaml'), FILE);
});
afterAll(async () => {
  await session.cleanup();
  await gh?.close();
});

describe('--url and --token', { timeout: 60_000 }, () => {
  it('apply uses them: the file is applied, then applying again changes nothing', async () => {
    const args = ['apply', '-f', join(dir, 'gatehouse.yaml'), '--url', gh.admin, '--token', ADMIN_TOKEN];
    const first = await session.run(args);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('Done: 2 created');
    expect((await gh.manage('GET', '/apis/flagged/deployment')).status).toBe(200);
    const again = await session.run(args);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('No changes');
  });

  it('export uses them and writes the file given by -o', async () => {
    const out = join(dir, 'exported.yaml');
    const result = await session.run(['export', '-o', out, '--url', gh.admin, '--token', ADMIN_TOKEN]);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toContain('basePath: /flagged');
  });

  it('says how to pass a token when there is none, exiting 2', async () => {
    const result = await session.run(['apply', '-f', join(dir, 'gatehouse.yaml'), '--url', gh.admin]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('No token: pass --token, or set GATEHOUSE_TOKEN');
  });
});
