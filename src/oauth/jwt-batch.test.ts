import { describe, expect, it } from 'vitest';
import { generateKeyPair, signingKey, verificationKey, verifyJwt, type JwsKey } from './jwt.ts';
import { JwtSigningBatch } from './jwt-batch.ts';

const { publicJwk, privatePem } = generateKeyPair('ES256');
const signer = signingKey('k1', 'ES256', privatePem);
const verifier = verificationKey('k1', 'ES256', publicJwk);
const keys = (kid: string) => (kid === 'k1' ? verifier : undefined);

describe('JwtSigningBatch', () => {
  it('signs each token with its own claims and typ, verifiable with the key', async () => {
    const batch = new JwtSigningBatch();
    const [first, second] = await Promise.all([batch.sign(signer, { jti: 'a' }), batch.sign(signer, { jti: 'b' }, 'jwt')]);
    expect(verifyJwt(first as string, keys)).toMatchObject({ ok: true, header: { typ: 'at+jwt', kid: 'k1' }, claims: { jti: 'a' } });
    expect(verifyJwt(second as string, keys, 'jwt')).toMatchObject({ ok: true, header: { typ: 'jwt' }, claims: { jti: 'b' } });
  });

  it('makes the signatures asked for in one turn together, after that turn, and the next turn’s in a batch of their own', async () => {
    const log: string[] = [];
    const batch = new JwtSigningBatch((_key, claims) => {
      const { jti } = claims as { jti: string };
      log.push(`sign ${jti}`);
      return `token-${jti}`;
    });
    const turn = ['a', 'b', 'c'].map((jti) => {
      log.push(`ask ${jti}`);
      return batch.sign(signer, { jti });
    });
    expect(log).toEqual(['ask a', 'ask b', 'ask c']);
    expect(await Promise.all(turn)).toEqual(['token-a', 'token-b', 'token-c']);
    log.push('next turn');
    expect(await batch.sign(signer, { jti: 'd' })).toBe('token-d');
    expect(log).toEqual(['ask a', 'ask b', 'ask c', 'sign a', 'sign b', 'sign c', 'next turn', 'sign d']);
  });

  it('fails only the token whose key cannot sign; the rest of its batch is signed', async () => {
    const batch = new JwtSigningBatch();
    const publicOnly: JwsKey = verifier;
    const results = await Promise.allSettled([batch.sign(signer, { jti: 'a' }), batch.sign(publicOnly, { jti: 'b' }), batch.sign(signer, { jti: 'c' })]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toBeInstanceOf(Error);
    expect(String((results[1] as PromiseRejectedResult).reason)).toContain('has no private part');
  });
});
