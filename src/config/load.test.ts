import { describe, expect, it } from 'vitest';
import { failureOf as failure } from '../../test/helpers/failure.ts';
import { describeConfig, loadConfig } from './load.ts';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config.gateway).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(config.admin).toEqual({ port: 8081, host: '127.0.0.1' });
    expect(config.hub).toEqual({ port: 8082, host: '0.0.0.0', signup: 'open' });
    expect(config.dataDir).toBe('./data');
    expect(config.databaseUrl).toBeUndefined();
  });

  it('lets the file override defaults, the environment override the file, and flags override both', () => {
    const file = { gateway: { port: 9000 }, admin: { port: 9001 }, hub: { port: 9002 } };
    const env = { GATEHOUSE_ADMIN_PORT: '9101', GATEHOUSE_HUB_PORT: '9102' };
    const config = loadConfig({ file, env, flags: { 'hub-port': '9202' } });
    expect(config.gateway.port).toBe(9000);
    expect(config.admin.port).toBe(9101);
    expect(config.hub.port).toBe(9202);
  });

  it('reads DATABASE_URL and GATEHOUSE_DATA_DIR', () => {
    const config = loadConfig({ env: { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db', GATEHOUSE_DATA_DIR: '/tmp/x' } });
    expect(config.databaseUrl).toBe('postgres://u:p@127.0.0.1:5432/db');
    expect(config.dataDir).toBe('/tmp/x');
  });

  it('names the variable and the source of a bad value', () => {
    const error = failure(() => loadConfig({ env: { GATEHOUSE_GATEWAY_PORT: 'eighty' } }));
    expect(error.code).toBe('config.invalid');
    expect(error.message).toBe('Invalid setting GATEHOUSE_GATEWAY_PORT from the environment: "eighty" is not an integer from 0 to 65535 (0 picks a free port).');
  });

  it('reads the hub sign-up mode and the gateway public URL, and refuses values they cannot take', () => {
    const config = loadConfig({ env: { GATEHOUSE_HUB_SIGNUP: 'approval', GATEHOUSE_GATEWAY_PUBLIC_URL: 'https://api.example.com' } });
    expect(config.hub.signup).toBe('approval');
    expect(config.gateway.publicUrl).toBe('https://api.example.com');
    expect(failure(() => loadConfig({ env: { GATEHOUSE_HUB_SIGNUP: 'invite' } })).message).toBe(
      'Invalid setting GATEHOUSE_HUB_SIGNUP from the environment: "invite" is not one of open, approval, closed.',
    );
    for (const url of ['api.example.com', 'https://api.example.com/base', 'ftp://api.example.com']) {
      expect(failure(() => loadConfig({ env: { GATEHOUSE_GATEWAY_PUBLIC_URL: url } })).message, url).toContain('GATEHOUSE_GATEWAY_PUBLIC_URL');
    }
  });

  it('names the flag of a bad value and refuses ports out of range', () => {
    expect(failure(() => loadConfig({ flags: { 'admin-port': '70000' } })).message).toContain('--admin-port from the flag');
  });

  it('names the file field of a bad value', () => {
    expect(failure(() => loadConfig({ file: { hub: { port: 'x' } }, fileName: 'g.yaml' })).message).toContain('server.hub.port from the config file');
  });

  it('refuses unknown settings in the file and lists the known ones', () => {
    const error = failure(() => loadConfig({ file: { gateway: { prot: 1 } } }));
    expect(error.message).toContain('Unknown setting server.gateway.prot');
    expect(error.message).toContain('gateway.port');
  });

  it('does not print secrets back, neither in errors nor in the description', () => {
    const error = failure(() => loadConfig({ env: { GATEHOUSE_ADMIN_TOKEN: 'short' } }));
    expect(error.message).not.toContain('short');
    expect(error.message).toContain('(hidden)');
    const shown = describeConfig(loadConfig({ env: { GATEHOUSE_ADMIN_TOKEN: 'a-long-enough-admin-token' } }));
    expect(JSON.stringify(shown)).not.toContain('a-long-enough-admin-token');
  });

  it('refuses a database URL that is not PostgreSQL', () => {
    expect(failure(() => loadConfig({ env: { DATABASE_URL: 'mysql://x' } })).message).toContain('DATABASE_URL');
  });
});
