// Row types of the SQL tables, as Kysely sees them. Timestamps are epoch milliseconds; JSON is stored as text;
// booleans as 0/1, so one SQL implementation serves SQLite and PostgreSQL alike.

export interface UsersTable {
  id: string;
  email: string;
  display_name: string | null;
  password_hash: string | null;
  roles: string; // JSON array of role names
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface PersonalTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: number;
  expires_at: number | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  surface: string;
  token_id: string | null;
  created_at: number;
  expires_at: number;
}

export interface SigningKeysTable {
  kid: string;
  alg: string;
  public_jwk: string; // JSON
  private_key: string; // ciphertext of the PKCS#8 PEM
  created_at: number;
  activates_at: number;
  retires_at: number | null;
  expires_at: number | null;
}

export interface ApisTable {
  id: string;
  name: string;
  latest_revision: number;
  created_at: number;
  updated_at: number;
}

export interface ApiRevisionsTable {
  api_id: string;
  revision: number;
  base_path: string;
  spec: string; // JSON ApiSpec
  created_at: number;
  created_by: string;
}

export interface DeploymentsTable {
  api_id: string;
  revision: number;
  base_path: string;
  deployed_at: number;
  deployed_by: string;
}

export interface ProductsTable {
  id: string;
  name: string;
  spec: string; // JSON ProductSpec
  version: number;
  created_at: number;
  updated_at: number;
}

export interface DevelopersTable {
  id: string;
  email: string;
  spec: string; // JSON DeveloperSpec
  status: string;
  user_id: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface AppsTable {
  id: string;
  developer_id: string;
  name: string;
  spec: string; // JSON AppSpec
  status: string;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface CredentialsTable {
  id: string;
  app_id: string;
  client_id: string;
  secret_hash: string;
  status: string;
  issued_at: number;
  expires_at: number | null;
}

export interface CredentialProductsTable {
  credential_id: string;
  product_name: string;
  status: string;
}

export interface OAuthTokensTable {
  id: string;
  kind: string;
  token_hash: string;
  client_id: string;
  app_id: string;
  developer_id: string;
  products: string; // JSON array of product names
  scope: string;
  grant_type: string;
  end_user: string | null;
  issued_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  family_id: string | null;
  attributes: string; // JSON object
}

export interface AuditEventsTable {
  id: number; // generated
  at: number;
  actor: string;
  action: string;
  resource_type: string;
  resource: string;
  details: string; // JSON object
}

export interface KeyValueMapsTable {
  id: string;
  api: string; // '' = organisation-wide
  name: string;
  encrypted: number; // 0/1
  description: string | null;
  version: number;
  created_at: number;
  updated_at: number;
}

export interface KeyValueEntriesTable {
  map_id: string;
  key: string;
  value: string; // ciphertext for an encrypted map
  updated_at: number;
}

export interface ChangeLogTable {
  id: number; // generated, growing
  at: number;
  kind: string;
  name: string;
  origin: string; // the node that emitted the notice
}

export interface Database {
  users: UsersTable;
  personal_tokens: PersonalTokensTable;
  sessions: SessionsTable;
  signing_keys: SigningKeysTable;
  apis: ApisTable;
  api_revisions: ApiRevisionsTable;
  deployments: DeploymentsTable;
  products: ProductsTable;
  developers: DevelopersTable;
  apps: AppsTable;
  credentials: CredentialsTable;
  credential_products: CredentialProductsTable;
  oauth_tokens: OAuthTokensTable;
  audit_events: AuditEventsTable;
  key_value_maps: KeyValueMapsTable;
  key_value_entries: KeyValueEntriesTable;
  change_log: ChangeLogTable;
}
