import { Type } from 'typebox';
import type { LcmOpOcc, OpStep } from '../../../model/index.js';
import { Link } from '../../http/schema-types.js';

/** One step as Rondo's `steps` extension shows it. */
export const toStepView = (s: OpStep) => ({
  id: s.id,
  seq: s.seq,
  phase: s.phase,
  kind: s.kind,
  target: s.target,
  popId: s.popId,
  state: s.state,
  error: s.error,
  startedAt: s.startedAt,
  endedAt: s.endedAt,
});

/** The URI of an NS LCM operation occurrence: its `self` link, and the `Location` of a task's 202. */
export const opOccHref = (base: string, opId: string): string => `${base}/nslcm/v1/ns_lcm_op_occs/${opId}`;

/**
 * SOL005 `NsLcmOpOcc` plus Rondo's `steps` extension. `_links` holds only the task
 * resources valid now (SOL005 §6.5.2.3): retry/continue/rollback/fail in FAILED_TEMP (rollback
 * for INSTANTIATE only), cancel in PROCESSING/ROLLING_BACK without a pending cancel.
 */
export function toOpOccView(op: LcmOpOcc, steps: readonly OpStep[] | null, base: string) {
  const self = opOccHref(base, op.id);
  const failedTemp = op.operationState === 'FAILED_TEMP';
  const cancellable = (op.operationState === 'PROCESSING' || op.operationState === 'ROLLING_BACK') && !op.isCancelPending;
  return {
    id: op.id,
    operationState: op.operationState,
    statusEnteredTime: op.statusEnteredTime,
    nsInstanceId: op.nsInstanceId,
    lcmOperationType: op.lcmOperationType,
    startTime: op.startTime,
    isAutomaticInvocation: op.isAutomaticInvocation,
    operationParams: op.operationParams,
    isCancelPending: op.isCancelPending,
    ...(op.cancelMode ? { cancelMode: op.cancelMode } : {}),
    ...(op.error ? { error: op.error } : {}),
    // Rondo's extension: what a placement SSM said about this INSTANTIATE (docs/plugins.md).
    ...(op.placementAdvice ? { placementAdvice: op.placementAdvice } : {}),
    // Rondo's extension: PoPs placement skipped because they did not answer.
    ...(op.placementSkipped ? { placementSkipped: op.placementSkipped } : {}),
    _links: {
      self: { href: self },
      nsInstance: { href: `${base}/nslcm/v1/ns_instances/${op.nsInstanceId}` },
      ...(failedTemp ? { retry: { href: `${self}/retry` }, continue: { href: `${self}/continue` }, fail: { href: `${self}/fail` } } : {}),
      ...(failedTemp && op.lcmOperationType === 'INSTANTIATE' ? { rollback: { href: `${self}/rollback` } } : {}),
      ...(cancellable ? { cancel: { href: `${self}/cancel` } } : {}),
    },
    ...(steps ? { steps: steps.map(toStepView) } : {}),
  };
}

/** The NsLcmOpOcc view's type. */
export type OpOccView = ReturnType<typeof toOpOccView>;

/** Attributes a SOL013 filter may use on operation occurrences. */
export const OP_OCC_ATTRIBUTES: ReadonlySet<string> = new Set([
  'id', 'operationState', 'statusEnteredTime', 'nsInstanceId', 'lcmOperationType', 'startTime', 'isAutomaticInvocation', 'isCancelPending', 'cancelMode', 'error',
]);
/** SOL005 §6.4.9.3.2: left out of lists unless asked for (Rondo adds `steps`, `placementAdvice` and `placementSkipped`). */
export const OP_OCC_DEFAULT_EXCLUDED = ['operationParams', 'error', 'resourceChanges', 'changedInfo', 'changedExtConnectivity', 'steps', 'placementAdvice', 'placementSkipped'] as const;

/** Loose NsLcmOpOcc schema: typed top level, nested documents passed through. */
export const OpOccSchema = Type.Object(
  {
    id: Type.String(),
    operationState: Type.String(),
    statusEnteredTime: Type.String(),
    nsInstanceId: Type.String(),
    lcmOperationType: Type.String(),
    startTime: Type.String(),
    isAutomaticInvocation: Type.Boolean(),
    isCancelPending: Type.Boolean(),
    _links: Type.Object({ self: Link, nsInstance: Link }, { additionalProperties: true }),
  },
  { additionalProperties: true },
);

/** SOL005 CancelMode request. */
export const CancelModeSchema = Type.Object({ cancelMode: Type.Optional(Type.Union([Type.Literal('GRACEFUL'), Type.Literal('FORCEFUL')])) });
