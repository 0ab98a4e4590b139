import { VimError } from '../../model/index.js';
import type { VimEvent } from '../vim-driver.js';
import type { OpenStackApi } from './keystone-client.js';
import { listServers } from './nova-client.js';
import { computeState } from './openstack-computes.js';
import { sleep } from './openstack-poll.js';

/**
 * Watches Rondo's servers by polling Nova every `intervalMs` (Nova has no event stream a
 * tenant can subscribe to without Zaqar or the notification bus): a server that turns
 * ACTIVE yields `compute.started`, one that turns ERROR or stopped yields `compute.died`.
 * The first poll is the baseline and yields nothing. Ends when `signal` aborts; transient
 * CONNECTION/TIMEOUT errors skip one round, others end the iteration with the error.
 */
export async function* watchServers(api: OpenStackApi, tags: readonly string[], intervalMs: number, signal: AbortSignal): AsyncGenerator<VimEvent> {
  let previous: Map<string, string> | undefined;
  while (!signal.aborted) {
    let servers;
    try {
      servers = await listServers(api, { tags }, signal);
    } catch (e) {
      if (signal.aborted) return;
      if (e instanceof VimError && (e.kind === 'CONNECTION' || e.kind === 'TIMEOUT')) {
        await sleep(intervalMs, signal);
        continue;
      }
      throw e;
    }
    const now = new Map<string, string>();
    for (const s of servers) {
      const state = computeState(s.status);
      now.set(s.id, state);
      const before = previous?.get(s.id);
      if (previous === undefined || before === state) continue;
      const at = new Date();
      if (state === 'ACTIVE') yield { type: 'compute.started', computeId: s.id, computeName: s.name, labels: s.metadata, at };
      else if (state === 'ERROR' || state === 'STOPPED') yield { type: 'compute.died', computeId: s.id, computeName: s.name, labels: s.metadata, at };
      if (signal.aborted) return;
    }
    previous = now;
    await sleep(intervalMs, signal);
  }
}
