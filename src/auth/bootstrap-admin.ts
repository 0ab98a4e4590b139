import { randomBytes } from 'node:crypto';
import { DEFAULT_TENANT } from './roles.js';
import type { AccountService } from './account-service.js';
import type { UserRepository } from './auth-store.js';

/** What {@link ensureBootstrapAdmin} did. */
export type BootstrapResult =
  | { readonly created: false }
  | { readonly created: true; readonly username: string; readonly source: 'env' }
  /** The password is returned this once; the server prints it and it is never stored in clear. */
  | { readonly created: true; readonly username: string; readonly source: 'generated'; readonly password: string };

/**
 * On first start (no user at all), creates an admin of tenant `default`: from
 * `adminUser`/`adminPassword` (RONDO_ADMIN_USER / RONDO_ADMIN_PASSWORD) when given,
 * otherwise `admin` with a generated password that is returned once. Does nothing when
 * any user exists. Two processes starting at once: the loser's insert fails with
 * ConflictError `USER_EXISTS`, which is caught and reported as not created.
 */
export async function ensureBootstrapAdmin(deps: {
  readonly users: UserRepository;
  readonly accounts: AccountService;
  readonly adminUser: string | null;
  readonly adminPassword: string | null;
  readonly random?: (n: number) => Uint8Array;
}): Promise<BootstrapResult> {
  if ((await deps.users.count()) > 0) return { created: false };
  const generated = deps.adminPassword === null;
  const username = deps.adminUser ?? 'admin';
  const password = deps.adminPassword ?? Buffer.from((deps.random ?? randomBytes)(18)).toString('base64url');
  try {
    await deps.accounts.createUser({ username, password, tenant: DEFAULT_TENANT, roles: ['admin'] });
  } catch (e) {
    if ((e as { code?: string }).code === 'USER_EXISTS') return { created: false };
    throw e;
  }
  return generated ? { created: true, username, source: 'generated', password } : { created: true, username, source: 'env' };
}

/** The lines the server prints once after creating an admin with a generated password. */
export function bootstrapAdminNotice(r: BootstrapResult): string | null {
  if (!r.created || r.source !== 'generated') return null;
  return [
    `Created the first admin user "${r.username}" with password: ${r.password}`,
    'It is shown only this once. Log in with POST /admin/v1/tokens and change it (PATCH /admin/v1/users/{id}).',
  ].join('\n');
}
