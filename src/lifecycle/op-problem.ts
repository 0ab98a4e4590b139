import type { OpStep, ProblemDetails } from '../model/index.js';
import { isRondoError, VimError } from '../model/index.js';

/** RFC 7807 body for any error; RondoErrors keep their code and status. */
export function problemOf(e: unknown): ProblemDetails {
  if (isRondoError(e)) return { type: `urn:rondo:error:${e.code}`, title: e.code, status: e.status, detail: e.message, code: e.code, ...e.details };
  const message = e instanceof Error ? e.message : String(e);
  return { type: 'urn:rondo:error:INTERNAL', title: 'INTERNAL', status: 500, detail: message, code: 'INTERNAL' };
}

/**
 * The operation's `error` when a step failed: `detail` names the step, its PoP and the
 * VIM's message, so the operator knows what to fix before `retry`.
 */
export function stepProblem(step: OpStep, e: unknown): ProblemDetails {
  const cause = problemOf(e);
  return {
    ...cause,
    detail: `step ${step.seq} (${step.kind} ${step.target}) on PoP ${step.popId} failed: ${cause.detail}`,
    step: { id: step.id, seq: step.seq, kind: step.kind, target: step.target, popId: step.popId },
    ...(e instanceof VimError ? { vimErrorKind: e.kind } : {}),
  };
}
