import type { Clock, IdGenerator } from '../model/index.js';
import type { AuditLogRepository, AuthRepositories, UserRepository, VimShareRepository } from './auth-store.js';
import { createAccountService } from './account-service.js';
import type { AccountService } from './account-service.js';
import { createApiKeyService } from './api-key-service.js';
import type { ApiKeyService } from './api-key-service.js';
import { createAuditRecorder } from './audit-recorder.js';
import type { AuditRecorder } from './audit-recorder.js';
import { loadAuthConfig } from './auth-config.js';
import type { AuthConfig } from './auth-config.js';
import { createAuthenticator } from './authenticator.js';
import type { Authenticator } from './authenticator.js';
import { ensureBootstrapAdmin } from './bootstrap-admin.js';
import type { BootstrapResult } from './bootstrap-admin.js';
import { insecureModeWarning } from './insecure-mode.js';
import { createOutboundGuard } from './outbound-guard.js';
import type { OutboundGuard } from './outbound-guard.js';
import type { ScryptParams } from './password-hash.js';
import { createPolicy, readPolicyFile } from './policy.js';
import type { Policy } from './policy.js';
import type { AuthContext } from './roles.js';
import { createSecretBox } from './secret-box.js';
import type { SecretBox } from './secret-box.js';
import { loadSecretKey } from './secret-key-source.js';
import type { SecretKeyOrigin } from './secret-key-source.js';
import { createTokenSigner } from './token-signer.js';
import { visibleVimIds } from './visibility.js';

/** Everything security: the one object the server builds and the auth plugin uses. */
export interface AuthService {
  readonly config: AuthConfig;
  readonly policy: Policy;
  /** Seals VIM credentials, VES and callback passwords (supersedes monitoring's interim box). */
  readonly secretBox: SecretBox;
  readonly secretKeyOrigin: SecretKeyOrigin;
  readonly authenticator: Authenticator;
  readonly accounts: AccountService;
  readonly apiKeys: ApiKeyService;
  readonly users: UserRepository;
  readonly audit: AuditRecorder;
  readonly auditLog: AuditLogRepository;
  readonly shares: VimShareRepository;
  /**
   * The one outbound guard (RONDO_OUTBOUND_ALLOW): the composition root hands it to the
   * SOL005 subscriptions and notifications and to the VES agent, so every callback and
   * collector call is checked, bounded and never redirected.
   */
  readonly outbound: OutboundGuard;
  /** Ids of VIM accounts `ctx` may use: `'all'` for admins, else own + shared. */
  visibleVimIds(ctx: AuthContext): Promise<readonly string[] | 'all'>;
  /** First start: creates the admin (see {@link ensureBootstrapAdmin}). */
  ensureBootstrapAdmin(): Promise<BootstrapResult>;
  /** Lines the server must print at start-up (insecure mode, a readable key file). */
  startupWarnings(listenUrl?: string): string[];
  /** Waits for audit writes and closes the outbound pool. */
  close(): Promise<void>;
}

/** Inputs of {@link createAuthService}. */
export interface AuthServiceDeps {
  /** Users, API keys, audit log and VIM shares (`authRepositories(db)` of `src/store`). */
  readonly repos: AuthRepositories;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Where `secret.key` is kept when RONDO_SECRET_KEY is unset. */
  readonly dataDir: string;
  /** Default: `loadAuthConfig(env)`. */
  readonly config?: AuthConfig;
  readonly env?: NodeJS.ProcessEnv;
  /** Lower scrypt costs make tests fast; production keeps the default. */
  readonly scrypt?: ScryptParams;
  readonly onAuditError?: (e: unknown) => void;
}

/**
 * Builds the {@link AuthService}: loads (or generates) the secret key, reads the policy
 * file, and wires repositories. Synchronous, so the composition root (`src/app/compose.ts`) can call it. Throws
 * ConfigError, BadRequestError `SECRET_KEY_INVALID` or PolicyInvalidError
 * `POLICY_INVALID` for a bad setting: start-up stops with that message.
 */
export function createAuthService(deps: AuthServiceDeps): AuthService {
  const env = deps.env ?? process.env;
  const config = deps.config ?? loadAuthConfig(env);
  const key = loadSecretKey({ env, dataDir: deps.dataDir });
  const policy = createPolicy(config.policyFile ? readPolicyFile(config.policyFile) : {});
  const { users, apiKeys, auditLog, shares } = deps.repos;
  const signer = createTokenSigner(key.key);
  const accounts = createAccountService({ users, signer, clock: deps.clock, ids: deps.ids, tokenTtlSeconds: config.tokenTtlSeconds, ...(deps.scrypt ? { scrypt: deps.scrypt } : {}) });
  const audit = createAuditRecorder({ log: auditLog, clock: deps.clock, ids: deps.ids, onError: deps.onAuditError ?? (() => undefined) });
  const outbound = createOutboundGuard({ allow: config.outboundAllow });
  return {
    config,
    policy,
    secretBox: createSecretBox(key.key),
    secretKeyOrigin: key.origin,
    authenticator: createAuthenticator({ users, apiKeys, signer, clock: deps.clock }),
    accounts,
    apiKeys: createApiKeyService({ apiKeys, clock: deps.clock, ids: deps.ids }),
    users,
    audit,
    auditLog,
    shares,
    outbound,
    visibleVimIds: (ctx) => visibleVimIds(shares, ctx),
    ensureBootstrapAdmin: () =>
      config.insecureNoAuth ? Promise.resolve({ created: false }) : ensureBootstrapAdmin({ users, accounts, adminUser: config.adminUser, adminPassword: config.adminPassword }),
    startupWarnings(listenUrl) {
      const out: string[] = [];
      if (config.insecureNoAuth) out.push(insecureModeWarning(listenUrl));
      if (key.warning) out.push(key.warning);
      if (key.origin === 'generated') out.push(`generated a new secret key in ${key.path}; back it up: without it stored VIM credentials cannot be read`);
      return out;
    },
    async close() {
      await audit.drain();
      await outbound.close();
    },
  };
}
