// A step that reads the request body gets all of it, at most MAX_BUFFERED_BODY, and an error when the client went away.
import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StepFault } from '../policies/policy.ts';
import { ManualClock } from '../util/clock.ts';
import { GatewayRequest, MAX_BUFFERED_BODY, MessageContext } from './context.ts';

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

describe('MessageContext variables', () => {
  const context = () => new MessageContext({ name: 'api', revision: 1, basePath: '/api' }, requestWith(new PassThrough()), 'request-1', new ManualClock(0));

  it('reads a layer set with setAll like variables set one by one', () => {
    const c = context();
    c.setAll(new Map([['client_id', 'abc'], ['app.name', 'weather-app']]));
    expect(c.get('client_id')).toBe('abc');
    expect(c.get('app.name')).toBe('weather-app');
    expect(c.get('request.verb')).toBe('POST'); // built-ins still answer
  });

  it('lets the last write win, whether it was set() or setAll()', () => {
    const c = context();
    c.set('scope', 'before');
    c.setAll(new Map([['scope', 'layer-1'], ['client_id', 'one']]));
    expect(c.get('scope')).toBe('layer-1');
    c.set('client_id', 'set-after');
    expect(c.get('client_id')).toBe('set-after');
    c.setAll(new Map([['client_id', 'layer-2']]));
    expect(c.get('client_id')).toBe('layer-2');
    expect(c.get('scope')).toBe('layer-1');
    c.set('scope', undefined);
    expect(c.get('scope')).toBeUndefined();
  });

  it('never changes the layer it was given', () => {
    const layer = new Map([['client_id', 'abc']]);
    const c = context();
    c.setAll(layer);
    c.set('client_id', 'other');
    expect([...layer]).toEqual([['client_id', 'abc']]);
  });
});
