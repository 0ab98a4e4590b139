import type { OpStep, StepKind } from '../model/index.js';
import type { StackStepResult } from './heat-plan.js';
import type { StackScaleResult } from './heat-scale.js';
import type { PlannedStep, StepAction, StepParamsByKind, StepParamsWith } from './ns-plan-types.js';
import type { ComputeStepResult } from './step-runner.js';

/**
 * A stored step with its params typed as they were planned: a union on `kind`, like
 * {@link PlannedStep}, and still an {@link OpStep} (the repositories take it as one).
 */
export type TypedOpStep<K extends StepKind = StepKind> = K extends StepKind
  ? StepParamsByKind[K] extends infer P ? (P extends StepParamsByKind[K] ? Omit<OpStep, 'kind' | 'params'> & { readonly kind: K; readonly params: P } : never) : never
  : never;

/** A stored step of kind `K` whose params have `action` `A`. */
export type TypedOpStepWith<K extends StepKind, A extends StepAction<K>> = Omit<OpStep, 'kind' | 'params'> & { readonly kind: K; readonly params: StepParamsWith<K, A> };

/** The members of a step union `S` of kind `K` whose `action` can be `A`. */
type WithAction<S, K, A> = S extends { readonly kind: K; readonly params: { readonly action: infer X } } ? ([Extract<X, A>] extends [never] ? never : S) : never;

/**
 * The typed view of a stored step. Params are written only by `toOpSteps`, from a
 * {@link PlannedStep} of the same kind (`moveAddresses` re-addresses them in place, shape
 * and all), so the view is a narrowing of the stored JSON, not a check of it.
 */
export function typedStep(step: OpStep): TypedOpStep {
  return step as TypedOpStep;
}

/**
 * Whether a step (stored or planned) is of `kind` and, when `action` is given, has that
 * action; narrows its params to that kind's (and action's). See {@link typedStep} for why
 * the kind alone tells the params' shape.
 */
export function isStepOf<K extends StepKind>(step: OpStep, kind: K): step is TypedOpStep<K>;
export function isStepOf<K extends StepKind, const A extends StepAction<K>>(step: OpStep, kind: K, action: A): step is TypedOpStepWith<K, A>;
export function isStepOf<S extends PlannedStep, K extends StepKind>(step: S, kind: K): step is Extract<S, { readonly kind: K }>;
export function isStepOf<S extends PlannedStep, K extends StepKind, const A extends StepAction<K>>(step: S, kind: K, action: A): step is WithAction<S, K, A>;
export function isStepOf(step: OpStep | PlannedStep, kind: StepKind, action?: string): boolean {
  return step.kind === kind && (action === undefined || ('action' in step.params && step.params['action'] === action));
}

/**
 * The compute a DONE `compute` step made, re-made or started (`create`, `recreate`,
 * `start`: their results name its interfaces); undefined for any other step, a `stop`
 * among them (its result names no interfaces). Results, like params, are written only by
 * `runStep` for the step's kind and action, so this narrows them without checking them.
 */
export function computeResultOf(step: OpStep): ComputeStepResult | undefined {
  const s = typedStep(step);
  if (s.kind !== 'compute' || s.state !== 'DONE' || typeof s.result?.['computeId'] !== 'string') return undefined;
  const action = s.params.action;
  return action === 'create' || action === 'recreate' || action === 'start' ? (s.result as ComputeStepResult) : undefined;
}

/** What a DONE `stack` step of action `create` recorded; undefined for any other step. */
export function stackResultOf(step: OpStep): StackStepResult | undefined {
  return isStepOf(step, 'stack', 'create') && step.state === 'DONE' && step.result ? (step.result as StackStepResult) : undefined;
}

/** What a DONE SCALE `stack` step recorded; undefined for any other step. */
export function stackScaleResultOf(step: OpStep): StackScaleResult | undefined {
  return isStepOf(step, 'stack', 'scale') && step.state === 'DONE' && step.result ? (step.result as StackScaleResult) : undefined;
}
