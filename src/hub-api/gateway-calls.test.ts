// The addresses and headers of calls the hub makes for a developer: the gateway only, hop headers its own.
import { describe, expect, it } from 'vitest';
import { isGatehouseError } from '../errors.ts';
import { bodyAsText, gatewayUrl, isHubHeader, isTextual } from './gateway-calls.ts';

const GATEWAY = 'http://127.0.0.1:8080';

describe('the URL of a call', () => {
  it('is the gateway origin followed by the path and query', () => {
    expect(gatewayUrl(GATEWAY, '/weather/data?q=Berlin').href).toBe('http://127.0.0.1:8080/weather/data?q=Berlin');
    expect(gatewayUrl('http://127.0.0.1:8080/ignored/path', '/x').href).toBe('http://127.0.0.1:8080/x');
  });

  it('resolves dot segments, so the caller checks the path it will really call', () => {
    expect(gatewayUrl(GATEWAY, '/weather/../admin').pathname).toBe('/admin');
  });

  it.each(['//evil.example/x', 'http://evil.example/', '/\\evil.example', 'evil.example', '@evil.example'])('refuses %s, which could leave the gateway', (path) => {
    let code: string | undefined;
    try {
      gatewayUrl(GATEWAY, path);
    } catch (error) {
      code = isGatehouseError(error) ? error.code : 'other';
    }
    expect(code).toBe('request.invalid');
  });
});

describe('headers', () => {
  it.each(['Host', 'connection', 'Content-Length', 'Transfer-Encoding', 'X-Forwarded-For', 'x-forwarded-host', 'Forwarded', 'Proxy-Authorization', 'TE', 'Upgrade'])('%s is set by the hub, not the developer', (name) => {
    expect(isHubHeader(name)).toBe(true);
  });

  it.each(['Authorization', 'Content-Type', 'Accept', 'X-Api-Key'])('%s is passed on', (name) => {
    expect(isHubHeader(name)).toBe(false);
  });
});

describe('bodies', () => {
  it('are text for JSON, XML, text and no content type, base64 for anything else', () => {
    expect(['application/json; charset=utf-8', 'application/problem+json', 'text/html', 'application/vnd.api+json', undefined].map(isTextual)).toEqual([true, true, true, true, true]);
    expect(isTextual('image/png')).toBe(false);
    expect(bodyAsText(Buffer.from([0xff, 0x00]), 'application/octet-stream')).toEqual({ body: '/wA=', bodyEncoding: 'base64' });
    expect(bodyAsText(Buffer.from('{"a":1}'), 'application/json')).toEqual({ body: '{"a":1}', bodyEncoding: 'utf8' });
  });
});
