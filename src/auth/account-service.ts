import { BadRequestError, NotFoundError, UnauthorizedError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { UserRecord, UserRepository } from './auth-store.js';
import { hashPassword, MAX_PASSWORD_LENGTH, needsRehash, verifyPassword } from './password-hash.js';
import type { ScryptParams } from './password-hash.js';
import { isUserRole, TENANT_PATTERN, USERNAME_PATTERN } from './roles.js';
import type { AuthContext, UserRole } from './roles.js';
import type { TokenSigner } from './token-signer.js';

/** The answer of `POST /admin/v1/tokens`. */
export interface TokenGrant {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly project: string;
  readonly roles: UserRole[];
}

/** A user as the API shows it: never the hash. */
export interface UserView {
  readonly id: string;
  readonly username: string;
  readonly tenant: string;
  readonly roles: UserRole[];
  readonly disabled: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A new user. */
export interface NewUser {
  readonly username: string;
  readonly password: string;
  readonly tenant: string;
  readonly roles: readonly string[];
}

/** A change to a user; a new password or `disabled: true` ends the user's tokens. */
export interface UserPatch {
  readonly password?: string;
  readonly tenant?: string;
  readonly roles?: readonly string[];
  readonly disabled?: boolean;
}

/** Passwords, tokens and users. */
export interface AccountService {
  /** Throws UnauthorizedError `AUTH_INVALID` for any wrong username/password (no hint which). */
  login(username: string, password: string): Promise<TokenGrant>;
  createUser(u: NewUser): Promise<UserView>;
  listUsers(): Promise<UserView[]>;
  /** NotFoundError when absent. */
  getUser(id: string): Promise<UserView>;
  updateUser(id: string, patch: UserPatch): Promise<UserView>;
  /** BadRequestError `USER_SELF_DELETE` when `ctx` deletes itself. */
  deleteUser(ctx: AuthContext, id: string): Promise<void>;
}

/** Dependencies of {@link createAccountService}. */
export interface AccountServiceDeps {
  readonly users: UserRepository;
  readonly signer: TokenSigner;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly tokenTtlSeconds: number;
  readonly scrypt?: ScryptParams;
}

/** Shortest password accepted. */
export const MIN_PASSWORD_LENGTH = 12;

/** Projects a record for the API. */
export const toUserView = (u: UserRecord): UserView => ({
  id: u.id,
  username: u.username,
  tenant: u.tenant,
  roles: [...u.roles],
  disabled: u.disabled,
  createdAt: u.createdAt.toISOString(),
  updatedAt: u.updatedAt.toISOString(),
});

function checkPassword(p: string): void {
  if (p.length < MIN_PASSWORD_LENGTH || p.length > MAX_PASSWORD_LENGTH) {
    throw new BadRequestError(`password: use ${MIN_PASSWORD_LENGTH} to ${MAX_PASSWORD_LENGTH} characters`, { code: 'PASSWORD_WEAK', details: { field: 'password' } });
  }
}

function checkRoles(roles: readonly string[]): UserRole[] {
  const bad = roles.filter((r) => !isUserRole(r));
  if (roles.length === 0 || bad.length > 0) {
    throw new BadRequestError(`roles: expected one or more of admin, operator, viewer${bad.length ? `; unknown: ${bad.join(', ')}` : ''}`, {
      code: 'ROLE_UNKNOWN',
      details: { field: 'roles' },
    });
  }
  return [...new Set(roles as UserRole[])];
}

function checkTenant(t: string): void {
  if (!TENANT_PATTERN.test(t)) throw new BadRequestError('tenant: lower-case letters, digits, `.`, `_`, `-`; at most 63 characters', { code: 'TENANT_INVALID', details: { field: 'tenant' } });
}

/** Creates the {@link AccountService}. */
export function createAccountService(deps: AccountServiceDeps): AccountService {
  const { users, signer, clock, ids, tokenTtlSeconds } = deps;
  let decoy: Promise<string> | undefined;
  const mustGet = async (id: string) => {
    const u = await users.get(id);
    if (!u) throw new NotFoundError('user', id);
    return u;
  };

  return {
    async login(username, password) {
      const user = typeof username === 'string' && username.length <= 64 ? await users.getByUsername(username) : undefined;
      // An unknown user costs one scrypt too, so timing does not reveal which usernames exist.
      const hash = user?.passwordHash ?? (await (decoy ??= hashPassword('decoy password never matches', deps.scrypt)));
      const ok = (await verifyPassword(password, hash)) && user !== undefined;
      if (!ok || !user || user.disabled || user.roles.length === 0) throw new UnauthorizedError('AUTH_INVALID', 'wrong username or password');
      if (needsRehash(user.passwordHash, deps.scrypt)) {
        await users.update(user.id, { passwordHash: await hashPassword(password, deps.scrypt), updatedAt: clock.now() });
      }
      const token = await signer.sign({ userId: user.id, username: user.username, tenant: user.tenant, roles: user.roles }, clock.now(), tokenTtlSeconds);
      return { access_token: token, token_type: 'Bearer', expires_in: tokenTtlSeconds, project: user.tenant, roles: [...user.roles] };
    },

    async createUser(u) {
      if (!USERNAME_PATTERN.test(u.username)) {
        throw new BadRequestError('username: letters, digits, `.`, `_`, `@`, `-`; at most 63 characters', { code: 'USERNAME_INVALID', details: { field: 'username' } });
      }
      checkPassword(u.password);
      checkTenant(u.tenant);
      const roles = checkRoles(u.roles);
      const now = clock.now();
      const rec = await users.insert({
        id: ids.next(), username: u.username, passwordHash: await hashPassword(u.password, deps.scrypt), tenant: u.tenant, roles,
        disabled: false, createdAt: now, updatedAt: now, tokensValidAfter: new Date(0),
      });
      return toUserView(rec);
    },

    listUsers: async () => (await users.list()).map(toUserView),
    getUser: async (id) => toUserView(await mustGet(id)),

    async updateUser(id, p) {
      const before = await mustGet(id);
      if (p.password !== undefined) checkPassword(p.password);
      if (p.tenant !== undefined) checkTenant(p.tenant);
      const roles = p.roles === undefined ? undefined : checkRoles(p.roles);
      const now = clock.now();
      const endsTokens = p.password !== undefined || (p.disabled === true && !before.disabled) || p.tenant !== undefined;
      const after = await users.update(id, {
        updatedAt: now,
        ...(p.password !== undefined ? { passwordHash: await hashPassword(p.password, deps.scrypt) } : {}),
        ...(p.tenant !== undefined ? { tenant: p.tenant } : {}),
        ...(roles !== undefined ? { roles } : {}),
        ...(p.disabled !== undefined ? { disabled: p.disabled } : {}),
        ...(endsTokens ? { tokensValidAfter: now } : {}),
      });
      if (!after) throw new NotFoundError('user', id);
      return toUserView(after);
    },

    async deleteUser(ctx, id) {
      if (ctx.userId === id) throw new BadRequestError('you cannot delete yourself; ask another admin', { code: 'USER_SELF_DELETE' });
      if (!(await users.delete(id))) throw new NotFoundError('user', id);
    },
  };
}
