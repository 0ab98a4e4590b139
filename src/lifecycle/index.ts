export type {
  NsInstanceRepository, VnfInstanceRepository, VnfRecord, VnfPatch, OpOccRepository, StoredOpOcc, OpOccFilter, OpStatePatch, OpStepRepository, StepOutcome,
  LifecycleRepositories, DescriptorSource, DriverRegistry, OpNotifier, OpChange,
} from './ports.js';
export { OP_EVENTS, FINAL_OP_STATES, RUNNABLE_OP_STATES, transition, isIllegal, nextState, isFinalOpState } from './op-state-machine.js';
export type { OpEvent, IllegalTransition } from './op-state-machine.js';
export { createOpNotifier } from './op-notifier.js';
export { pinsWithAdvice, placementAdviceRequest } from './placement-advice.js';
export type { PlacementAdviceRequest, PlacementAdvisor } from './placement-advice.js';
export { managerSpecsOf } from './specific-managers.js';
export type { ManagerScaleChange, ManagerSpec, SpecificManagers } from './specific-managers.js';
export { LIFECYCLE_TOPICS } from './lifecycle-events.js';
export type { LifecycleTopic, LifecycleTopics, NsChangedEvent, NsInstanceEvent, OpChangedEvent } from './lifecycle-events.js';
export { INSTANTIATE_PHASES, TERMINATE_PHASES, DAY2_PHASES } from './ns-plan-types.js';
export type {
  NsPlan, PlannedStep, PlannedNetwork, PlannedInterface, PlannedRoute, ComputeStepParams, NetworkStepParams, RouteStepParams, CommandStepParams, SweepStepParams,
  RecreateStepParams, PowerStepParams, TunnelStepParams, StepParamsByKind, StepAction, StepParamsWith, PlannedStepOf, UnnumberedStep,
} from './ns-plan-types.js';
export { typedStep, isStepOf, computeResultOf, stackResultOf, stackScaleResultOf } from './op-step-view.js';
export type { TypedOpStep, TypedOpStepWith } from './op-step-view.js';
// Day-2 operations: HEAL and UPDATE (OPERATE_VNF).
export { planHeal, planOperate, isSick, STOP_GRACE_SECONDS } from './day2-planner.js';
export type { HealTarget, OperateChange, HealPlanInput, OperatePlanInput } from './day2-planner.js';
export { HEAL_DEGREES } from './day2-requests.js';
export type { HealRequest, UpdateRequest, OperateVnfData } from './day2-requests.js';
export { nsBuildOf, loadNsBuild } from './ns-build.js';
// Day-2 SCALE (SCALE_VNF by aspect steps).
export { SCALE_PHASES } from './ns-plan-types.js';
export type { RemoveStepParams } from './ns-plan-types.js';
export { scaleAspectsOf, scaleLevels } from './scale-aspects.js';
export type { ScaleAspect } from './scale-aspects.js';
export { resolveScale } from './scale-requests.js';
export type { ScaleRequest, ScaleVnfData, ScaleByStepData, ScaleChange } from './scale-requests.js';
export { resolveScaleNs, nsScaleLevelIndex, vnfLevelsFor } from './scale-ns-requests.js';
export type { ScaleNsData, ScaleNsByStepsData, ScaleNsToLevelData, NsScaleInfo } from './scale-ns-requests.js';
export { planScale, scaledComputeName } from './scale-planner.js';
export type { ScalePlanInput } from './scale-planner.js';
export type { NsBuild } from './ns-build.js';
export { planNs, SAP_IMAGE, SAP_COMMAND } from './ns-planner.js';
export type { PlanInput } from './ns-planner.js';
export { planTerminate } from './terminate-planner.js';
export type { TerminatePlanInput } from './terminate-planner.js';
export { placeNs, downPops, subnetRequests, vnfDemand, parseStrategy } from './ns-placement.js';
export type { PopProbe, PopProbeResult, PopSkipped, PlaceNsOptions } from './ns-placement.js';
export { probePops } from './vim-subnets.js';
export { chainRoutes, routeCommand, routeCommands, SPREAD_PARTS } from './service-chain.js';
export type { CpEndpoint, ChainRoutes } from './service-chain.js';
export { networkName, computeName, engineKey, nsShort } from './resource-names.js';
export type { ExecutorDeps, TraceEvent } from './executor-deps.js';
export { executeOperation } from './op-executor.js';
export { StepCommandError } from './step-runner.js';
export { LifecycleWorker } from './lifecycle-worker.js';
export { CRASH_POINTS, noCrashPoints, parseCrashPlan, formatCrashPlan, plannedCrashPoints, seededCrashPlan } from './crash-points.js';
export type { CrashPoint, CrashPoints, CrashContext, CrashPlanEntry } from './crash-points.js';
export type { LifecycleWorkerOptions } from './lifecycle-worker.js';
export { createNsLifecycleService } from './ns-lifecycle-service.js';
export { nsDeploymentOf, nsFlavourIds, vnfFlavourId, TANGO_FLAVOUR_ID } from './deployment-flavours.js';
export type { NsDeployment } from './deployment-flavours.js';
export type { NsLifecycleService, NsLifecycleServiceDeps, CreateNsRequest, InstantiateRequest, TerminateRequest } from './ns-lifecycle-service.js';
// Reconciliation (durable operations, items 3-6).
export { Reconciler } from './reconciler.js';
export type { ReconcilerOptions } from './reconciler.js';
export { RECONCILE_RESOURCE_KINDS } from './reconcile-types.js';
export type { ReconcileResourceKind, OrphanResource, VanishedVnf, ReconcileError, ReconcileReport, NsLiveness, ReconcileRepository } from './reconcile-types.js';
// Heat path: VNFs on OpenStack PoPs as one Heat stack each.
export { heatDriverOf } from './heat-ports.js';
export type { HotSource, HotBundle, HotDocument, HeatStackDriver, HeatStackInfo } from './heat-ports.js';
export { stackName, isHeatPop, heatPopIds } from './heat-plan.js';
export type { StackStepParams, StackSweepParams, StackStepResult, StackInterface } from './heat-plan.js';
// Typed list queries (SQL-side filtering and keyset paging of NS instances and operations).
export { CONDITION_OPS, NEGATIVE_CONDITION_OPS, NS_INSTANCE_FIELDS, VNF_INSTANCE_FIELDS, OP_OCC_FIELDS } from './list-query.js';
export type {
  ConditionOp, Condition, PageKey, RecordPage, TenantScope, NsInstanceField, VnfInstanceField, MemberCondition, NsInstanceQuery, OpOccField, OpOccCondition, OpOccQuery,
} from './list-query.js';
export { createPlanHandOff } from './plan-store.js';
export type { PlanHandOff } from './plan-store.js';
