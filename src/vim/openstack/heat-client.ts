import { VimError } from '../../model/index.js';
import type { OpenStackApi } from './keystone-client.js';
import { faultKind } from './openstack-faults.js';
import { pollUntil } from './openstack-poll.js';

/** The stack fields the driver uses. */
export interface HeatStack {
  readonly id: string;
  readonly stack_name: string;
  readonly stack_status: string;
  readonly stack_status_reason?: string;
  readonly updated_time?: string | null;
  readonly tags?: readonly string[] | null;
  readonly outputs?: readonly { output_key: string; output_value: unknown; output_error?: string }[];
}

const sig = (signal?: AbortSignal) => (signal ? { signal } : {});

/** Creates a stack; returns its id. Templates are sent as objects, nested ones in `files` as text. */
export async function createStack(
  api: OpenStackApi,
  spec: { name: string; template: unknown; files: Record<string, string>; parameters: Record<string, unknown>; tags: readonly string[]; timeoutMins?: number },
  signal?: AbortSignal,
): Promise<string> {
  const res = await api.call<{ stack: { id: string } }>('orchestration', {
    method: 'POST',
    path: '/stacks',
    what: `create stack ${spec.name}`,
    body: {
      stack_name: spec.name,
      template: spec.template,
      files: spec.files,
      parameters: spec.parameters,
      disable_rollback: true,
      timeout_mins: spec.timeoutMins ?? 30,
      ...(spec.tags.length > 0 ? { tags: spec.tags.join(',') } : {}),
    },
    ...sig(signal),
  });
  return res.body.stack.id;
}

/**
 * Updates a stack in place (`PATCH`: the stored template, files and other parameters are
 * kept) with new values for `parameters`; Heat answers 202 and runs the update itself.
 */
export async function patchStack(api: OpenStackApi, s: Pick<HeatStack, 'id' | 'stack_name'>, parameters: Record<string, unknown>, signal?: AbortSignal): Promise<void> {
  await api.call('orchestration', {
    method: 'PATCH',
    path: `/stacks/${encodeURIComponent(s.stack_name)}/${s.id}`,
    what: `update stack ${s.stack_name}`,
    body: { parameters },
    ...sig(signal),
  });
}

/**
 * A stack by name (or id), with outputs; undefined when Heat does not know it or it is
 * DELETE_COMPLETE. Found through the list first because `GET /stacks/{name}` answers with
 * a redirect.
 */
export async function findStack(api: OpenStackApi, nameOrId: string, signal?: AbortSignal): Promise<HeatStack | undefined> {
  const byName = await api.call<{ stacks: HeatStack[] }>('orchestration', { method: 'GET', path: `/stacks?name=${encodeURIComponent(nameOrId)}`, what: `find stack ${nameOrId}`, ...sig(signal) });
  let found = byName.body.stacks.find((s) => s.stack_name === nameOrId);
  if (!found) {
    const byId = await api.call<{ stacks: HeatStack[] }>('orchestration', { method: 'GET', path: `/stacks?id=${encodeURIComponent(nameOrId)}`, what: `find stack ${nameOrId}`, ...sig(signal) });
    found = byId.body.stacks.find((s) => s.id === nameOrId);
  }
  if (!found) return undefined;
  try {
    const res = await api.call<{ stack: HeatStack }>('orchestration', { method: 'GET', path: `/stacks/${encodeURIComponent(found.stack_name)}/${found.id}`, what: `show stack ${found.stack_name}`, ...sig(signal) });
    return res.body.stack.stack_status === 'DELETE_COMPLETE' ? undefined : res.body.stack;
  } catch (e) {
    if (e instanceof VimError && e.kind === 'NOT_FOUND') return undefined;
    throw e;
  }
}

/** Stacks carrying every tag in `tags`. */
export async function listStacks(api: OpenStackApi, tags: readonly string[], signal?: AbortSignal): Promise<HeatStack[]> {
  const q = tags.length > 0 ? `?tags=${encodeURIComponent(tags.join(','))}` : '';
  const { stacks } = (await api.call<{ stacks: HeatStack[] }>('orchestration', { method: 'GET', path: `/stacks${q}`, what: 'list stacks', ...sig(signal) })).body;
  // Heat lists a just-deleted stack as DELETE_COMPLETE for a moment: it is gone (as in findStack).
  return stacks.filter((s) => s.stack_status !== 'DELETE_COMPLETE');
}

/**
 * Polls a stack until its status ends in `_COMPLETE` (returned) or `_FAILED` (thrown as a
 * VimError whose kind comes from the status reason: quota texts → QUOTA, else
 * UNEXPECTED_RESPONSE), with backoff, up to `deadlineMs`. At most 2 s between polls (one GET
 * each): a stack of a few servers completes in seconds, and a 5 s cap added up to 5 s to
 * each create and delete.
 */
export async function waitStack(api: OpenStackApi, nameOrId: string, opts: { deadlineMs: number; signal?: AbortSignal; gone?: boolean }): Promise<HeatStack | undefined> {
  return pollUntil<HeatStack | 'gone'>(api.vim, `stack ${nameOrId}`, async () => {
    const s = await findStack(api, nameOrId, opts.signal);
    if (!s) {
      if (opts.gone) return 'gone';
      throw new VimError('NOT_FOUND', api.vim, `stack ${nameOrId} does not exist`);
    }
    if (s.stack_status.endsWith('_FAILED') && (!opts.gone || s.stack_status === 'DELETE_FAILED')) {
      const reason = s.stack_status_reason ?? '';
      const kind = faultKind(/quota|limit/i.test(reason) ? 413 : 500, reason) === 'QUOTA' ? 'QUOTA' : 'UNEXPECTED_RESPONSE';
      throw new VimError(kind, api.vim, `stack ${s.stack_name} is ${s.stack_status}: ${reason}`);
    }
    if (!opts.gone && s.stack_status.endsWith('_COMPLETE')) return s;
    return undefined;
  }, { deadlineMs: opts.deadlineMs, initialMs: 500, maxMs: 2_000, ...sig(opts.signal) }).then((r) => (r === 'gone' ? undefined : r));
}

/** Starts deleting a stack; a missing one is fine. */
export async function deleteStack(api: OpenStackApi, s: HeatStack, signal?: AbortSignal): Promise<void> {
  try {
    await api.call('orchestration', { method: 'DELETE', path: `/stacks/${encodeURIComponent(s.stack_name)}/${s.id}`, what: `delete stack ${s.stack_name}`, ...sig(signal) });
  } catch (e) {
    if (!(e instanceof VimError && e.kind === 'NOT_FOUND')) throw e;
  }
}
