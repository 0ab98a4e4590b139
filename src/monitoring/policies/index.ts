export * from './policy-types.js';
export { declaredHealPolicies, mergeDeclared } from './descriptor-policies.js';
export { backoffAfter, decideHeal, effectivePolicy } from './heal-decision.js';
export type { HealDecision } from './heal-decision.js';
export { createPolicyService } from './policy-service.js';
export type { PolicyNsPort, PolicyService, PolicyServiceOptions } from './policy-service.js';
export { AutoHealEngine } from './auto-heal-engine.js';
export type { AutoHealEngineOptions, AutoHealNsPort } from './auto-heal-engine.js';
