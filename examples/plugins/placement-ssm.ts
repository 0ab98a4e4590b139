/**
 * A placement SSM (service-specific manager) written with Rondo's plugin SDK: it pins the
 * firewall VNF to PoP dc2 and leaves every other VNF to Rondo's own placement.
 *
 *   RONDO_AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npx tsx examples/plugins/placement-ssm.ts
 *
 * It registers with the plugin manager of a Rondo running on the same broker (role
 * worker or all), heartbeats, and answers `mano.service.place` requests until Ctrl-C.
 */
import { pathToFileURL } from 'node:url';
import { connectPlugin, PLACEMENT_TOPIC } from '../../src/sdk/index.js';
import type { ConnectPluginOptions, PlacementReply, PlacementRequest, RondoPlugin } from '../../src/sdk/index.js';

/** The decision: the firewall on dc2 (when Rondo offers dc2); nothing else. */
export function placeFirewallOnDc2(req: PlacementRequest): PlacementReply {
  const placement: Record<string, string> = {};
  if (!req.pops.includes('dc2')) return { placement };
  for (const v of req.vnfs) {
    if (/firewall/i.test(v.memberId) || /firewall/i.test(v.vnfdId ?? '')) placement[v.memberId] = 'dc2';
  }
  return { placement };
}

/** Connects, registers and serves placement requests; `close()` deregisters. */
export async function startPlacementSsm(connection: Omit<ConnectPluginOptions, 'name' | 'version'>): Promise<RondoPlugin> {
  // Naming the topic in the registration is what makes Rondo ask this plugin at INSTANTIATE.
  const plugin = await connectPlugin({ name: 'placement-ssm-firewall-dc2', version: '1.0.0', description: 'pins the firewall to dc2', topics: [PLACEMENT_TOPIC], ...connection });
  await plugin.serve(PLACEMENT_TOPIC, async (req) => placeFirewallOnDc2(req));
  return plugin;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const plugin = await startPlacementSsm({ amqpUrl: process.env.RONDO_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', prefix: process.env.RONDO_AMQP_PREFIX ?? 'rondo' }).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
  process.stdout.write(`placement SSM registered as ${plugin.uuid}; answering ${PLACEMENT_TOPIC}\n`);
  const stop = () => void plugin.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
