/**
 * Catalog state names, identical in TypeScript, the SQL CHECK constraints of migration
 * `001-catalog` and the SOL005 API (`PackageOnboardingStateType`,
 * `PackageOperationalStateType`, `PackageUsageStateType`; NSDs use the same values).
 */

/** SOL005 onboarding state of a VNF package or NSD. */
export const ONBOARDING_STATES = ['CREATED', 'UPLOADING', 'PROCESSING', 'ONBOARDED', 'ERROR'] as const;
export type OnboardingState = (typeof ONBOARDING_STATES)[number];

/** SOL005 operational state: only ENABLED descriptors may be instantiated. */
export const OPERATIONAL_STATES = ['ENABLED', 'DISABLED'] as const;
export type OperationalState = (typeof OPERATIONAL_STATES)[number];

/** SOL005 usage state: IN_USE while at least one NS instance uses the descriptor. */
export const USAGE_STATES = ['IN_USE', 'NOT_IN_USE'] as const;
export type UsageState = (typeof USAGE_STATES)[number];

/** Tenant of every row until security (projects) arrives. */
export const DEFAULT_TENANT = 'default';
