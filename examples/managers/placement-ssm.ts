/**
 * A placement SSM that Rondo runs as a container for each NS whose NSD names it
 * (`service_specific_managers`, examples/tango-chain-managers). It answers its NS's
 * placement request (`mano.ns.<nsId>.service.place`): the firewall on the PoP of option
 * `pop` (default dc2), everything else left to Rondo. As a configure SSM it is told once
 * every VNF started (`mano.ns.<nsId>.service.configure`) and prints where they run. As a
 * monitoring SSM it hears its NS's alarms (`mano.ns.<nsId>.service.alarm`) and asks Rondo
 * to HEAL a VNF that went down (`mano.ns.<nsId>.service.action`). Built into the local image
 * rondo/ssm-placement by scripts/build-manager-images.sh.
 */
import { connectManager } from '../../src/sdk/index.js';
import type { PlacementReply, PlacementRequest } from '../../src/sdk/index.js';

/** The decision: each VNF whose member or VNFD id names a firewall on `pop`, when offered. */
export function placeFirewall(req: PlacementRequest, pop: string): PlacementReply {
  const placement: Record<string, string> = {};
  if (!req.pops.includes(pop)) return { placement };
  for (const v of req.vnfs) if (/firewall/i.test(v.memberId) || /firewall/i.test(v.vnfdId ?? '')) placement[v.memberId] = pop;
  return { placement };
}

async function main(): Promise<void> {
  const m = await connectManager({ description: 'pins the firewall to one PoP' });
  const pop = m.env.options['pop'] ?? 'dc2';
  await m.onPlace((req) => {
    const answer = placeFirewall(req, pop);
    process.stdout.write(`placement for NS ${req.nsInstanceId}: ${JSON.stringify(answer.placement)}\n`);
    return answer;
  });
  await m.onConfigure((req) => {
    process.stdout.write(`configure NS ${req.nsInstanceId}: ${req.vnfs.map((v) => `${v.memberId}@${v.popId}`).sort().join(', ')}\n`);
    return { status: 'OK', detail: `${req.vnfs.length} VNFs` };
  });
  // As a monitoring SSM: a VNF of its NS that went down is healed at its request (option `heal_on_down: "false"` turns it off).
  if (m.env.options['heal_on_down'] !== 'false') {
    await m.onAlarm(async ({ event, alarm }) => {
      process.stdout.write(`${event} ${alarm.probableCause} for ${alarm.memberId ?? '?'} (${alarm.vnfInstanceId ?? '?'})\n`);
      if (event !== 'alarm.raised' || alarm.probableCause !== 'VNF_DOWN' || !alarm.vnfInstanceId) return;
      try {
        const { nsLcmOpOccId } = await m.requestAction({ action: 'HEAL', vnfInstanceId: alarm.vnfInstanceId, cause: 'VNF_DOWN seen by the monitoring SSM' });
        process.stdout.write(`asked HEAL of ${alarm.memberId ?? alarm.vnfInstanceId}: operation ${nsLcmOpOccId}\n`);
      } catch (e) {
        process.stdout.write(`HEAL of ${alarm.memberId ?? alarm.vnfInstanceId} refused: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    });
  }
  process.stdout.write(`placement SSM ${m.env.managerId} of NS ${m.env.nsInstanceId} registered as ${m.plugin.uuid}\n`);
  const stop = () => void m.close().finally(() => process.exit(0));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`placement SSM: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
