import type Dockerode from 'dockerode';
import type { ComputeHealth, ComputeInfo, ComputeInterface, ComputeSpec, ComputeState, Labels } from '../vim-driver.js';

/** CFS period used for every quota: 1 s, the largest Docker accepts (as 5GTANGO did). */
export const CPU_PERIOD_US = 1_000_000;
/** The kernel refuses quotas under 1 ms. */
export const MIN_CPU_QUOTA_US = 1000;

/** Label holding the interfaces (network, address, name) in spec order. */
export const LABEL_INTERFACES = 'rondo.interfaces';

/**
 * CFS period and quota for a share of CPU time, computed as 5GTANGO's LLCM does:
 * quota = period × cpuBw, at least 1 ms; `undefined` or negative: no limit.
 */
export function cpuCfs(cpuBw: number | undefined): { CpuPeriod: number; CpuQuota: number } | null {
  if (cpuBw === undefined || !Number.isFinite(cpuBw) || cpuBw < 0) return null;
  return { CpuPeriod: CPU_PERIOD_US, CpuQuota: Math.max(MIN_CPU_QUOTA_US, Math.trunc(CPU_PERIOD_US * cpuBw)) };
}

/** A network as the driver resolved it before creating the container. */
export interface ResolvedInterface extends ComputeInterface {
  readonly ifName: string;
}

/** Container create options: limits, NET_ADMIN, ip_forward, init, first interface. */
export function containerCreateOptions(spec: ComputeSpec, labels: Labels, interfaces: readonly ResolvedInterface[]): Dockerode.ContainerCreateOptions {
  const first = interfaces[0];
  const cfs = cpuCfs(spec.cpuBw);
  const hostname = /^[a-zA-Z0-9][a-zA-Z0-9.-]{0,62}$/.test(spec.name) ? spec.name : undefined;
  return {
    name: spec.name,
    Image: spec.image,
    ...(hostname ? { Hostname: hostname } : {}),
    ...(spec.command ? { Cmd: [...spec.command] } : {}),
    Env: Object.entries(spec.env).map(([k, v]) => `${k}=${v}`),
    Labels: { ...labels, [LABEL_INTERFACES]: JSON.stringify(interfaces.map((i) => [i.network, i.address, i.ifName])) },
    HostConfig: {
      ...(cfs ?? {}),
      Memory: Math.round(spec.memoryMiB * 1024 * 1024),
      CapAdd: ['NET_ADMIN'],
      Sysctls: { 'net.ipv4.ip_forward': '1' },
      // tini as PID 1: a VNF whose process ignores SIGTERM cannot stall stop/kill.
      Init: true,
      NetworkMode: first ? first.network : 'none',
    },
    NetworkingConfig: first ? { EndpointsConfig: { [first.network]: { IPAMConfig: { IPv4Address: first.address }, ...(first.macAddress ? { MacAddress: first.macAddress } : {}) } } } : {},
  };
}

/** Maps Docker's container state to the contract's {@link ComputeState}. */
export function computeState(state: Dockerode.ContainerInspectInfo['State']): ComputeState {
  switch (state.Status) {
    case 'running':
      return 'ACTIVE';
    case 'created':
    case 'restarting':
      return 'BUILD';
    case 'paused':
      return 'STOPPED';
    case 'exited':
      return state.ExitCode === 0 && !state.OOMKilled ? 'STOPPED' : 'ERROR';
    case 'removing':
      return 'DELETED';
    default:
      return 'ERROR';
  }
}

/** The container's `HEALTHCHECK` result while it runs; undefined without one. */
export function healthOf(state: Dockerode.ContainerInspectInfo['State']): ComputeHealth | undefined {
  if (!state.Running) return undefined;
  const status = (state as { Health?: { Status?: string } }).Health?.Status;
  return status === 'healthy' || status === 'unhealthy' || status === 'starting' ? status : undefined;
}

/** Reads the interfaces label back; tolerant of containers made by someone else. */
export function labelledInterfaces(labels: Labels): ResolvedInterface[] {
  try {
    const raw: unknown = JSON.parse(labels[LABEL_INTERFACES] ?? '[]');
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((x: unknown) =>
      Array.isArray(x) && x.length === 3 && x.every((s) => typeof s === 'string') ? [{ network: x[0] as string, address: x[1] as string, ifName: x[2] as string }] : [],
    );
  } catch {
    return [];
  }
}

/** The contract's view of an inspected container. */
export function computeInfo(c: Dockerode.ContainerInspectInfo, detail?: string): ComputeInfo {
  const labels: Record<string, string> = { ...(c.Config.Labels ?? {}) };
  const addresses: Record<string, string> = {};
  const macs = new Map<string, string>();
  for (const [name, ep] of Object.entries(c.NetworkSettings.Networks ?? {})) {
    const address = ep.IPAddress || ep.IPAMConfig?.IPv4Address;
    if (address) addresses[name] = address;
    if (ep.MacAddress) macs.set(name, ep.MacAddress.toLowerCase());
  }
  const interfaces = labelledInterfaces(labels).map((i) => {
    const macAddress = macs.get(i.network);
    return macAddress ? { ...i, macAddress } : i;
  });
  delete labels[LABEL_INTERFACES];
  const state = computeState(c.State);
  const health = healthOf(c.State);
  const why = detail ?? (c.State.OOMKilled ? 'killed: out of memory' : state === 'ERROR' || state === 'STOPPED' ? `exited with code ${c.State.ExitCode}` : undefined);
  return { id: c.Id, name: c.Name.replace(/^\//, ''), state, ...(health ? { health } : {}), labels, addresses, interfaces, ...(why ? { detail: why } : {}) };
}
