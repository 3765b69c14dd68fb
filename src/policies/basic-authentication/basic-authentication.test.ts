import { describe, expect, it } from 'vitest';
import { configure, flowContext, policyDeps, withResponse, refusal } from '../../../test/helpers/flow-context.ts';
import { PolicyConfigError, type StepPlacement } from '../policy.ts';
import { basicAuthentication } from './index.ts';

function step(config: unknown, phase: StepPlacement['phase'] = 'request') {
  const compiled = configure(basicAuthentication, config);
  return basicAuthentication.create(compiled, policyDeps(), { api: 'api', stepName: 'basic', phase });
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('basic-authentication Encode', () => {
  const encode = { operation: 'Encode', user: 'request.queryparam.client_id', password: 'request.queryparam.client_secret' };

  it('writes Basic base64(user:password) into the Authorization header by default', async () => {
    const context = flowContext({ url: '/api/token?client_id=app&client_secret=s3cr%C3%A9t' });
    await step(encode)(context);
    expect(context.request.header('authorization')).toBe(`Basic ${b64('app:s3crét')}`);
  });

  it('writes to another header, a flow variable, or the response', async () => {
    const context = flowContext({ url: '/api/token?client_id=app&client_secret=pw' });
    await step({ ...encode, assignTo: 'request.header.X-Upstream-Auth' })(context);
    expect(context.request.header('x-upstream-auth')).toBe(`Basic ${b64('app:pw')}`);
    await step({ ...encode, assignTo: 'upstream.credentials' })(context);
    expect(context.get('upstream.credentials')).toBe(`Basic ${b64('app:pw')}`);
    withResponse(context, 200, '{}');
    await step({ ...encode, assignTo: 'response.header.X-Echo' }, 'response')(context);
    expect(context.response!.header('x-echo')).toBe(`Basic ${b64('app:pw')}`);
  });

  it('keeps an existing value when overwrite is false', async () => {
    const context = flowContext({ url: '/api/token?client_id=app&client_secret=pw', headers: { authorization: 'Bearer kept' } });
    await step({ ...encode, overwrite: false })(context);
    expect(context.request.header('authorization')).toBe('Bearer kept');
    await step(encode)(context);
    expect(context.request.header('authorization')).toBe(`Basic ${b64('app:pw')}`);
  });

  it('fails with UnresolvedVariable when a credential variable is not set, or writes nothing when told to ignore it', async () => {
    const context = flowContext({ url: '/api/token?client_id=app' });
    expect(await refusal(step(encode), context)).toMatchObject({
      status: 500,
      code: 'basic-authentication.unresolved_variable',
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
      message: 'Unresolved variable : request.queryparam.client_secret',
    });
    await step({ ...encode, ignoreUnresolvedVariables: true })(context);
    expect(context.request.header('authorization')).toBeUndefined();
  });

  it('refuses to deploy without its variables, or writing where it cannot', () => {
    expect(() => step({ operation: 'Encode', user: 'u' })).toThrow(PolicyConfigError);
    expect(() => step({ ...encode, assignTo: 'response.header.Authorization' }, 'request')).toThrow(/request flow has no response/);
    expect(() => step({ ...encode, assignTo: 'request.queryparam.auth' })).toThrow(/only headers/);
  });
});

describe('basic-authentication Decode', () => {
  const decode = { operation: 'Decode' };

  it('splits the Authorization header into the step\'s user and password variables', async () => {
    const context = flowContext({ headers: { authorization: `Basic ${b64('dana:pa:ss wörd')}` } });
    await step(decode)(context);
    expect(context.get('basic-authentication.basic.user')).toBe('dana');
    expect(context.get('basic-authentication.basic.password')).toBe('pa:ss wörd');
  });

  it('writes to the configured variables, from the configured source, with or without the scheme', async () => {
    const context = flowContext({ url: `/api/x?auth=${encodeURIComponent(b64('u:p'))}` });
    await step({ ...decode, source: 'request.queryparam.auth', user: 'creds.user', password: 'creds.password' })(context);
    expect(context.get('creds.user')).toBe('u');
    expect(context.get('creds.password')).toBe('p');
  });

  it('reads the scheme in any case and credentials without padding', async () => {
    const context = flowContext({ headers: { authorization: `bAsIc   ${b64('ab:c').replace(/=+$/, '')}` } });
    await step(decode)(context);
    expect(context.get('basic-authentication.basic.user')).toBe('ab');
    expect(context.get('basic-authentication.basic.password')).toBe('c');
  });

  it('accepts an empty user or password', async () => {
    const context = flowContext({ headers: { authorization: `Basic ${b64(':')}` } });
    await step(decode)(context);
    expect(context.get('basic-authentication.basic.user')).toBe('');
    expect(context.get('basic-authentication.basic.password')).toBe('');
  });

  it('refuses a call without credentials with 401 and a Basic challenge', async () => {
    expect(await refusal(step(decode), flowContext())).toMatchObject({
      status: 401,
      code: 'basic-authentication.missing',
      faultName: 'UnresolvedVariable',
      apigeeCode: 'steps.basicauthentication.UnresolvedVariable',
      headers: { 'www-authenticate': 'Basic realm="gatehouse", charset="UTF-8"' },
    });
  });

  it('refuses credentials it cannot decode with InvalidBasicAuthenticationSource', async () => {
    const undecodable = [
      'Bearer abc.def',
      'Basic not*base64',
      `Basic ${b64('no colon')}`,
      `Basic ${Buffer.from([0x75, 0x3a, 0xff, 0xfe]).toString('base64')}`, // not UTF-8
      'Basic a',
      'Basic ',
    ];
    for (const authorization of undecodable) {
      expect(await refusal(step(decode), flowContext({ headers: { authorization } })), authorization).toMatchObject({
        status: 401,
        code: 'basic-authentication.invalid',
        faultName: 'InvalidBasicAuthenticationSource',
        apigeeCode: 'steps.basicauthentication.InvalidBasicAuthenticationSource',
        headers: { 'www-authenticate': 'Basic realm="gatehouse", charset="UTF-8"' },
      });
    }
  });

  it('continues without setting variables when told to ignore what it cannot resolve', async () => {
    for (const headers of [{}, { authorization: 'Bearer abc' }] as Array<Record<string, string>>) {
      const context = flowContext({ headers });
      await step({ ...decode, ignoreUnresolvedVariables: true })(context);
      expect(context.get('basic-authentication.basic.user')).toBeUndefined();
    }
  });

  it('round-trips what Encode wrote', async () => {
    const context = flowContext({ url: '/api/token?client_id=caf%C3%A9&client_secret=%3A%3A' });
    await step({ operation: 'Encode', user: 'request.queryparam.client_id', password: 'request.queryparam.client_secret' })(context);
    await step(decode)(context);
    expect(context.get('basic-authentication.basic.user')).toBe('café');
    expect(context.get('basic-authentication.basic.password')).toBe('::');
  });
});
