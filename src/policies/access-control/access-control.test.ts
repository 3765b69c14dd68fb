import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, StepFault, type FlowContext } from '../policy.ts';
import { accessControl } from './index.ts';

function step(config: unknown) {
  const compiled = configure(accessControl, config);
  return accessControl.create(compiled, policyDeps(), { api: 'api', stepName: 'acl', phase: 'request' });
}

async function verdict(config: unknown, clientIp: string, forwardedFor?: string): Promise<'allowed' | StepFault> {
  const context: FlowContext = flowContext({ clientIp, headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });
  try {
    await step(config)(context);
    return 'allowed';
  } catch (error) {
    if (error instanceof StepFault) return error;
    throw error;
  }
}

const denyPrivate = {
  rules: [
    { action: 'allow', addresses: ['10.1.0.0/16'] },
    { action: 'deny', addresses: ['10.0.0.0/8', '192.168.0.0/16', 'fc00::/7'] },
  ],
};

describe('access-control', () => {
  it('denies with IPDeniedAccess and 403, naming the address', async () => {
    expect(await verdict(denyPrivate, '10.2.3.4')).toMatchObject({
      status: 403,
      code: 'access-control.denied',
      faultName: 'IPDeniedAccess',
      apigeeCode: 'accesscontrol.IPDeniedAccess',
      message: 'Access Denied for client ip : 10.2.3.4',
    });
  });

  it('tries the rules in order, the first match deciding', async () => {
    expect(await verdict(denyPrivate, '10.1.200.7')).toBe('allowed');
    expect(await verdict(denyPrivate, '10.2.0.1')).toBeInstanceOf(StepFault);
    expect(await verdict(denyPrivate, '192.168.10.10')).toBeInstanceOf(StepFault);
  });

  it('allows what no rule matches by default, and denies it with noRuleMatchAction deny', async () => {
    expect(await verdict(denyPrivate, '203.0.113.9')).toBe('allowed');
    const allowList = { rules: [{ action: 'allow', addresses: ['203.0.113.0/24', '2001:db8::/32'] }], noRuleMatchAction: 'deny' };
    expect(await verdict(allowList, '203.0.113.9')).toBe('allowed');
    expect(await verdict(allowList, '2001:db8:1::5')).toBe('allowed');
    expect(await verdict(allowList, '198.51.100.1')).toBeInstanceOf(StepFault);
    expect(await verdict(allowList, '2001:db9::1')).toBeInstanceOf(StepFault);
  });

  it('matches IPv6 blocks and single addresses', async () => {
    expect(await verdict(denyPrivate, 'fd12:3456::1')).toBeInstanceOf(StepFault);
    expect(await verdict(denyPrivate, 'fe80::1')).toBe('allowed');
    const single = { rules: [{ action: 'deny', addresses: ['2001:db8::7', '198.51.100.7'] }] };
    expect(await verdict(single, '2001:db8::7')).toBeInstanceOf(StepFault);
    expect(await verdict(single, '2001:db8::8')).toBe('allowed');
    expect(await verdict(single, '198.51.100.7')).toBeInstanceOf(StepFault);
    expect(await verdict(single, '198.51.100.8')).toBe('allowed');
  });

  it('matches IPv4 rules against the IPv4-mapped addresses of a dual-stack socket', async () => {
    expect(await verdict(denyPrivate, '::ffff:10.2.3.4')).toBeInstanceOf(StepFault);
    expect(await verdict(denyPrivate, '::ffff:10.1.3.4')).toBe('allowed');
  });

  it('checks the TCP peer by default, ignoring X-Forwarded-For', async () => {
    expect(await verdict(denyPrivate, '203.0.113.9', '10.2.3.4')).toBe('allowed');
    expect(await verdict(denyPrivate, '10.2.3.4', '203.0.113.9')).toBeInstanceOf(StepFault);
  });

  it('checks the first, the last or every X-Forwarded-For address when told to', async () => {
    const header = '10.2.3.4, 203.0.113.9';
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-first' }, '198.51.100.1', header)).toMatchObject({ message: 'Access Denied for client ip : 10.2.3.4' });
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-last' }, '198.51.100.1', header)).toBe('allowed');
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-all' }, '198.51.100.1', header)).toBeInstanceOf(StepFault);
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-all' }, '10.2.3.4', '203.0.113.9,198.51.100.1')).toBe('allowed');
  });

  it('reads X-Forwarded-For entries with ports and brackets', async () => {
    const last = { ...denyPrivate, validateBasedOn: 'x-forwarded-for-last' };
    expect(await verdict(last, '203.0.113.1', '203.0.113.9, 10.2.3.4:4711')).toMatchObject({ message: 'Access Denied for client ip : 10.2.3.4' });
    expect(await verdict(last, '203.0.113.1', '203.0.113.9, [fd00::1]:443')).toMatchObject({ message: 'Access Denied for client ip : fd00::1' });
    expect(await verdict(last, '10.2.3.4', '  2001:db8::1 ')).toBe('allowed');
  });

  it('checks the TCP peer when a forwarded-for mode finds no header', async () => {
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-first' }, '10.2.3.4')).toBeInstanceOf(StepFault);
    expect(await verdict({ ...denyPrivate, validateBasedOn: 'x-forwarded-for-first' }, '203.0.113.9', '')).toBe('allowed');
  });

  it('denies an address it cannot parse, whatever the rules say', async () => {
    const anything = { rules: [{ action: 'allow', addresses: ['0.0.0.0/0', '::/0'] }] };
    expect(await verdict({ ...anything, validateBasedOn: 'x-forwarded-for-first' }, '203.0.113.9', 'unknown, 203.0.113.9')).toBeInstanceOf(StepFault);
    expect(await verdict({ ...anything, validateBasedOn: 'x-forwarded-for-all' }, '203.0.113.9', '203.0.113.9,,203.0.113.8')).toBeInstanceOf(StepFault);
    expect(await verdict(anything, '')).toBeInstanceOf(StepFault);
  });

  it('records the denial in acl.<step>.failed', async () => {
    const context = flowContext({ clientIp: '10.2.3.4' });
    await expect((async () => step(denyPrivate)(context))()).rejects.toBeInstanceOf(StepFault);
    expect(context.get('acl.acl.failed')).toBe(true);
  });

  it('refuses to deploy an address block it cannot parse, naming it', () => {
    expect(() => step({ rules: [{ action: 'deny', addresses: ['10.0.0.0/8', '10.0.0.0/33'] }] })).toThrow(PolicyConfigError);
    expect(() => step({ rules: [{ action: 'deny', addresses: ['10.0.0.0/8', '10.0.0.0/33'] }] })).toThrow(/rules\/0\/addresses\/1: '10.0.0.0\/33'/);
    expect(() => step({ rules: [{ action: 'allow', addresses: ['localhost'] }] })).toThrow(PolicyConfigError);
  });

  it('clears host bits of a block, as a mask does', async () => {
    expect(await verdict({ rules: [{ action: 'deny', addresses: ['10.9.9.9/8'] }] }, '10.0.0.1')).toBeInstanceOf(StepFault);
  });
});
