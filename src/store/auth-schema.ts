import type { ColumnType } from 'kysely';

/** jsonb: written as a JSON string, read parsed. */
type Json<T> = ColumnType<T, string, string>;
/** timestamptz: read and written as Date. */
type Time = ColumnType<Date, Date, Date>;

// The roles are authentication's (its store port; a leaf module, so no import cycle);
// the SQL CHECK of migration 004 reads them from there.
export { USER_ROLES } from '../auth/auth-store.js';
export type { UserRole } from '../auth/auth-store.js';
import type { UserRole } from '../auth/auth-store.js';

/** Users that log in with a password (`POST /admin/v1/tokens`) or act through API keys. */
export interface UsersTable {
  id: string;
  username: string;
  /** `scrypt$<N>$<r>$<p>$<salt>$<hash>`; never the clear password. */
  password_hash: string;
  /** The tenant (project) the user belongs to. */
  tenant: string;
  roles: Json<UserRole[]>;
  disabled: boolean;
  created_at: Time;
  updated_at: Time;
  /** Tokens issued before this instant are refused (password change, disable). */
  tokens_valid_after: Time;
}

/** Long-lived API keys (`rondo_<id>_<secret>`); only a hash of the secret is kept. */
export interface ApiKeysTable {
  id: string;
  user_id: string;
  name: string;
  /** SHA-256 (hex) of the secret part. */
  secret_hash: string;
  created_at: Time;
  expires_at: Time | null;
  revoked_at: Time | null;
  last_used_at: Time | null;
}

/** VIM accounts an admin shared with another tenant (Tacker's `shared` VIMs, per tenant). */
export interface VimAccountSharesTable {
  vim_id: string;
  tenant: string;
  created_at: Time;
}

/** One state-changing API call: who, in which tenant, what, on what, and the result. */
export interface AuditLogTable {
  /** Insertion order; the paging cursor (bigint identity, read as a string by pg). */
  seq: ColumnType<string | number, never, never>;
  id: string;
  at: Time;
  user_id: string | null;
  username: string | null;
  tenant: string | null;
  action: string;
  method: string;
  route: string;
  target: Json<Record<string, string>>;
  status: number;
  request_id: string;
}

/** Tables of authentication, sharing and audit. */
export interface AuthTables {
  users: UsersTable;
  api_keys: ApiKeysTable;
  vim_account_shares: VimAccountSharesTable;
  audit_log: AuditLogTable;
}
