/**
 * A firewall FSM that Rondo runs as a container for each NS whose firewall VNFD names it
 * (`function_specific_managers`, examples/tango-chain-managers). When Rondo asks it to
 * start a firewall VNF (`mano.ns.<nsId>.function.<managerId>.start`), it writes the
 * firewall's rules into the VNF through Rondo's mediated exec (`mano.ns.<nsId>.exec`):
 * option `config_path` (default /etc/firewall.conf). At termination (`…stop`, before the
 * VNF is removed) it removes that file again and prints `stopped <member> (<vnfInstanceId>)`;
 * after a SCALE (`…scale`) it prints the VNF's compute count.
 *
 * Option `hang: "true"` makes it take the start request and never answer (after printing
 * `start request received for <vnfInstanceId>`): the kill-a-manager test uses it.
 * Built into the local image rondo/fsm-firewall by scripts/build-manager-images.sh.
 */
import { connectManager } from '../../src/sdk/index.js';

/** The configuration it writes. */
export const FIREWALL_RULES = ['accept icmp', 'accept tcp dport 80', 'drop'];

async function main(): Promise<void> {
  const m = await connectManager({ description: 'configures the firewall VNF on start' });
  const path = m.env.options['config_path'] ?? '/etc/firewall.conf';
  await m.onFunction('start', async (req) => {
    process.stdout.write(`start request received for ${req.vnfInstanceId}\n`);
    if (m.env.options['hang'] === 'true') await new Promise<never>(() => undefined);
    const body = `# written by FSM ${m.env.managerId} for VNF ${req.memberId} (${req.vnfInstanceId}) of NS ${req.nsInstanceId}\n${FIREWALL_RULES.join('\n')}\n`;
    const r = await m.exec(req.vnfInstanceId, ['sh', '-c', `cat > '${path}' <<'RONDO_EOF'\n${body}RONDO_EOF`]);
    if (r.exitCode !== 0) throw new Error(`writing ${path} in ${req.memberId} failed (${r.exitCode}): ${r.stderr}`);
    process.stdout.write(`configured ${req.memberId}: ${path}\n`);
    return { status: 'OK', detail: `wrote ${path}` };
  });
  await m.onFunction('scale', (req) => {
    // After a SCALE of the firewall: its VNFC computes now (a real FSM would configure the new ones).
    process.stdout.write(`scaled ${req.memberId} (${req.vnfInstanceId}) ${req.direction ?? '?'} ${req.aspectId ?? '?'}: ${req.computeIds.length} computes\n`);
    return { status: 'OK', detail: `${req.computeIds.length} computes` };
  });
  await m.onFunction('stop', async (req) => {
    // Termination: the firewall still runs (Rondo asks before removing it); take its configuration away.
    process.stdout.write(`stop request received for ${req.vnfInstanceId}\n`);
    const r = await m.exec(req.vnfInstanceId, ['rm', '-f', path]);
    if (r.exitCode !== 0) throw new Error(`removing ${path} from ${req.memberId} failed (${r.exitCode}): ${r.stderr}`);
    process.stdout.write(`stopped ${req.memberId} (${req.vnfInstanceId}): removed ${path}\n`);
    return { status: 'OK', detail: `removed ${path}` };
  });
  process.stdout.write(`firewall FSM ${m.env.managerId} of NS ${m.env.nsInstanceId} registered as ${m.plugin.uuid}\n`);
  const stop = () => void m.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`firewall FSM: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
