import type { Vnfd } from '../model/index.js';

const START_ENV = 'SON_EMU_CMD';
const STOP_ENV = 'SON_EMU_CMD_STOP';

function byVdu(vnfd: Vnfd, vnfLevel: readonly string[], envName: string): Map<string, string[]> {
  const out = new Map<string, string[]>(vnfd.vdus.map((v) => [v.id, []]));
  // Readers may already have copied a VDU's SON_EMU_CMD into the VNF-level list; run it
  // once, in its own VDU.
  const remaining = [...vnfLevel];
  for (const vdu of vnfd.vdus) {
    const cmd = vdu.env?.[envName];
    if (!cmd) continue;
    out.get(vdu.id)?.push(cmd);
    const i = remaining.indexOf(cmd);
    if (i >= 0) remaining.splice(i, 1);
  }
  const first = vnfd.vdus[0];
  if (first) out.get(first.id)?.push(...remaining);
  return out;
}

/**
 * Start commands per VDU: each VDU's `SON_EMU_CMD` (the 5GTANGO convention) in that VDU,
 * the VNFD's other `startCommands` in its first VDU.
 */
export const startCommandsByVdu = (vnfd: Vnfd): Map<string, string[]> => byVdu(vnfd, vnfd.startCommands, START_ENV);

/** Stop commands per VDU, the same way with `SON_EMU_CMD_STOP` and `stopCommands`. */
export const stopCommandsByVdu = (vnfd: Vnfd): Map<string, string[]> => byVdu(vnfd, vnfd.stopCommands, STOP_ENV);
