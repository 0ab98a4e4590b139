import { isRondoError } from '../model/index.js';
import type { ProblemDetails } from '../model/index.js';

/**
 * SOL005 `onboardingFailureDetails`: the error as ProblemDetails, keeping `code` and the
 * issues (each naming the file inside the package and the field path).
 */
export function onboardingFailure(e: unknown): ProblemDetails {
  if (isRondoError(e)) {
    return { type: `urn:rondo:problem:${e.code}`, title: 'on-boarding failed', status: e.status, detail: e.message, code: e.code, ...e.details };
  }
  return { type: 'urn:rondo:problem:INTERNAL', title: 'on-boarding failed', status: 500, detail: 'internal error while on-boarding; see the server log', code: 'INTERNAL' };
}
