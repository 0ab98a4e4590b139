import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { LocalEngine } from './local-engine.js';

/** PoP names a local engine can carry (its directories and bridge derive from it). */
const POP_NAME = /^[a-z0-9][a-z0-9-]{0,26}$/;

/** The /24s local PoPs' bridges take their gateway from: 172.31.100.0/24 to 172.31.199.0/24. */
const FIRST = 100;
const LAST = 199;

/** What `rondo pop up` made, kept in the engine's run directory for `pop down` and a second `up`. */
export interface LocalPopState {
  readonly pop: string;
  readonly bridge: string;
  readonly bridgeAddress: string;
}

/** The IPv4 addresses (a.b.c.d/len) on this host's interfaces. */
function hostAddresses(): string[] {
  const out = execFileSync('ip', ['-o', '-4', 'addr', 'show'], { encoding: 'utf8' });
  return [...out.matchAll(/\binet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1] as string);
}

/** The first 172.31.N.1/24 (N in 100..199) no interface of this host is on; throws Error when all are. */
export function freeBridgeAddress(taken: readonly string[] = hostAddresses()): string {
  const used = new Set(taken.map((a) => a.split('.').slice(0, 3).join('.')));
  for (let n = FIRST; n <= LAST; n++) if (!used.has(`172.31.${n}`)) return `172.31.${n}.1/24`;
  throw new Error(`no free /24 in 172.31.${FIRST}-${LAST}.0 for a local PoP's bridge; remove a local PoP or give --bridge-address`);
}

/** Throws Error for a PoP name a local engine cannot carry. */
export function checkLocalPopName(pop: string): void {
  if (!POP_NAME.test(pop)) throw new Error(`PoP name "${pop}": a local PoP's name is 1-27 lower-case letters, digits or "-"`);
}

/** The bridge of local PoP `pop`: `rpop` and 8 hex digits of its name's hash (15 characters at most). */
export const localPopBridge = (pop: string): string => `rpop${createHash('sha1').update(pop).digest('hex').slice(0, 8)}`;

const stateFile = (engine: LocalEngine): string => `${engine.runDir}/pop.json`;

/**
 * The local engine of PoP `pop` (engine name `pop-<pop>`: `/run/rondo-pop-<pop>`,
 * `/var/lib/rondo-pop-<pop>-docker`, bridge {@link localPopBridge}), detached so it
 * outlives the CLI. Its bridge address is the one a previous `up` chose, else
 * `bridgeAddress`, else {@link freeBridgeAddress}. Throws Error for a bad name.
 */
export function localPopEngine(pop: string, bridgeAddress?: string): { engine: LocalEngine; state: LocalPopState } {
  checkLocalPopName(pop);
  const probe = new LocalEngine({ name: `pop-${pop}`, bridge: localPopBridge(pop), bridgeAddress: '0.0.0.0/32' });
  const saved = existsSync(stateFile(probe)) ? (JSON.parse(readFileSync(stateFile(probe), 'utf8')) as LocalPopState) : undefined;
  const state: LocalPopState = { pop, bridge: localPopBridge(pop), bridgeAddress: saved?.bridgeAddress ?? bridgeAddress ?? freeBridgeAddress() };
  return { engine: new LocalEngine({ name: `pop-${pop}`, bridge: state.bridge, bridgeAddress: state.bridgeAddress, detached: true }), state };
}

/** Records what `up` chose, so `down` and the next `up` find it. */
export function saveLocalPopState(engine: LocalEngine, state: LocalPopState): void {
  mkdirSync(engine.runDir, { recursive: true });
  writeFileSync(stateFile(engine), `${JSON.stringify(state, null, 2)}\n`);
}
