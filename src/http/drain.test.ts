// Draining at shutdown ends each keep-alive connection once its response is done, and adds nothing per call before.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ConnectionDrain } from './drain.ts';

let server: Server | undefined;
let drain: ConnectionDrain | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  drain?.stop();
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server?.listening ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server that answers `/now` at once and holds every other request until the test answers it. */
async function serve(): Promise<{ port: number; nextHeld(): Promise<ServerResponse> }> {
  const waiting: Array<(response: ServerResponse) => void> = [];
  const held: ServerResponse[] = [];
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    request.resume();
    if (request.url === '/now') return void response.end('now');
    const next = waiting.shift();
    if (next) next(response);
    else held.push(response);
  });
  drain = new ConnectionDrain(server);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    nextHeld: () => {
      const ready = held.shift();
      return ready ? Promise.resolve(ready) : new Promise<ServerResponse>((resolve) => waiting.push(resolve));
    },
  };
}

/** A raw keep-alive connection: what it has read so far, and a promise of its close. */
async function open(port: number): Promise<{ socket: Socket; text(): string; closed: Promise<void>; send(path: string): void }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  let text = '';
  socket.setEncoding('latin1').on('data', (chunk: string) => (text += chunk));
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, text: () => text, closed, send: (path) => socket.write(`GET ${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`) };
}

/** Resolves once the connection has read `what` (`times` times). */
function untilRead(connection: { socket: Socket; text(): string }, what: string, times = 1): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (connection.text().split(what).length - 1 < times) return;
      connection.socket.off('data', check);
      resolve();
    };
    connection.socket.on('data', check);
    check();
  });
}

describe('ConnectionDrain', () => {
  it('adds nothing per call until draining starts', async () => {
    const { port } = await serve();
    const connection = await open(port);
    for (let i = 0; i < 20; i++) connection.send('/now');
    await untilRead(connection, 'HTTP/1.1 200', 20);
    expect((server as Server).listenerCount('request')).toBe(1);
    expect(connection.text()).not.toMatch(/Connection: close/i);
  });

  it('answers requests read after draining began with Connection: close, and ends their connection', async () => {
    const { port, nextHeld } = await serve();
    const connection = await open(port);
    connection.send('/hold');
    const first = await nextHeld();
    (drain as ConnectionDrain).start();
    // The same connection, pipelined: read (and so marked) now, answered after the first.
    connection.send('/hold-too');
    const second = await nextHeld();
    first.end('one');
    second.end('two');
    await connection.closed;
    const [head1, head2] = connection.text().split('HTTP/1.1 ').slice(1);
    expect(head1).toMatch(/Connection: keep-alive/i);
    expect(head2).toMatch(/Connection: close/i);
    expect(connection.text()).toMatch(/two$/);
  });

  it('ends a connection whose response was under way when draining began, once that response is done', async () => {
    const { port, nextHeld } = await serve();
    const streaming = await open(port);
    streaming.send('/hold');
    const response = await nextHeld();
    response.writeHead(200, { 'content-type': 'text/plain', 'content-length': '18' });
    response.write('part one, ');
    await untilRead(streaming, 'part one, ');
    (drain as ConnectionDrain).start();
    response.end('part two');
    await streaming.closed;
    expect(streaming.text()).toMatch(/Connection: keep-alive[\s\S]*part one, part two$/i);
  });

  it('closes idle keep-alive connections at once, and the server then closes', async () => {
    const { port } = await serve();
    const idle = await open(port);
    idle.send('/now');
    await untilRead(idle, '\r\n\r\nnow');
    const closing = new Promise<void>((resolve) => (server as Server).close(() => resolve()));
    (drain as ConnectionDrain).start();
    await idle.closed;
    await closing;
  });

  it('starts once', async () => {
    await serve();
    (drain as ConnectionDrain).start();
    (drain as ConnectionDrain).start();
    expect((server as Server).listenerCount('request')).toBe(2);
  });
});
