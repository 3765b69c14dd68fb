// TargetRelay on real sockets: a real target, a real undici Pool, and a DirectResponse that records what it hears.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough, type Writable } from 'node:stream';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Headers } from '../policies/policy.ts';
import type { DirectResponse } from './context.ts';
import { TARGET_TIMEOUT, TargetRelay } from './relay.ts';

class Recorded implements DirectResponse {
  sentAt = 0;
  heads: { status: number; headers: Headers }[] = [];
  body = new PassThrough();
  readonly ended: Promise<Error | undefined>;
  #end!: (error: Error | undefined) => void;

  constructor() {
    this.ended = new Promise((resolve) => (this.#end = resolve));
  }

  head(status: number, headers: Headers): Writable {
    this.heads.push({ status, headers });
    return this.body;
  }

  done(error: Error | undefined): void {
    this.#end(error);
  }
}

const opened: { server: Server; pool: Pool }[] = [];

async function target(handler: (request: IncomingMessage, respond: (status: number, body: string) => void) => void): Promise<Pool> {
  const server = createServer((request, response) => handler(request, (status, body) => response.writeHead(status, { 'content-type': 'text/plain', connection: 'keep-alive', 'x-from': 'target' }).end(body)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, { connections: 1 });
  opened.push({ server, pool });
  return pool;
}

const get = { method: 'GET', path: '/', headersTimeout: 0, bodyTimeout: 0 } as const;

afterEach(async () => {
  for (const { server, pool } of opened.splice(0)) {
    await pool.destroy();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('TargetRelay', () => {
  it('hands the head to the call without hop-by-hop headers, writes the body through, and ends without an error', async () => {
    const pool = await target((request, respond) => respond(201, 'made'));
    const direct = new Recorded();
    pool.dispatch(get, new TargetRelay(direct, 5_000));
    const chunks: Buffer[] = [];
    direct.body.on('data', (chunk: Buffer) => chunks.push(chunk));
    expect(await direct.ended).toBeUndefined();
    expect(direct.heads).toHaveLength(1);
    expect(direct.heads[0]?.status).toBe(201);
    expect(direct.heads[0]?.headers).toMatchObject({ 'x-from': 'target', 'content-type': 'text/plain' });
    expect(direct.heads[0]?.headers.connection).toBeUndefined();
    expect(direct.body.writableEnded).toBe(true);
    expect(Buffer.concat(chunks).toString()).toBe('made');
  });

  it('fails with the target timeout before any head when the target does not answer in time', async () => {
    const arrived: IncomingMessage[] = [];
    const pool = await target((request) => arrived.push(request)); // never answers
    const direct = new Recorded();
    pool.dispatch(get, new TargetRelay(direct, 50));
    const error = await direct.ended;
    expect((error as NodeJS.ErrnoException).code).toBe(TARGET_TIMEOUT);
    expect(direct.heads).toHaveLength(0);
    expect(arrived).toHaveLength(1);
  });

  it('times out while waiting for a connection, never reaches the target, and leaves the connection to the others', async () => {
    let answerFirst!: () => void;
    let arrivals = 0;
    const pool = await target((request, respond) => {
      arrivals++;
      if (arrivals === 1) answerFirst = () => respond(200, 'first');
      else respond(200, 'later');
    });
    const first = new Recorded();
    const second = new Recorded();
    pool.dispatch(get, new TargetRelay(first, 5_000)); // holds the only connection
    pool.dispatch(get, new TargetRelay(second, 50)); // queued behind it
    const error = await second.ended;
    expect((error as NodeJS.ErrnoException).code).toBe(TARGET_TIMEOUT);
    answerFirst();
    first.body.resume();
    expect(await first.ended).toBeUndefined();
    expect(first.heads[0]?.status).toBe(200);
    // The pool serves in order: once a third call is through, the second has had its turn.
    const third = new Recorded();
    pool.dispatch(get, new TargetRelay(third, 5_000));
    third.body.resume();
    expect(await third.ended).toBeUndefined();
    expect(second.heads).toHaveLength(0);
    expect(arrivals, 'the first and the third reached the target; the timed-out second did not').toBe(2);
  });

  it('reports a refused connection as the error undici gives', async () => {
    const pool = await target(() => {});
    const { server } = opened[0] as { server: Server };
    await new Promise((resolve) => server.close(resolve));
    const direct = new Recorded();
    pool.dispatch(get, new TargetRelay(direct, 5_000));
    expect((await direct.ended as NodeJS.ErrnoException).code).toBe('ECONNREFUSED');
    expect(direct.heads).toHaveLength(0);
  });
});
