/**
 * A function-specific manager (FSM) written with Rondo's plugin SDK: when a firewall VNF
 * has started (`mano.function.start`), it configures it. Here "configure" prints what it
 * would write; a real FSM would reach the VNF (a Rondo-mediated exec is later work).
 *
 *   RONDO_AMQP_URL=amqp://guest:guest@127.0.0.1:5672 npx tsx examples/plugins/firewall-fsm.ts
 */
import { pathToFileURL } from 'node:url';
import { connectPlugin, MANO_TOPICS } from '../../src/sdk/index.js';
import type { ConnectPluginOptions, FunctionLifecycleEvent, RondoPlugin } from '../../src/sdk/index.js';

/** What the FSM does for one started firewall. */
export interface FirewallConfigured {
  readonly vnfInstanceId: string;
  readonly nsInstanceId: string;
  readonly popId: string;
  /** The rules it would install. */
  readonly rules: readonly string[];
}

const isFirewall = (e: FunctionLifecycleEvent) => /firewall/i.test(e.memberId) || /firewall/i.test(e.vnfdId ?? '');

/** Connects, registers and configures each firewall that starts; `onConfigured` hears about each. */
export async function startFirewallFsm(
  connection: Omit<ConnectPluginOptions, 'name' | 'version'>,
  onConfigured: (c: FirewallConfigured) => void = (c) => process.stdout.write(`configured firewall ${c.vnfInstanceId} of NS ${c.nsInstanceId} on ${c.popId}: ${c.rules.join('; ')}\n`),
): Promise<RondoPlugin> {
  const plugin = await connectPlugin({ name: 'fsm-firewall', version: '1.0.0', description: 'configures the firewall VNF on start', ...connection });
  await plugin.on(MANO_TOPICS.functionStart, (e) => {
    if (!isFirewall(e)) return;
    onConfigured({ vnfInstanceId: e.vnfInstanceId, nsInstanceId: e.nsInstanceId, popId: e.popId, rules: ['accept icmp', 'accept tcp dport 80', 'drop'] });
  });
  return plugin;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const plugin = await startFirewallFsm({ amqpUrl: process.env.RONDO_AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672', prefix: process.env.RONDO_AMQP_PREFIX ?? 'rondo' }).catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
  process.stdout.write(`firewall FSM registered as ${plugin.uuid}; waiting for ${MANO_TOPICS.functionStart}\n`);
  const stop = () => void plugin.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
