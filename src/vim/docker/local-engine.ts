import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Dockerode from 'dockerode';

/** A TCP listener with mutual TLS (`--tlsverify`): the engine's CA, certificate and key files. */
export interface LocalEngineTls {
  /** `host:port` addresses to listen on, e.g. `127.0.0.1:2376`. */
  readonly listen: readonly string[];
  /** CA that signed the clients' certificates (and, for them, the engine's). */
  readonly caFile: string;
  readonly certFile: string;
  readonly keyFile: string;
}

/** Options of a {@link LocalEngine}. */
export interface LocalEngineOptions {
  /** Short name (letters, digits, `-`): its files are `<runRoot>/rondo-<name>/` and `<dataRoot>`. */
  readonly name: string;
  /**
   * Linux bridge of its own (at most 15 characters) and the gateway address it gets,
   * e.g. `172.31.254.1/24`. An engine without one (`--bridge=none`) deletes the shared
   * engine's `docker0`; two engines on one bridge fight over it.
   */
  readonly bridge: string;
  readonly bridgeAddress: string;
  /** Keep containers running while the engine is down (`--live-restore`); default false. */
  readonly liveRestore?: boolean;
  /** Also listen on TCP with mutual TLS. */
  readonly tls?: LocalEngineTls;
  /** Default `/run`. */
  readonly runRoot?: string;
  /** Default `/var/lib/rondo-<name>-docker`. */
  readonly dataRoot?: string;
  /** Default `/tmp/rondo-<name>-dockerd.log`. */
  readonly logFile?: string;
  /**
   * Let the engine outlive this process (`rondo pop up`): started in its own session and
   * not waited for. Default false: it is this process's child (tests).
   */
  readonly detached?: boolean;
}

const NAME = /^[a-z0-9][a-z0-9-]{0,30}$/;
const BRIDGE = /^[A-Za-z0-9_.-]{1,15}$/;
const ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\/\d{1,2}$/;

/** Whether process `pid` lives (EPERM: it does, as another user's). */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

