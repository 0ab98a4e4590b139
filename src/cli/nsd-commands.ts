import type { Command } from 'commander';
import type { NsdInfo } from '../api/index.js';
import type { Nsd, Vnfd } from '../model/index.js';
import { contextOf } from './cli-context.js';
import { printFields, printJson, printTable } from './output.js';
import type { Output } from './output.js';

/** What `/admin/v1/ns_descriptors/{id}/model` answers (the model without `source`). */
interface NsdModelView {
  nsd: Omit<Nsd, 'source'>;
  vnfds: { vnfPkgId: string; vnfd: Omit<Vnfd, 'source'> }[];
}

/** Rondo stores config primitives but runs no execution environment (Juju charms, Helm-based EEs). */
export const CONFIG_PRIMITIVES_NOTE = 'day-1/day-2 config primitives are stored and listed, not run: Rondo does not run Juju charms or other execution environments';

/** `rondo nsd list|show` (SOL005 NSD management). */
export function registerNsdCommands(program: Command, out: Output): void {
  const nsd = program.command('nsd').description('NS descriptors in the catalog');

  nsd
    .command('list')
    .description('list NSDs')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const list = await ctx.client.getAll<NsdInfo>('listing NSDs', '/nsd/v1/ns_descriptors');
      if (ctx.json) printJson(out, list);
      else
        printTable(
          out,
          ['ID', 'NAME', 'VERSION', 'DESIGNER', 'VNFDS', 'ONBOARDING', 'OPERATIONAL', 'USAGE'],
          list.map((n) => [n.id, n.nsdName, n.nsdVersion, n.nsdDesigner, n.vnfPkgIds.length, n.nsdOnboardingState, n.nsdOperationalState, n.nsdUsageState]),
        );
    });

  nsd
    .command('show')
    .description('show one NSD')
    .argument('<id>', 'NsdInfo id')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const n = await ctx.client.get<NsdInfo>(`showing NSD ${id}`, `/nsd/v1/ns_descriptors/${encodeURIComponent(id)}`);
      const model = n.nsdOnboardingState === 'ONBOARDED' ? await ctx.client.get<NsdModelView>(`reading the model of NSD ${id}`, `/admin/v1/ns_descriptors/${encodeURIComponent(id)}/model`).catch(() => undefined) : undefined;
      if (ctx.json) return printJson(out, model ? { ...n, model } : n);
      printFields(out, [
        ['id', n.id],
        ['nsdId', n.nsdId],
        ['name', n.nsdName],
        ['version', n.nsdVersion],
        ['designer', n.nsdDesigner],
        ['format', model?.nsd.format],
        ['onboarding', n.nsdOnboardingState],
        ['operational', n.nsdOperationalState],
        ['usage', n.nsdUsageState],
        ['vnfPkgIds', n.vnfPkgIds.join(', ')],
      ]);
      if (!model) return;
      const vnfdOf = new Map(model.vnfds.map((v) => [v.vnfd.descriptorId, v.vnfd]));
      out.out('');
      printTable(
        out,
        ['MEMBER', 'VNFD', 'VDU', 'IMAGE', 'CPU', 'MEMORY', 'DISK', 'INSTANCES'],
        model.nsd.vnfs.flatMap((m) => {
          const d = 'descriptorId' in m.vnfd ? vnfdOf.get(m.vnfd.descriptorId) : model.vnfds.find((v) => v.vnfd.ref.name === (m.vnfd as { name: string }).name)?.vnfd;
          return (d?.vdus ?? []).map((u) => [m.vnfId, d?.descriptorId, u.id, `${u.image}${u.imageFormat === 'docker' ? '' : ` (${u.imageFormat})`}`, u.vcpus, `${u.memoryMiB} MiB`, u.storageGiB === undefined ? '-' : `${u.storageGiB} GiB`, `${u.initialInstances ?? 1}${u.maxInstances === undefined ? '' : `..${u.maxInstances}`}`]);
        }),
      );
      const k8s = model.vnfds.filter((v) => v.vnfd.vdus.some((u) => u.imageFormat === 'helm-chart' || u.imageFormat === 'juju-bundle'));
      for (const v of k8s) out.out(`note: ${v.vnfd.descriptorId} is a Kubernetes workload (Helm chart or Juju bundle): it is stored, and needs a Kubernetes PoP to run`);
      out.out('');
      printTable(out, ['LINK', 'MANAGEMENT', 'NETWORK', 'ENDPOINTS'], model.nsd.virtualLinks.map((l) => [l.id, l.management ? 'yes' : '', l.externalNetwork, l.cpRefs.map((r) => (r.kind === 'vnf' ? `${r.vnfId}:${r.cp}` : r.sap)).join(' ')]));
      const aspects = model.vnfds.flatMap((v) => v.vnfd.scalingAspects.map((a) => [v.vnfd.descriptorId, a.id, a.maxScaleLevel, Object.entries(a.deltas).map(([k, x]) => `${k}+${x}`).join(' '), (a.triggers ?? []).map((t) => `${t.parameter} ${t.scaleOut ? `${t.scaleOut.operator} ${t.scaleOut.threshold}` : ''}`.trim()).join('; ')]));
      if (aspects.length > 0) {
        out.out('');
        printTable(out, ['VNFD', 'SCALING ASPECT', 'MAX LEVEL', 'DELTA', 'TRIGGERS (stored)'], aspects);
      }
      const primitives = model.vnfds.flatMap((v) => (v.vnfd.configPrimitives ?? []).map((p) => [v.vnfd.descriptorId, p.name, p.stage, p.vdu ?? '(VNF)', p.parameters.map((x) => x.name).join(', '), p.executionEnvironment]));
      if (primitives.length > 0) {
        out.out('');
        printTable(out, ['VNFD', 'CONFIG PRIMITIVE', 'STAGE', 'TARGET', 'PARAMETERS', 'EXECUTION ENVIRONMENT'], primitives);
        out.out(`note: ${CONFIG_PRIMITIVES_NOTE}`);
      }
    });
}
