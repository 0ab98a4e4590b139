import type { Capacity } from '../../model/index.js';
import type { OpenStackApi } from './keystone-client.js';

interface Inventory {
  total: number;
  reserved?: number;
  allocation_ratio?: number;
}

/**
 * Total schedulable capacity from Placement: per resource provider,
 * (total − reserved) × allocation_ratio of VCPU and MEMORY_MB, summed. Null when no
 * provider reports both. Placement is admin-only by default (AUTH otherwise).
 */
export async function placementCapacity(api: OpenStackApi, signal?: AbortSignal): Promise<Capacity | null> {
  const s = signal ? { signal } : {};
  const rps = await api.call<{ resource_providers: { uuid: string }[] }>('placement', { method: 'GET', path: '/resource_providers', what: 'list resource providers', ...s });
  let cpu = 0;
  let memoryMiB = 0;
  for (const rp of rps.body.resource_providers) {
    const inv = await api.call<{ inventories: Record<string, Inventory> }>('placement', { method: 'GET', path: `/resource_providers/${rp.uuid}/inventories`, what: `inventories of ${rp.uuid}`, ...s });
    const usable = (i: Inventory | undefined): number => (i ? Math.floor((i.total - (i.reserved ?? 0)) * (i.allocation_ratio ?? 1)) : 0);
    cpu += usable(inv.body.inventories.VCPU);
    memoryMiB += usable(inv.body.inventories.MEMORY_MB);
  }
  return cpu > 0 && memoryMiB > 0 ? { cpu, memoryMiB } : null;
}
