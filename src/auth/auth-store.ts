// The store as authentication uses it: a port auth owns, implemented by `src/store`
// (`authRepositories`, `sealedColumnRepository`) and handed over by the composition root.

/**
 * The roles of Rondo: `admin` does everything in every tenant, `operator` runs the
 * lifecycle in its own tenant, `viewer` reads its own tenant.
 */
export const USER_ROLES = ['admin', 'operator', 'viewer'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/** A stored user. `passwordHash` never leaves `src/auth`. */
export interface UserRecord {
  readonly id: string;
  readonly username: string;
  readonly passwordHash: string;
  readonly tenant: string;
  readonly roles: readonly UserRole[];
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly tokensValidAfter: Date;
}

/** Fields a change may set; `updatedAt` always. */
export interface UserChange {
  readonly passwordHash?: string;
  readonly tenant?: string;
  readonly roles?: readonly UserRole[];
  readonly disabled?: boolean;
  readonly tokensValidAfter?: Date;
  readonly updatedAt: Date;
}

/** Users: the accounts that authenticate. */
export interface UserRepository {
  /** ConflictError `USER_EXISTS` when the username is taken. */
  insert(u: UserRecord): Promise<UserRecord>;
  get(id: string): Promise<UserRecord | undefined>;
  getByUsername(username: string): Promise<UserRecord | undefined>;
  /** Every user, by username; `tenant` narrows. */
  list(filter?: { readonly tenant?: string }): Promise<UserRecord[]>;
  /** The changed user, or undefined when it does not exist. */
  update(id: string, change: UserChange): Promise<UserRecord | undefined>;
  /** Whether a row was deleted (its API keys go with it). */
  delete(id: string): Promise<boolean>;
  /** How many users exist (bootstrap creates the first admin only when none does). */
  count(): Promise<number>;
}

/** A stored API key: its id, owner and the hash of its secret (never the secret). */
export interface ApiKeyRecord {
  readonly id: string;
  readonly userId: string;
  readonly name: string;
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly expiresAt: Date | null;
  readonly revokedAt: Date | null;
  readonly lastUsedAt: Date | null;
}

/** API keys for automation. */
export interface ApiKeyRepository {
  insert(k: ApiKeyRecord): Promise<ApiKeyRecord>;
  get(id: string): Promise<ApiKeyRecord | undefined>;
  /** Keys of one user (or of everyone when `userId` is omitted), newest first. */
  list(filter?: { readonly userId?: string }): Promise<ApiKeyRecord[]>;
  /** Marks a key revoked; false when it does not exist or was revoked already. */
  revoke(id: string, at: Date): Promise<boolean>;
  /** Records a use; cheap and best-effort. */
  touch(id: string, at: Date): Promise<void>;
}

/** One audited API call. */
export interface AuditEntry {
  readonly id: string;
  readonly at: Date;
  readonly userId: string | null;
  readonly username: string | null;
  readonly tenant: string | null;
  readonly action: string;
  readonly method: string;
  /** The route pattern (`/nslcm/v1/ns_instances/:id/instantiate`), not the raw URL. */
  readonly route: string;
  /** Route parameters (the ids the call was about). */
  readonly target: Readonly<Record<string, string>>;
  readonly status: number;
  readonly requestId: string;
}

/** A stored entry with its paging position. */
export interface AuditRecord extends AuditEntry {
  readonly seq: number;
}

/** Filters of {@link AuditLogRepository.list}. */
export interface AuditFilter {
  readonly username?: string;
  readonly action?: string;
  /** Entries at or after this instant. */
  readonly since?: Date;
  /** Paging cursor: entries older than this `seq`. */
  readonly before?: number;
  /** Page size (the caller bounds it). */
  readonly limit: number;
}

/** The append-only audit log. */
export interface AuditLogRepository {
  append(e: AuditEntry): Promise<void>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditRecord[]>;
}

/** VIM accounts shared with tenants other than their owner. */
export interface VimShareRepository {
  /** Idempotent: sharing twice is one share. */
  share(vimId: string, tenant: string, at: Date): Promise<void>;
  /** Whether a share was removed. */
  unshare(vimId: string, tenant: string): Promise<boolean>;
  /** Tenants a VIM is shared with, sorted. */
  tenantsOf(vimId: string): Promise<string[]>;
  /** Whether the VIM account exists at all. */
  vimExists(vimId: string): Promise<boolean>;
  /** Ids of VIM accounts `tenant` may use: its own plus those shared with it. */
  visibleTo(tenant: string): Promise<string[]>;
}

/** A text column that holds `SecretBox` output, and the column that identifies its row. */
export interface SealedColumn {
  readonly table: string;
  readonly keyColumn: string;
  readonly column: string;
}

/** One sealed value and its row key. */
export interface SealedValue {
  readonly key: string;
  readonly sealed: string;
}

/** Reads and rewrites sealed columns generically (for key rotation). */
export interface SealedColumnRepository {
  /** Every non-null value of the column. */
  list(c: SealedColumn): Promise<SealedValue[]>;
  /** Replaces one value if it still equals `expected`; false when someone changed it meanwhile. */
  replace(c: SealedColumn, key: string, expected: string, next: string): Promise<boolean>;
}

/** The repositories of {@link createAuthService}. */
export interface AuthRepositories {
  readonly users: UserRepository;
  readonly apiKeys: ApiKeyRepository;
  readonly auditLog: AuditLogRepository;
  readonly shares: VimShareRepository;
}
