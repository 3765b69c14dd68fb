import { describe, expect, it } from 'vitest';
import { unsafePath } from './server.ts';

describe('unsafePath', () => {
  it('refuses dot segments, plain or percent-encoded', () => {
    for (const path of ['/api/public/../admin', '/api/./x', '/api/public/%2e%2e/admin', '/api/%2E/x', '/..', '/api/..', '/api/.%2e/x']) expect(unsafePath(path), path).toBe(true);
  });
  it('refuses encoded slashes and backslashes', () => {
    expect(unsafePath('/api/public%2f..%2fadmin')).toBe(true);
    expect(unsafePath('/api/a%5Cb')).toBe(true);
  });
  it('accepts dots inside names', () => {
    for (const path of ['/api/v1.2/file.json', '/api/...', '/api/.well-known/x', '/api/a..b']) expect(unsafePath(path), path).toBe(false);
  });
});