async function pollUntil(what: string, timeoutMs: number, check: () => Promise<boolean> | boolean, everyMs = 100): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > until) throw new Error(`${what}: not within ${Math.round(timeoutMs / 1000)} s`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let err = '';
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    c.once('error', reject);
    c.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.trim()}`))));
  });
}

/** The script that builds the VNF images from busybox-static (never pulls). */
export const VNF_IMAGES_SCRIPT = fileURLToPath(new URL('../../../scripts/build-vnf-images.sh', import.meta.url));
/** The script that builds the tunnel helper image `rondo/tunnel` (inter-PoP links; never pulls). */
export const TUNNEL_IMAGE_SCRIPT = fileURLToPath(new URL('../../../scripts/build-tunnel-image.sh', import.meta.url));

/**
 * An extra Docker engine on this machine, with its own socket, data root, exec root,
 * pidfile and bridge, and `--iptables=false` (the shared engine owns the NAT rules): a
 * second PoP for tests and local labs (`rondo pop up`), or an engine to stop on purpose
 * (the engine-fault test). Needs root. Found again by its pidfile, so a later process can
 * stop an engine an earlier one started.
 */
export class LocalEngine {
  readonly name: string;
  readonly runDir: string;
  readonly socket: string;
  readonly pidfile: string;
  readonly execRoot: string;
  readonly dataRoot: string;
  readonly logFile: string;
  readonly #opts: LocalEngineOptions;
  readonly #client: Dockerode;

  /** Throws Error for a name, bridge or address that cannot be used. */
  constructor(opts: LocalEngineOptions) {
    if (!NAME.test(opts.name)) throw new Error(`engine name "${opts.name}": use 1-31 lower-case letters, digits or "-"`);
    if (!BRIDGE.test(opts.bridge)) throw new Error(`bridge "${opts.bridge}": at most 15 letters, digits, "_", "." or "-"`);
    if (!ADDRESS.test(opts.bridgeAddress)) throw new Error(`bridge address "${opts.bridgeAddress}": expected a.b.c.d/len`);
    this.#opts = opts;
    this.name = opts.name;
    this.runDir = `${opts.runRoot ?? '/run'}/rondo-${opts.name}`;
    this.socket = `${this.runDir}/docker.sock`;
    this.pidfile = `${this.runDir}/docker.pid`;
    this.execRoot = `${this.runDir}/exec`;
    this.dataRoot = opts.dataRoot ?? `/var/lib/rondo-${opts.name}-docker`;
    this.logFile = opts.logFile ?? `/tmp/rondo-${opts.name}-dockerd.log`;
    this.#client = new Dockerode({ socketPath: this.socket });
  }

  /** `unix://` endpoint of its socket (a Docker VIM account's endpoint). */
  get endpoint(): string {
    return `unix://${this.socket}`;
  }

  /** `tcp://host:port` of its first TLS listener, if it has one. */
  get tlsEndpoint(): string | undefined {
    const t = this.#opts.tls;
    return t?.listen[0] ? `tcp://${t.listen[0]}` : undefined;
  }

  /** A client on its unix socket. */
  get client(): Dockerode {
    return this.#client;
  }

  /** The engine's process id from its pidfile, when that process lives. */
  get pid(): number | null {
    if (!existsSync(this.pidfile)) return null;
    const pid = Number(readFileSync(this.pidfile, 'utf8').trim());
    return pid > 0 && alive(pid) ? pid : null;
  }

  /** The dockerd command line. */
  args(): string[] {
    const o = this.#opts;
    const tls = o.tls ? ['--tlsverify', '--tlscacert', o.tls.caFile, '--tlscert', o.tls.certFile, '--tlskey', o.tls.keyFile, ...o.tls.listen.flatMap((a) => ['-H', `tcp://${a}`])] : [];
    return [
      '--iptables=false', `--bridge=${o.bridge}`, ...(o.liveRestore ? ['--live-restore'] : []), '-H', this.endpoint, ...tls,
      '--data-root', this.dataRoot, '--exec-root', this.execRoot, '--pidfile', this.pidfile,
    ];
  }

  /** Whether the engine answers a ping within a second. */
  async answers(): Promise<boolean> {
    const ping = this.#client.ping() as Promise<unknown>;
    const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('ping timed out')), 1000).unref());
    return Promise.race([ping, timeout]).then(() => true, () => false);
  }

  /**
   * Starts the engine and waits (up to `timeoutMs`, default 30 s) until it answers. An
   * engine of this name left running by an earlier, interrupted run is stopped first.
   * Throws Error when dockerd does not answer in time (its log is in `logFile`).
   */
  async start(timeoutMs = 30_000): Promise<void> {
    mkdirSync(this.execRoot, { recursive: true });
    const { bridge, bridgeAddress } = this.#opts;
    await run('sh', ['-c', `ip link show ${bridge} >/dev/null 2>&1 || ip link add name ${bridge} type bridge; ip addr replace ${bridgeAddress} dev ${bridge}; ip link set ${bridge} up`]);
    await this.stop();
    const log = openSync(this.logFile, 'a');
    try {
      const detached = this.#opts.detached ?? false;
      const child = spawn('dockerd', this.args(), { stdio: ['ignore', log, log], detached });
      child.once('error', () => undefined);
      if (detached) child.unref();
      const exited = new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`dockerd ${this.name} exited ${code}; see ${this.logFile}`))));
      exited.catch(() => undefined);
      await Promise.race([pollUntil(`dockerd ${this.name} to answer`, timeoutMs, () => this.answers()), exited]);
    } finally {
      closeSync(log);
    }
  }

  /** Stops the engine (SIGTERM; SIGKILL after `timeoutMs`, default 30 s); no-op when not running. */
  async stop(timeoutMs = 30_000): Promise<void> {
    const pid = this.pid;
    if (pid === null) return;
    // A frozen engine (SIGSTOP) ignores SIGTERM until it runs again.
    process.kill(pid, 'SIGCONT');
    process.kill(pid, 'SIGTERM');
    try {
      await pollUntil(`dockerd ${this.name} to exit`, timeoutMs, () => !alive(pid));
    } catch {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
      await pollUntil(`dockerd ${this.name} to exit after SIGKILL`, 5_000, () => !alive(pid));
    }
  }

  /** Removes every container and network Rondo made on this engine (it is ours alone). */
  async wipe(): Promise<void> {
    const missing = (e: { statusCode?: number }): void => {
      if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
    };
    for (const c of await this.#client.listContainers({ all: true, filters: { label: ['rondo.ns'] } })) await this.#client.getContainer(c.Id).remove({ force: true }).catch(missing);
    for (const n of await this.#client.listNetworks({ filters: { label: ['rondo.ns'] } })) await this.#client.getNetwork(n.Id).remove().catch(missing);
  }

  /**
   * Builds the VNF images (`vnf/busybox`, `vnf/sap`) and the tunnel helper image
   * (`rondo/tunnel`, the endpoint of inter-PoP links) in this engine from busybox-static
   * and the host's iproute2, as `scripts/build-vnf-images.sh` and
   * `scripts/build-tunnel-image.sh` do for the default engine: nothing is pulled.
   */
  async importVnfImages(script = VNF_IMAGES_SCRIPT, tunnelScript = TUNNEL_IMAGE_SCRIPT): Promise<void> {
    for (const s of [script, tunnelScript]) {
      if (!existsSync(s)) throw new Error(`${s} is missing: run this from a Rondo checkout`);
      await run('bash', [s], { ...process.env, DOCKER_HOST: this.endpoint });
    }
  }

  /** Stops the engine and removes its directories, data and bridge. */
  async remove(): Promise<void> {
    await this.stop();
    // Container mounts under the exec root can outlive dockerd for a moment.
    await run('sh', ['-c', `grep -o " ${this.runDir}/[^ ]*\\| ${this.dataRoot}/[^ ]*" /proc/mounts | sort -r | xargs -r -n1 umount -l 2>/dev/null || true`]);
    rmSync(this.runDir, { recursive: true, force: true });
    rmSync(this.dataRoot, { recursive: true, force: true });
    await run('sh', ['-c', `ip link del ${this.#opts.bridge} 2>/dev/null || true`]);
  }
}
