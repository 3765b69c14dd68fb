// Signs JWTs in batches: the signatures asked for in one turn of the event loop are made one after another once that
// turn's I/O has been read (setImmediate), not each in the middle of its own call.
//
// Why: an ES256 signature takes ~25 µs in a loop, ~38 µs between other calls, and made inside each call it cost the
// token endpoint ~70 µs a call in all: the rest of the call ran slower after it (caches). Signing a turn's tokens
// together took JWT issuance from ~7,700 to ~10,700 tokens/s on one core (bench, docs/performance.md). A token's
// answer waits for its group commit in that same phase anyway, so batching adds no wait of its own.
import { signJwt, type JwsKey } from './jwt.ts';

interface Pending {
  key: JwsKey;
  claims: object;
  typ: string | undefined;
  resolve: (token: string) => void;
  reject: (error: unknown) => void;
}

export type SignOne = (key: JwsKey, claims: object, typ?: string) => string;

export class JwtSigningBatch {
  readonly #signOne: SignOne;
  #queue: Pending[] = [];

  constructor(signOne: SignOne = signJwt) {
    this.#signOne = signOne;
  }

  /** The signed token, made with the others asked for in this turn; a key that cannot sign fails only its own. */
  sign(key: JwsKey, claims: object, typ?: string): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      if (this.#queue.push({ key, claims, typ, resolve, reject }) === 1) setImmediate(this.#drain);
    });
  }

  readonly #drain = (): void => {
    const queue = this.#queue;
    this.#queue = [];
    for (const pending of queue) {
      try {
        pending.resolve(this.#signOne(pending.key, pending.claims, pending.typ));
      } catch (error) {
        pending.reject(error);
      }
    }
  };
}
