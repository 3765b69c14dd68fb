// /oauth/signing-keys: the keys that sign JWT access tokens (never their private part), and rotation by command.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { ManageDeps } from '../../manage/context.ts';
import { listSigningKeys, rotateSigningKeys, type KeyRotator } from '../../manage/signing-keys.ts';
import { SigningKeyList, SigningKeyRotation, SigningKeyRotationRequest } from '../../model/signing-key.ts';
import { ACCESS } from '../access.ts';
import { errorResponses } from '../schemas.ts';

const tags = ['oauth'];

/** `keys`: this node's signing keys; absent when the server has no secret, and then rotation is refused. */
export function signingKeyRoutes(deps: ManageDeps, keys: KeyRotator | undefined): FastifyPluginAsyncTypebox {
  return async function registerSigningKeyRoutes(app) {
    app.get(
      '/oauth/signing-keys',
      {
        config: { access: ACCESS.read },
        schema: {
          tags,
          summary: 'List the JWT signing keys',
          description: 'Every key published in the gateway\'s `/.well-known/jwks.json`: the next one, the current one, and those retiring. Never their private part.',
          response: { 200: SigningKeyList, ...errorResponses },
        },
      },
      async function listSigningKeysRoute() {
        return listSigningKeys(deps);
      },
    );

    app.post(
      '/oauth/signing-keys/rotation',
      {
        config: { access: ACCESS.admin },
        schema: {
          tags,
          summary: 'Rotate the JWT signing keys now',
          description:
            'A new key signs from now on; the key it replaces signs no more but stays published for the overlap (24 hours), so tokens it signed still verify. A successor that was published ahead of its turn is withdrawn. Other nodes take the new key up at their next key check (within 5 seconds). Written to the audit log as `signing-key.rotate`.',
          body: SigningKeyRotationRequest,
          response: { 200: SigningKeyRotation, ...errorResponses },
        },
      },
      async function rotateSigningKeysRoute(request) {
        return rotateSigningKeys(deps, request.actor, keys, request.body?.algorithm);
      },
    );
  };
}
