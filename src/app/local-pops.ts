import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import type { VimAccountService } from '../vim/index.js';
import type { LocalEngine } from '../vim/docker/local-engine.js';

/** What {@link startLocalPops} did, and how to undo the part serve owns. */
export interface LocalPops {
  /** PoPs registered now (`dc1` on the default engine, `dcK` on their own engines). */
  readonly registered: readonly string[];
  /** PoPs whose engine this process started (it stops them on close). */
  readonly started: readonly string[];
  /** PoPs whose engine was already running (left running on close). */
  readonly reused: readonly string[];
  /** Stops the engines this process started (their data and bridge stay for the next start; `rondo pop down` removes them). */
  stop(): Promise<void>;
}

/** The local PoP names `dc1..dcN`. */
export const localPopNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `dc${i + 1}`);

/**
 * Registers the local PoPs of `rondo serve`:
 * - `labels` mode: `dc1..dcN` as labels on the default engine (fresh install only);
 * - `engines` mode: `dc1` on the default engine (fresh install only), and for each of
 *   `dc2..dcN` a local Docker engine of its own (`rondo pop up`'s: own socket, data root,
 *   exec root, pidfile, bridge, `--iptables=false`, VNF images built in it), reused when
 *   already running, registered as a Docker PoP on its socket when missing.
 * A PoP that cannot be made is a warning, not a failure (PoPs can be added later).
 */
export async function startLocalPops(config: RondoConfig, vims: VimAccountService, logger: Logger): Promise<LocalPops> {
  const names = localPopNames(config.localPops);
  const registered: string[] = [];
  const started: LocalEngine[] = [];
  const startedNames: string[] = [];
  const reused: string[] = [];
  const first = config.popMode === 'labels' ? names : names.slice(0, 1);
  try {
    const r = await vims.ensureLocalPops(config.dockerEndpoint, first);
    registered.push(...r.registered);
    if (r.registered.length > 0) {
      logger.info({ pops: r.registered, endpoint: config.dockerEndpoint, mode: config.popMode }, `registered the local Docker engine as PoPs ${r.registered.join(', ')}${config.popMode === 'labels' ? ' (label mode: one engine)' : ''}`);
    }
    if (r.skipped) {
      logger.warn(
        { endpoint: config.dockerEndpoint, reason: r.skipped },
        `no PoP registered: the Docker engine at ${config.dockerEndpoint} did not answer; start Docker and restart, or add one with "rondo vim add"`,
      );
    }
  } catch (e) {
    logger.warn({ err: e }, 'could not register the local Docker engine as PoPs; add one with "rondo vim add"');
  }
  const stop = async (): Promise<void> => {
    for (const engine of started.reverse()) {
      await engine.stop().then(
        () => logger.info({ engine: engine.name, socket: engine.socket }, `stopped the Docker engine of PoP ${engine.name.replace(/^pop-/, '')}`),
        (e: unknown) => logger.warn({ err: e, engine: engine.name }, `could not stop the Docker engine ${engine.name}`),
      );
    }
  };
  const own = config.popMode === 'engines' ? names.slice(1) : [];
  if (own.length > 0 && process.getuid?.() !== 0) {
    logger.warn({ pops: own }, `RONDO_LOCAL_POPS=${config.localPops}: starting Docker engines for ${own.join(', ')} needs root; not registered`);
    return { registered, started: [], reused, stop };
  }
  // Loaded only when asked: dockerode's engine code is not needed otherwise.
  const { localPopEngine, saveLocalPopState } = await import('../vim/docker/local-pop.js');
  for (const pop of own) {
    try {
      const { engine, state } = localPopEngine(pop);
      if (engine.pid !== null && (await engine.answers())) {
        reused.push(pop);
        logger.info({ pop, socket: engine.socket, pid: engine.pid }, `PoP ${pop}: reusing its running Docker engine`);
      } else {
        logger.info({ pop, socket: engine.socket, bridge: state.bridge, bridgeAddress: state.bridgeAddress }, `PoP ${pop}: starting a Docker engine of its own`);
        await engine.start();
        started.push(engine);
        startedNames.push(pop);
      }
      saveLocalPopState(engine, state);
      await engine.importVnfImages();
      const r = await vims.ensureDockerPop(pop, engine.endpoint, { localEngine: true, autoRegistered: true });
      if (r.outcome === 'registered') registered.push(pop);
      if (r.outcome === 'conflict') {
        logger.warn({ pop, endpoint: r.endpoint, engine: engine.endpoint }, `PoP ${pop} exists on ${r.endpoint}, not on its local engine ${engine.endpoint}; left as is (remove it with "rondo vim remove ${pop}" to use the engine)`);
      }
    } catch (e) {
      logger.warn({ err: e, pop }, `PoP ${pop}: could not start or register its local Docker engine`);
    }
  }
  return { registered, started: startedNames, reused, stop };
}
