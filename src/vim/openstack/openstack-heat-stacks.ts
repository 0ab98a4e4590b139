import { VimError } from '../../model/index.js';
import type { Labels } from '../vim-driver.js';
import type { OpenStackApi } from './keystone-client.js';
import { createStack as postStack, deleteStack as removeStack, findStack, patchStack, waitStack as pollStack } from './heat-client.js';
import { pollUntil } from './openstack-poll.js';
import type { HeatStack } from './heat-client.js';
import { labelsToTags } from './openstack-labels.js';

/** A stack as the lifecycle sees it. */
export interface StackInfo {
  readonly id: string;
  readonly name: string;
  readonly status: string;
  readonly reason?: string;
  readonly outputs: Readonly<Record<string, unknown>>;
}

const info = (s: HeatStack): StackInfo => ({
  id: s.id,
  name: s.stack_name,
  status: s.stack_status,
  ...(s.stack_status_reason ? { reason: s.stack_status_reason } : {}),
  outputs: Object.fromEntries((s.outputs ?? []).map((o) => [o.output_key, o.output_value])),
});

/** Templates may be given as objects or YAML/JSON text; Heat takes either for `template`, text for `files`. */
export type TemplateBody = string | object;

/**
 * The Heat-stack verbs the lifecycle uses to deploy a translated VNFD. Stacks carry the
 * labels as tags (`rondo`, `key=value`).
 */
export class HeatStacks {
  constructor(
    private readonly api: OpenStackApi,
    private readonly defaults: { deadlineMs: number },
  ) {}

  /**
   * Creates stack `name` (idempotent: an existing stack of that name is returned as is) and
   * returns at once; follow with {@link waitStack}.
   */
  async createStack(name: string, template: TemplateBody, files: Readonly<Record<string, TemplateBody>>, params: Readonly<Record<string, unknown>>, labels: Labels, signal?: AbortSignal): Promise<StackInfo> {
    const existing = await findStack(this.api, name, signal);
    if (existing) return info(existing);
    const textFiles = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const id = await postStack(this.api, { name, template, files: textFiles, parameters: { ...params }, tags: labelsToTags(labels) }, signal);
    return { id, name, status: 'CREATE_IN_PROGRESS', outputs: {} };
  }

  /**
   * Waits (backoff, deadline) until the stack's current action is `_COMPLETE`.
   * @throws VimError QUOTA or UNEXPECTED_RESPONSE when it ends `_FAILED` (with Heat's reason),
   *   NOT_FOUND when there is no such stack, TIMEOUT at the deadline.
   */
  async waitStack(name: string, opts: { deadlineMs?: number; signal?: AbortSignal } = {}): Promise<StackInfo> {
    const s = await pollStack(this.api, name, { deadlineMs: opts.deadlineMs ?? this.defaults.deadlineMs, ...(opts.signal ? { signal: opts.signal } : {}) });
    return info(s as HeatStack);
  }

  /**
   * Updates stack `name` in place with new values for `params` (the rest of the stack is
   * kept) and waits until the update is UPDATE_COMPLETE and `done` holds for the stack
   * (default: always). Waits first for an action still in progress (an update a crashed
   * attempt started). An update to the values the stack already has completes at once,
   * so a retry is harmless.
   * @throws VimError NOT_FOUND (no such stack), QUOTA or UNEXPECTED_RESPONSE when the
   *   update ends UPDATE_FAILED (Heat's reason), TIMEOUT at the deadline.
   */
  async updateStack(name: string, params: Readonly<Record<string, unknown>>, opts: { deadlineMs?: number; signal?: AbortSignal; done?: (s: StackInfo) => boolean } = {}): Promise<StackInfo> {
    const deadlineMs = opts.deadlineMs ?? this.defaults.deadlineMs;
    const poll = { deadlineMs, initialMs: 500, maxMs: 2_000, ...(opts.signal ? { signal: opts.signal } : {}) };
    const settled = await pollUntil(this.api.vim, `stack ${name}`, async () => {
      const s = await findStack(this.api, name, opts.signal);
      if (!s) throw new VimError('NOT_FOUND', this.api.vim, `stack ${name} does not exist; it cannot be scaled`);
      return s.stack_status.endsWith('_IN_PROGRESS') ? undefined : s;
    }, poll);
    await patchStack(this.api, settled, { ...params }, opts.signal);
    const before = settled.updated_time ?? null;
    let started = false;
    const done = await pollUntil(this.api.vim, `update of stack ${name}`, async () => {
      const s = await findStack(this.api, name, opts.signal);
      if (!s) throw new VimError('NOT_FOUND', this.api.vim, `stack ${name} is gone`);
      // Heat may not have started the update when the PATCH returns: a FAILED or COMPLETE
      // status counts only once the update ran (seen in progress, or a new updated_time).
      started ||= s.stack_status === 'UPDATE_IN_PROGRESS' || (s.updated_time ?? null) !== before;
      if (started && s.stack_status === 'UPDATE_FAILED') {
        const reason = s.stack_status_reason ?? '';
        throw new VimError(/quota|limit/i.test(reason) ? 'QUOTA' : 'UNEXPECTED_RESPONSE', this.api.vim, `stack ${name} is UPDATE_FAILED: ${reason}`);
      }
      if (!s.stack_status.endsWith('_COMPLETE') || (started && s.stack_status !== 'UPDATE_COMPLETE')) return undefined;
      const i = info(s);
      return (opts.done ?? (() => started))(i) ? i : undefined;
    }, poll);
    return done;
  }

  /** The outputs of a stack by key. @throws VimError NOT_FOUND when there is no such stack. */
  async stackOutputs(name: string, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const s = await findStack(this.api, name, signal);
    if (!s) throw new VimError('NOT_FOUND', this.api.vim, `stack ${name} does not exist`);
    return { ...info(s).outputs };
  }

  /** Deletes a stack and waits until Heat has removed it; a missing stack is fine. */
  async deleteStack(name: string, opts: { deadlineMs?: number; signal?: AbortSignal } = {}): Promise<void> {
    const s = await findStack(this.api, name, opts.signal);
    if (!s) return;
    await removeStack(this.api, s, opts.signal);
    await pollStack(this.api, s.id, { deadlineMs: opts.deadlineMs ?? this.defaults.deadlineMs, gone: true, ...(opts.signal ? { signal: opts.signal } : {}) });
  }
}
