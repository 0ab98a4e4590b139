import { USER_ROLES } from './auth-store.js';
import type { UserRole } from './auth-store.js';

export { USER_ROLES };
export type { UserRole };

/** The tenant every install has; insecure mode acts in it. */
export const DEFAULT_TENANT = 'default';

/** How a request authenticated. */
export const AUTH_METHODS = ['token', 'api_key', 'insecure'] as const;
export type AuthMethod = (typeof AUTH_METHODS)[number];

/**
 * Who is calling: decorated on every authenticated request as `request.auth`.
 * `isAdmin` (role `admin`) sees every tenant.
 */
export interface AuthContext {
  readonly userId: string;
  readonly user: string;
  readonly tenant: string;
  readonly roles: readonly UserRole[];
  readonly isAdmin: boolean;
  readonly method: AuthMethod;
  /** The API key used, when `method` is `api_key`. */
  readonly apiKeyId: string | null;
}

/** Builds an {@link AuthContext}, deriving `isAdmin` from the roles. */
export function authContext(c: Omit<AuthContext, 'isAdmin' | 'apiKeyId'> & { apiKeyId?: string | null }): AuthContext {
  return { ...c, apiKeyId: c.apiKeyId ?? null, isAdmin: c.roles.includes('admin') };
}

/** Whether `x` names a role. */
export const isUserRole = (x: unknown): x is UserRole => (USER_ROLES as readonly unknown[]).includes(x);

/** Tenant (project) names: short, URL- and log-safe. */
export const TENANT_PATTERN = /^[a-z0-9][a-z0-9_.-]{0,62}$/;
/** Usernames: short, log-safe, no separators used in API keys. */
export const USERNAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.@-]{0,62}$/;
