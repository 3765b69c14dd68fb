// The Store over Kysely: the same repositories for SQLite and PostgreSQL, and transactions that bind them.
import { sql, type Kysely } from 'kysely';
import type { Repositories, Store } from './store.ts';
import type { Database } from './tables.ts';
import { SqlApis } from './sql/apis.ts';
import { SqlApps, SqlCredentials } from './sql/apps.ts';
import { SqlAudit } from './sql/audit.ts';
import { SqlChangeLog } from './sql/change-log.ts';
import { SqlDevelopers } from './sql/developers.ts';
import { SqlKeyValueMaps } from './sql/key-value-maps.ts';
import { SqlOAuthTokens } from './sql/oauth-tokens.ts';
import type { TokenRowWriter } from './sql/token-writer.ts';
import { SqlProducts } from './sql/products.ts';
import { SqlSessions } from './sql/sessions.ts';
import { SqlSigningKeys } from './sql/signing-keys.ts';
import { SqlPersonalTokens, SqlUsers } from './sql/users.ts';
import type { Db } from './sql/shared.ts';

/** `root`: the store's own repositories, outside any transaction (token writes may then be grouped, and written by `writer`). */
function repositories(db: Db, root = false, writer?: TokenRowWriter): Repositories {
  return {
    users: new SqlUsers(db),
    personalTokens: new SqlPersonalTokens(db),
    sessions: new SqlSessions(db),
    signingKeys: new SqlSigningKeys(db),
    apis: new SqlApis(db),
    products: new SqlProducts(db),
    developers: new SqlDevelopers(db),
    apps: new SqlApps(db),
    credentials: new SqlCredentials(db),
    oauthTokens: new SqlOAuthTokens(db, { group: root, writer }),
    keyValueMaps: new SqlKeyValueMaps(db),
    audit: new SqlAudit(db),
    changeLog: new SqlChangeLog(db),
  };
}

export class SqlStore implements Store {
  readonly users;
  readonly personalTokens;
  readonly sessions;
  readonly signingKeys;
  readonly apis;
  readonly products;
  readonly developers;
  readonly apps;
  readonly credentials;
  readonly oauthTokens;
  readonly keyValueMaps;
  readonly audit;
  readonly changeLog;
  readonly dialect: 'sqlite' | 'postgres';
  readonly #db: Kysely<Database>;
  readonly #beforeClose: (() => Promise<void>) | undefined;

  /**
   * `beforeClose`: work that must end before the connection closes (SQLite's checkpoint worker). `tokenWriter`: writes
   * grouped token rows without Kysely (SQLite).
   */
  constructor(db: Kysely<Database>, dialect: 'sqlite' | 'postgres', options: { beforeClose?: () => Promise<void>; tokenWriter?: TokenRowWriter } = {}) {
    this.#db = db;
    this.dialect = dialect;
    this.#beforeClose = options.beforeClose;
    ({
      users: this.users,
      personalTokens: this.personalTokens,
      sessions: this.sessions,
      signingKeys: this.signingKeys,
      apis: this.apis,
      products: this.products,
      developers: this.developers,
      apps: this.apps,
      credentials: this.credentials,
      oauthTokens: this.oauthTokens,
      keyValueMaps: this.keyValueMaps,
      audit: this.audit,
      changeLog: this.changeLog,
    } = repositories(db, true, options.tokenWriter));
  }

  /** The Kysely handle, for migrations and tests. */
  get db(): Kysely<Database> {
    return this.#db;
  }

  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute((trx) => work(repositories(trx)));
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.#db);
  }

  async close(): Promise<void> {
    await this.#beforeClose?.();
    await this.#db.destroy();
  }
}
