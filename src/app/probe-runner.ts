import { execFile } from 'node:child_process';
import type { ProbeRunner } from '../monitoring/index.js';

/**
 * Probes from this host, as Tacker's ping and http_ping monitors do: `ping` (the system
 * binary: ICMP needs raw sockets Node does not have) and an HTTP GET that any status
 * answers (the VNF's HTTP server is up). The VNF's management address must be routable
 * from here (the local Docker engine's bridges are).
 */
export const hostProbeRunner: ProbeRunner = {
  ping: (address, timeoutMs) =>
    new Promise((resolve) => {
      execFile('ping', ['-c', '1', '-W', String(Math.max(1, Math.ceil(timeoutMs / 1000))), address], { timeout: timeoutMs + 1000 }, (e) => resolve(e === null));
    }),
  http: async (url, timeoutMs) => {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
      await res.body?.cancel();
      return true;
    } catch {
      return false;
    }
  },
};
