// A step that reads the request body gets all of it, at most MAX_BUFFERED_BODY, and an error when the client went away.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StepFault } from '../policies/policy.ts';
import { GatewayRequest, MAX_BUFFERED_BODY } from './context.ts';

function requestWith(body: PassThrough, headers: Record<string, string> = {}): GatewayRequest {
  const incoming = Object.assign(body, { method: 'POST', headers: { ...headers }, socket: { remoteAddress: '127.0.0.1' } });
  return new GatewayRequest(incoming as unknown as IncomingMessage, '/token', '', '');
}

describe('GatewayRequest body', () => {
  it('reads a body that arrives in several chunks, once, and parses a form from it', async () => {
    const stream = new PassThrough();
    const request = requestWith(stream, { 'content-type': 'application/x-www-form-urlencoded' });
    const reading = request.readForm();
    stream.write('grant_type=client_');
    stream.write('credentials&scope=read');
    stream.end();
    const form = await reading;
    expect(form.get('grant_type')).toBe('client_credentials');
    expect(form.get('scope')).toBe('read');
    expect((await request.readBody()).toString()).toBe('grant_type=client_credentials&scope=read');
  });

  it('refuses a body over the limit with a 413 fault and stops reading it', async () => {
    const stream = new PassThrough();
    const request = requestWith(stream);
    const reading = request.readBody();
    const chunk = Buffer.alloc(1024 * 1024);
    for (let sent = 0; sent <= MAX_BUFFERED_BODY; sent += chunk.length) stream.write(chunk);
    const error = await reading.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StepFault);
    expect(error).toMatchObject({ status: 413, code: 'gateway.body_too_large' });
    expect(stream.destroyed).toBe(true);
  });

  it('fails when the stream closes before its end (the client went away)', async () => {
    const stream = new PassThrough();
    const request = requestWith(stream);
    const reading = request.readBody();
    stream.write('part');
    stream.destroy();
    await expect(reading).rejects.toMatchObject({ code: 'ERR_STREAM_PREMATURE_CLOSE' });
  });

  it('reads an empty body', async () => {
    const stream = new PassThrough();
    const request = requestWith(stream);
    const reading = request.readBody();
    stream.end();
    expect((await reading).length).toBe(0);
  });
});
