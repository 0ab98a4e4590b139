import Docker from 'dockerode';
import type { MonitoredCompute, VimMonitoringPort } from '../../src/monitoring/index.js';
import { createDockerStatsSource } from '../../src/monitoring/index.js';
import type { DockerStatsLike } from '../../src/monitoring/index.js';

/** A real container labelled like a Rondo VNF (image built by scripts/build-vnf-images.sh). */
export interface DockerVnf {
  readonly docker: Docker;
  readonly containerId: string;
  readonly port: VimMonitoringPort;
  remove(): Promise<void>;
}

/**
 * Starts `vnf/busybox` with `rondo.ns`/`rondo.vnf`/`rondo.pop` labels and a memory limit,
 * and a monitoring port over the real engine that lists containers of `popId` by label.
 * Fails loudly when Docker or the image is missing (run scripts/build-vnf-images.sh).
 */
export async function startDockerVnf(popId: string, nsId: string, vnfId: string, memoryMiB = 64): Promise<DockerVnf> {
  const docker = new Docker();
  const c = await docker.createContainer({
    Image: 'vnf/busybox:latest',
    Cmd: ['sh', '-c', 'while true; do i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; sleep 0.2; done'],
    Labels: { 'rondo.ns': nsId, 'rondo.vnf': vnfId, 'rondo.pop': popId, 'rondo.test': 'monitoring' },
    HostConfig: { Memory: memoryMiB * 1024 * 1024, AutoRemove: false },
  });
  // A container that cannot start (engine trouble) must not outlive the test.
  await c.start().catch(async (e: unknown) => {
    await c.remove({ force: true }).catch(() => undefined);
    throw e;
  });
  const stats = createDockerStatsSource(docker as unknown as DockerStatsLike);
  const port: VimMonitoringPort = {
    popId,
    async listComputes() {
      const list = await docker.listContainers({ filters: { label: [`rondo.pop=${popId}`] } });
      return list.map((x): MonitoredCompute => ({
        computeId: x.Id,
        computeName: (x.Names[0] ?? x.Id).replace(/^\//, ''),
        nsId: x.Labels['rondo.ns'] ?? '',
        vnfId: x.Labels['rondo.vnf'] ?? '',
        popId,
      }));
    },
    async computeState(id) {
      const info = await docker.getContainer(id).inspect();
      return info.State.Running ? 'ACTIVE' : 'ERROR';
    },
    stats,
  };
  return { docker, containerId: c.id, port, remove: () =>
      c.remove({ force: true }).then(
        () => undefined,
        (e: { statusCode?: number }) => {
          if (e.statusCode !== 404) throw e;
        },
      ),
  };
}
