// Public face of authentication, tenants, policy, secrets and outbound guards.
export { createAuthService } from './auth-service.js';
export type { AuthService, AuthServiceDeps } from './auth-service.js';
export { loadAuthConfig, isPublicRoute, DEFAULT_PUBLIC_ROUTES } from './auth-config.js';
export type { AuthConfig, PublicRoute } from './auth-config.js';
export { AUTH_METHODS, authContext, DEFAULT_TENANT, isUserRole, TENANT_PATTERN, USER_ROLES, USERNAME_PATTERN } from './roles.js';
export type {
  ApiKeyRecord, ApiKeyRepository, AuditEntry, AuditFilter, AuditLogRepository, AuditRecord, AuthRepositories, SealedColumn, SealedColumnRepository, SealedValue,
  UserChange, UserRecord, UserRepository, VimShareRepository,
} from './auth-store.js';
export type { AuthContext, AuthMethod, UserRole } from './roles.js';
export { createAuthenticator } from './authenticator.js';
export type { Authenticator, CredentialHeaders } from './authenticator.js';
export { createAccountService, MIN_PASSWORD_LENGTH, toUserView } from './account-service.js';
export type { AccountService, NewUser, TokenGrant, UserPatch, UserView } from './account-service.js';
export { createApiKeyService } from './api-key-service.js';
export type { ApiKeyService, ApiKeyView, CreatedApiKey } from './api-key-service.js';
export { looksLikeApiKey, newApiKey, parseApiKey } from './api-key-format.js';
export { createTokenSigner } from './token-signer.js';
export type { TokenClaims, TokenSigner } from './token-signer.js';
export { DEFAULT_SCRYPT_PARAMS, hashPassword, verifyPassword, needsRehash } from './password-hash.js';
export type { ScryptParams } from './password-hash.js';
export { ensureBootstrapAdmin, bootstrapAdminNotice } from './bootstrap-admin.js';
export type { BootstrapResult } from './bootstrap-admin.js';
export { INSECURE_CONTEXT, insecureModeWarning } from './insecure-mode.js';
export { DEFAULT_POLICY } from './default-policy.js';
export { createPolicy, readPolicyFile } from './policy.js';
export type { Policy, PolicyTarget } from './policy.js';
export { evaluateRule, parseRule, PolicyInvalidError } from './policy-rules.js';
export type { RuleNode } from './policy-rules.js';
export { assertVimVisible, assertVisible, tenantFilter, visibleVimIds } from './visibility.js';
export { createSecretBox, decodeSecretKey, sealedKeyId } from './secret-box.js';
export type { SecretBox } from './secret-box.js';
export { loadSecretKey, SECRET_KEY_FILE } from './secret-key-source.js';
export type { SecretKeyMaterial, SecretKeyOrigin } from './secret-key-source.js';
export { AUTH_SEALED_COLUMNS, rotateSecrets, sealedColumns } from './secret-rotation.js';
export type { RotationReport } from './secret-rotation.js';
export { REDACT_CENSOR, REDACT_PATHS } from './redact-paths.js';
export { createOutboundGuard, guardedFetch } from './outbound-guard.js';
export type { FetchLimits, GuardedRequestInit, GuardedResponse, OutboundGuard, OutboundPolicy } from './outbound-guard.js';
export { createTokenBuckets } from './token-bucket.js';
export type { TakeResult, TokenBucketOptions, TokenBuckets } from './token-bucket.js';
export { AUDITED_METHODS, createAuditRecorder } from './audit-recorder.js';
export type { AuditRecorder } from './audit-recorder.js';
