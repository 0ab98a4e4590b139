import { CliError, EXIT } from './cli-error.js';
import type { ApiClient } from './api-client.js';
import type { Output } from './output.js';

/** An operation occurrence as the CLI reads it (SOL005 NsLcmOpOcc + Rondo's steps). */
export interface OpView {
  id: string;
  operationState: string;
  lcmOperationType: string;
  nsInstanceId: string;
  startTime: string;
  statusEnteredTime: string;
  error?: { code?: string; detail?: string; step?: { kind: string; target: string; popId: string }; originalError?: { detail?: string } };
  steps?: { id: string; seq: number; kind: string; target: string; popId: string; state: string; error: { detail?: string } | null }[];
}

const RESTING = new Set(['COMPLETED', 'FAILED_TEMP', 'FAILED', 'ROLLED_BACK', 'PARTIALLY_COMPLETED']);

/** `rondo-1a2b3c4d-client` → `client`: the member a step acts on. */
export const shortTarget = (target: string): string => target.replace(/^rondo-[A-Za-z0-9_.]{1,8}-/, '');

/**
 * Polls the operation until it rests, printing one line per step that finishes
 * (`[3/14] compute client on dc1 … done`) unless `quiet`. Throws CliError (exit 2) after
 * `timeoutSeconds`, saying the operation goes on.
 */
export async function watchOp(client: ApiClient, out: Output, opId: string, opts: { timeoutSeconds: number; quiet: boolean; intervalMs?: number }): Promise<OpView> {
  const seen = new Map<string, string>();
  const until = Date.now() + opts.timeoutSeconds * 1000;
  const spin = ['|', '/', '-', '\\'];
  let tick = 0;
  const live = !opts.quiet && process.stderr.isTTY === true;
  for (;;) {
    const op = await client.get<OpView>(`reading operation ${opId}`, `/nslcm/v1/ns_lcm_op_occs/${encodeURIComponent(opId)}`);
    const steps = op.steps ?? [];
    for (const s of steps) {
      const before = seen.get(s.id);
      if (before === s.state || (s.state !== 'DONE' && s.state !== 'FAILED' && s.state !== 'UNDONE')) continue;
      seen.set(s.id, s.state);
      if (opts.quiet) continue;
      if (live) process.stderr.write('\r\x1b[K');
      const word = s.state === 'DONE' ? 'done' : s.state === 'UNDONE' ? 'undone' : `FAILED: ${s.error?.detail ?? ''}`;
      out.out(`[${s.seq + 1}/${steps.length}] ${s.kind} ${shortTarget(s.target)} on ${s.popId} … ${word}`);
    }
    if (RESTING.has(op.operationState)) {
      if (live) process.stderr.write('\r\x1b[K');
      return op;
    }
    if (live) {
      const running = steps.filter((s) => s.state === 'RUNNING').map((s) => `${s.kind} ${shortTarget(s.target)}`);
      process.stderr.write(`\r\x1b[K${spin[tick++ % spin.length]} ${op.lcmOperationType} ${op.operationState}${running.length ? `: ${running.slice(0, 3).join(', ')}` : ''}`);
    }
    if (Date.now() > until) {
      throw new CliError(`operation ${opId} is still ${op.operationState} after ${opts.timeoutSeconds} s`, EXIT.usage, 'it goes on in the server', `watch it with "rondo op watch ${opId}"`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 400));
  }
}

/** Turns a rested operation that did not complete into a helpful CliError (exit 1). */
export function opOutcome(op: OpView): void {
  if (op.operationState === 'COMPLETED') return;
  const detail = op.error?.detail ?? 'no error detail';
  const original = op.error?.originalError?.detail;
  const reason = [`${op.error?.code ?? op.operationState}: ${detail}`, ...(original ? [`first failure: ${original}`] : [])].join('\n');
  const hint =
    op.operationState === 'FAILED_TEMP'
      ? `fix the cause, then "rondo op retry ${op.id}"${op.lcmOperationType === 'INSTANTIATE' ? `, or undo it with "rondo op rollback ${op.id}"` : ''}, or give up with "rondo op fail ${op.id}"`
      : op.operationState === 'ROLLED_BACK'
        ? 'everything it created was removed; fix the cause and instantiate again'
        : `see "rondo op show ${op.id}"`;
  throw new CliError(`${op.lcmOperationType} ${op.id} ended ${op.operationState}`, EXIT.failed, reason, hint, op);
}
