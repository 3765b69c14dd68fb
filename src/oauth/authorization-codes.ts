// Authorization codes (RFC 6749 §4.1): opaque tokens (token-keys.ts), stored by their key in the token table (kind `code`), single use.
// Each code starts a grant chain (family): the tokens it is exchanged for join it, so a code presented a second time
// revokes everything it issued (§4.1.2), and the refresh tokens rotate within the same chain.
import type { AccessTokenFormat, IssuedTokenPair, KeyRecord, TokenService } from '../policies/policy.ts';
import type { OAuthTokenRecord, Repositories } from '../store/index.ts';
import type { Clock } from '../util/clock.ts';
import { newId } from '../util/secrets.ts';
import { newOpaqueToken, tokenKey } from './token-keys.ts';

/** A stored code, as the token endpoint checks it. */
export interface AuthorizationCodeInfo {
  readonly id: string;
  readonly clientId: string;
  readonly appId: string;
  readonly products: readonly string[];
  readonly scope: string;
  /** The email of the user who consented. */
  readonly endUser: string;
  readonly expiresAt: number;
  /** Exchanged already (or revoked with its chain). */
  readonly used: boolean;
  readonly familyId: string;
  readonly redirectUri: string;
  readonly redirectUriGiven: boolean;
  readonly codeChallenge: string | undefined;
}

const REDIRECT_URI = 'redirect_uri';
const REDIRECT_URI_GIVEN = 'redirect_uri_given';
const CODE_CHALLENGE = 'code_challenge';

/** The code store the authorization endpoint writes and the token endpoint redeems. */
export interface AuthorizationCodeStore {
  issue(input: {
    key: KeyRecord;
    products: readonly string[];
    scope: string;
    endUser: string;
    expiresInMs: number;
    redirectUri: string;
    redirectUriGiven: boolean;
    codeChallenge: string | undefined;
  }): Promise<string>;
  lookup(code: string): Promise<AuthorizationCodeInfo | undefined>;
  /**
   * Exchanges the code for a token pair in its chain and marks it used. When it was used already (before, or by a
   * concurrent exchange that won), revokes the chain, the pair just made included, and answers undefined.
   */
  redeem(
    code: AuthorizationCodeInfo,
    next: { key: KeyRecord; products: readonly string[]; scope: string; expiresInMs: number | null; refreshExpiresInMs: number | null; format?: AccessTokenFormat },
  ): Promise<IssuedTokenPair | undefined>;
  /** Revokes every token a code was exchanged for (a code presented twice). */
  revokeIssued(code: AuthorizationCodeInfo): Promise<void>;
}

export class StoredAuthorizationCodes implements AuthorizationCodeStore {
  readonly #store: Repositories;
  readonly #clock: Clock;
  readonly #tokens: TokenService;

  constructor(store: Repositories, clock: Clock, tokens: TokenService) {
    this.#store = store;
    this.#clock = clock;
    this.#tokens = tokens;
  }

  async issue(input: Parameters<AuthorizationCodeStore['issue']>[0]): Promise<string> {
    const issuedAt = this.#clock.now();
    const { id, token: code } = newOpaqueToken(issuedAt);
    const record: OAuthTokenRecord = {
      id,
      kind: 'code',
      tokenHash: tokenKey(code),
      clientId: input.key.clientId,
      appId: input.key.app.id,
      developerId: input.key.developer.id,
      products: [...input.products],
      scope: input.scope,
      grantType: 'authorization_code',
      endUser: input.endUser,
      issuedAt,
      expiresAt: issuedAt + input.expiresInMs,
      revokedAt: null,
      familyId: newId(),
      attributes: {
        [REDIRECT_URI]: input.redirectUri,
        [REDIRECT_URI_GIVEN]: String(input.redirectUriGiven),
        ...(input.codeChallenge === undefined ? {} : { [CODE_CHALLENGE]: input.codeChallenge }),
      },
    };
    await this.#store.oauthTokens.insert(record);
    return code;
  }

  async lookup(code: string): Promise<AuthorizationCodeInfo | undefined> {
    if (code.length > 200) return undefined;
    const record = await this.#store.oauthTokens.getByHash(tokenKey(code));
    if (!record || record.kind !== 'code' || record.familyId === null || record.endUser === null || record.expiresAt === null) return undefined;
    return {
      id: record.id,
      clientId: record.clientId,
      appId: record.appId,
      products: record.products,
      scope: record.scope,
      endUser: record.endUser,
      expiresAt: record.expiresAt,
      used: record.revokedAt !== null,
      familyId: record.familyId,
      redirectUri: record.attributes[REDIRECT_URI] ?? '',
      redirectUriGiven: record.attributes[REDIRECT_URI_GIVEN] === 'true',
      codeChallenge: record.attributes[CODE_CHALLENGE],
    };
  }

  async redeem(code: AuthorizationCodeInfo, next: Parameters<AuthorizationCodeStore['redeem']>[1]): Promise<IssuedTokenPair | undefined> {
    if (code.used) {
      await this.revokeIssued(code);
      return undefined;
    }
    // As with refresh rotation: the pair is written before the code is marked, so when two exchanges race, the one that
    // fails to mark it revokes the chain after the winner's pair is already in it.
    const pair = await this.#tokens.issueTokenPair({
      key: next.key,
      products: next.products,
      scope: next.scope,
      grantType: 'authorization_code',
      endUser: code.endUser,
      expiresInMs: next.expiresInMs,
      refreshExpiresInMs: next.refreshExpiresInMs,
      familyId: code.familyId,
      ...(next.format ? { format: next.format } : {}),
    });
    if (!(await this.#store.oauthTokens.revoke(code.id, this.#clock.now()))) {
      await this.revokeIssued(code);
      return undefined;
    }
    return pair;
  }

  async revokeIssued(code: AuthorizationCodeInfo): Promise<void> {
    await this.#tokens.revokeTokenFamily(code.familyId);
  }
}
