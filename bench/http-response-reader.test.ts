import { describe, expect, it } from 'vitest';
import { HttpFramingError, ResponseReader } from './http-response-reader.ts';

/** Feeds `chunks` to a reader and returns what it reported, as `status keepAlive` strings. */
function read(chunks: readonly string[], end = false): string[] {
  const seen: string[] = [];
  const reader = new ResponseReader((status, keepAlive) => seen.push(`${status} ${keepAlive ? 'keep-alive' : 'close'}`));
  // The same buffer is reused and overwritten after every push, as a socket's read buffer is.
  const shared = Buffer.alloc(128 * 1024);
  for (const chunk of chunks) {
    const n = shared.write(chunk, 'latin1');
    reader.push(shared.subarray(0, n));
    shared.fill(0x78);
  }
  if (end) reader.end();
  return seen;
}

/** Every way of cutting `text` in two, and into single bytes. */
function splits(text: string): string[][] {
  const out = Array.from({ length: text.length - 1 }, (_, i) => [text.slice(0, i + 1), text.slice(i + 1)]);
  out.push([...text]);
  return out;
}

const fixed = (status: string, body: string, extra = '') => `HTTP/1.1 ${status}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n${extra}\r\n${body}`;
const chunked = 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\na;ext=1\r\n, world!!!\r\n0\r\nx-trailer: 1\r\n\r\n';

describe('the response reader', () => {
  it('reads a Content-Length response in one chunk', () => {
    expect(read([fixed('200 OK', '{"city":"Berlin"}')])).toEqual(['200 keep-alive']);
  });

  it('reads it split at every byte, and byte by byte', () => {
    const text = fixed('200 OK', '{"city":"Berlin"}');
    for (const chunks of splits(text)) expect(read(chunks)).toEqual(['200 keep-alive']);
  });

  it('reads several responses coalesced into one chunk, and split across chunks anywhere', () => {
    const text = `${fixed('200 OK', 'a')}${chunked}${fixed('201 Created', '')}`;
    const expected = ['200 keep-alive', '200 keep-alive', '201 keep-alive'];
    expect(read([text])).toEqual(expected);
    for (const chunks of splits(text)) expect(read(chunks)).toEqual(expected);
  });

  it('reads chunked bodies with extensions and trailers, split anywhere', () => {
    for (const chunks of splits(chunked)) expect(read(chunks)).toEqual(['200 keep-alive']);
    expect(read(['HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n0\r\n\r\n'])).toEqual(['200 keep-alive']);
  });

  it('reports every status, so that non-2xx answers can be counted as failed', () => {
    const text = `${fixed('404 Not Found', 'no')}${fixed('503 Service Unavailable', 'busy')}HTTP/1.1 204 No Content\r\n\r\n${fixed('302 Found', '')}`;
    expect(read([text])).toEqual(['404 keep-alive', '503 keep-alive', '204 keep-alive', '302 keep-alive']);
  });

  it('skips interim 1xx responses and waits for the final one', () => {
    expect(read([`HTTP/1.1 100 Continue\r\n\r\n${fixed('200 OK', 'ok')}`])).toEqual(['200 keep-alive']);
  });

  it('knows a connection that closes after the answer, and a body that the close delimits', () => {
    expect(read([fixed('200 OK', 'ok', 'Connection: close\r\n')])).toEqual(['200 close']);
    expect(read(['HTTP/1.1 200 OK\r\n\r\npart one, ', 'part two'])).toEqual([]);
    expect(read(['HTTP/1.1 200 OK\r\n\r\npart one, ', 'part two'], true)).toEqual(['200 close']);
  });

  it('leaves a response cut short unreported', () => {
    expect(read([fixed('200 OK', 'a longer body').slice(0, -3)], true)).toEqual([]);
  });

  it('rejects what is not an HTTP/1.x response', () => {
    expect(() => read(['SSH-2.0-OpenSSH_9.2\r\n\r\n'])).toThrow(HttpFramingError);
    expect(() => read(['HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n'])).toThrow(HttpFramingError);
    expect(() => read(['HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'])).toThrow(HttpFramingError);
    expect(() => read([`HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(70_000)}`])).toThrow(HttpFramingError);
  });
});
