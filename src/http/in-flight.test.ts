// Shutdown asks in-flight responses to end their keep-alive connections; the tracking must forget finished ones.
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { InFlightResponses } from './in-flight.ts';

interface Held {
  response: ServerResponse;
}

let server: Server | undefined;
const agent = new Agent({ keepAlive: true, maxSockets: 8 });

afterEach(async () => {
  agent.destroy();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that answers `/now` at once and holds every other request until the test answers it. */
async function serve(): Promise<{ port: number; tracked: InFlightResponses; held: Held[]; nextHeld(): Promise<Held> }> {
  const held: Held[] = [];
  let waiting: ((h: Held) => void) | undefined;
  server = createServer((req: IncomingMessage, response: ServerResponse) => {
    req.resume();
    if (req.url === '/now') return void response.end('now');
    const h = { response };
    held.push(h);
    waiting?.(h);
  });
  const tracked = new InFlightResponses(server);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    tracked,
    held,
    nextHeld: () => new Promise<Held>((resolve) => (waiting = resolve)),
  };
}

function get(port: number, path: string): Promise<{ headers: IncomingMessage['headers']; body: string; socketClosed: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent }, (res) => {
      const socketClosed = new Promise<void>((done) => res.socket.once('close', () => done()));
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ headers: res.headers, body, socketClosed }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('InFlightResponses', () => {
  it('counts the responses being written and forgets each when it is done, also after many calls', async () => {
    const { port, tracked, nextHeld } = await serve();
    for (let i = 0; i < 50; i++) expect((await get(port, '/now')).body).toBe('now');
    expect(tracked.size).toBe(0);
    const heldNow = nextHeld();
    const pending = get(port, '/hold');
    const h = await heldNow;
    expect(tracked.size).toBe(1);
    h.response.end('held');
    expect((await pending).body).toBe('held');
    expect(tracked.size).toBe(0);
  });

  it('at shutdown, a response not yet started answers with Connection: close and its connection ends', async () => {
    const { port, tracked, nextHeld } = await serve();
    const heldNow = nextHeld();
    const pending = get(port, '/hold');
    const h = await heldNow;
    tracked.closeConnectionsWhenDone(server as Server);
    h.response.end('bye');
    const answer = await pending;
    expect(answer.headers.connection).toBe('close');
    await answer.socketClosed;
  });

  it('at shutdown, a response already streaming keeps its keep-alive head, and its connection ends when it finishes', async () => {
    const { port, tracked, nextHeld } = await serve();
    const heldNow = nextHeld();
    const pending = get(port, '/hold');
    const h = await heldNow;
    h.response.writeHead(200, { 'content-type': 'text/plain' });
    h.response.write('part one, ');
    tracked.closeConnectionsWhenDone(server as Server);
    h.response.end('part two');
    const answer = await pending;
    expect(answer.body).toBe('part one, part two');
    expect(answer.headers.connection).toBe('keep-alive');
    await answer.socketClosed;
    expect(tracked.size).toBe(0);
  });
});
