export { openStore, migrate, migratedPgliteDump, pingStore } from './db.js';
export type { Store, StoreTarget } from './db.js';
export type { Database } from './schema.js';
export { vesConfigRepository } from './ves-config-repository.js';
export type { VesAgentConfigInput, VesAgentConfigRecord, VesBacklogRecord, VesConfigRepository } from './ves-config-repository.js';
export { alarmRepository } from './alarm-repository.js';
export type { AlarmFilter, AlarmRecord, AlarmRepository } from './alarm-repository.js';
export { subscriptionRepository } from './subscription-repository.js';
export type { SubscriptionRecord, SubscriptionRepository } from './subscription-repository.js';
export { pmRepository } from './pm-repository.js';
export { pnfdRepository } from './pnfd-repository.js';
export { nsPolicyRepository } from './ns-policy-repository.js';
export { ALARM_ACK_STATES, ALARM_EVENT_TYPES, PERCEIVED_SEVERITIES, SUBSCRIPTION_APIS, VES_BACKLOG_DOMAINS } from './monitoring-schema.js';
export type { AlarmAckState, AlarmEventType, PerceivedSeverity, SubscriptionApi, VesBacklogDomain } from './monitoring-schema.js';
// Runtime repositories (lifecycle engineer).
export { SqlVimAccountRepository, VIM_SECRET_COLUMN } from './vim-account-repository.js';
export type { VimSecretSealer } from './vim-account-repository.js';
export { SqlNsInstanceRepository, instantiatedNsOf, nsdsInstantiated } from './ns-instance-repository.js';
export { SqlVnfInstanceRepository } from './vnf-instance-repository.js';
export { SqlOpOccRepository } from './op-occ-repository.js';
export { SqlOpStepRepository } from './op-step-repository.js';
export { SqlIpAllocationRepository } from './ip-allocation-repository.js';
export { createRuntimeRepositories } from './runtime-repositories.js';
// Auth repositories (security engineer).
export { userRepository } from './user-repository.js';
export type { UserChange, UserRecord, UserRepository } from './user-repository.js';
export { apiKeyRepository } from './api-key-repository.js';
export type { ApiKeyRecord, ApiKeyRepository } from './api-key-repository.js';
export { auditLogRepository } from './audit-log-repository.js';
export type { AuditEntry, AuditFilter, AuditLogRepository, AuditRecord } from './audit-log-repository.js';
export { vimShareRepository } from './vim-share-repository.js';
export type { VimShareRepository } from './vim-share-repository.js';
export { authRepositories } from './auth-repositories.js';
export { USER_ROLES } from './auth-schema.js';
export type { UserRole } from './auth-schema.js';
export { sealedColumnRepository } from './sealed-column-repository.js';
export type { SealedColumn, SealedColumnRepository, SealedValue } from './sealed-column-repository.js';
export { catalogDescriptorSource } from './catalog-descriptor-source.js';
export { catalogRepositories, catalogStore } from './catalog-store-impl.js';
// Reconciliation and runtime consistency checks.
export { SqlReconcileRepository } from './reconcile-repository.js';
export type { SubnetOverlap } from './reconcile-repository.js';
// The transactional outbox and the consumers' handled-event records (event bus).
export { consumedEvents, outboxStore, unsentOutboxEvents } from './outbox-repository.js';
// The plugin registry (docs/plugins.md).
export { pluginRepository } from './plugin-repository.js';
