import { VimError } from '../../model/index.js';
import type { Labels } from '../vim-driver.js';
import type { OpenStackApi } from './keystone-client.js';
import { createStack as postStack, deleteStack as removeStack, findStack, waitStack as pollStack } from './heat-client.js';
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
