import Dockerode from 'dockerode';
import { VimError, systemClock } from '../../model/index.js';
import type { Capacity, Clock } from '../../model/index.js';
import { isHostAddress, parseCidr, parseIpv4 } from '../ipv4-cidr.js';
import { abortError, raceAbort, throwIfAborted, withTimeout } from '../vim-abort.js';
import { LABEL_NS, LABEL_POP, LABEL_STEP, LABEL_TUNNEL, assertSamePop } from '../vim-driver.js';
import type {
  ComputeInfo, ComputeSpec, ExecAllOptions, ExecAllResult, ExecResult, LabelledResource, Labels, NetworkInfo, NetworkSpec, TunnelEndpointInfo, TunnelEndpointSpec, TunnelPeering,
  VimCapabilities, VimDriver, VimEvent,
} from '../vim-driver.js';
import { TUNNEL_IMAGE, TUNNEL_READY, tunnelMac, tunnelPeersScript, tunnelSetupScript } from './docker-tunnel.js';
import { computeInfo, containerCreateOptions, labelledInterfaces } from './docker-compute-spec.js';
import type { ResolvedInterface } from './docker-compute-spec.js';
import { toVimError } from './docker-errors.js';
import { dockerTlsOptions } from './docker-tls.js';
import type { DockerTlsContext, DockerTlsCredentials, DockerTlsOptions } from './docker-tls.js';
import { dockerEvents } from './docker-events.js';
import { execAllScript, failedIndex, runExec } from './docker-exec.js';
import { LIST_ADDRESSES, NAMING_EXIT, NAMING_FAILED, nameInterfacesScript, parseAddresses, renameScript } from './docker-interfaces.js';
import type { DockerLike } from './docker-like.js';

/** Options of {@link createDockerVimDriver}. */
export interface DockerVimOptions {
  /** VIM account name, used in errors. */
  readonly name: string;
  /** `unix:///var/run/docker.sock` or `tcp://host:port`. Ignored when `client` is given. */
  readonly endpoint?: string;
  /** Labels everything `rondo.pop=<popId>` and scopes `listByLabel` and `watch` to it. */
  readonly popId?: string;
  /** Timeout of each Docker call, default 30 s. */
  readonly callTimeoutMs?: number;
  /** Timeout of one exec, default 120 s. */
  readonly execTimeoutMs?: number;
  readonly clock?: Clock;
  /** A ready client (tests); default: dockerode on `endpoint`. */
  readonly client?: DockerLike;
  /** Mutual TLS to a `tcp://` endpoint (`dockerd --tlsverify`). */
  readonly tls?: DockerTlsCredentials;
}

/** Bridge options of a tunnelled segment: no gateway address on its bridge (the first segment's has it), a smaller MTU. */
const networkOptions = (spec: NetworkSpec): Record<string, string> => ({
  ...(spec.noGateway ? { 'com.docker.network.bridge.inhibit_ipv4': 'true' } : {}),
  ...(spec.mtu ? { 'com.docker.network.driver.mtu': String(spec.mtu) } : {}),
});

const sameOwner = (a: Labels, b: Labels): boolean => a[LABEL_NS] === b[LABEL_NS] && a[LABEL_STEP] === b[LABEL_STEP];
const labelFilter = (labels: Labels): string[] => Object.entries(labels).map(([k, v]) => `${k}=${v}`);

/**
 * Parses an endpoint URL into dockerode connection options; with `tls`, a `tcp://` (or
 * `https://`) endpoint speaks HTTPS with those certificates (port 2376 by default, as
 * Docker's). Throws VimError NOT_SUPPORTED on other schemes, and for TLS over a unix socket.
 */
export function dockerConnection(vim: string, endpoint: string, tls?: DockerTlsOptions): Dockerode.DockerOptions {
  const url = new URL(endpoint);
  if (url.protocol === 'unix:') {
    if (tls) throw new VimError('NOT_SUPPORTED', vim, `endpoint ${endpoint}: TLS certificates need a tcp://host:port endpoint`);
    return { socketPath: url.pathname };
  }
  // URL keeps IPv6 hosts in brackets; https.request wants them bare.
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (tls && (url.protocol === 'tcp:' || url.protocol === 'https:')) {
    return { host, port: Number(url.port || 2376), protocol: 'https', ca: tls.ca, cert: tls.cert, key: tls.key };
  }
  if (url.protocol === 'tcp:' || url.protocol === 'http:') return { host, port: Number(url.port || 2375), protocol: 'http' };
  if (url.protocol === 'https:') return { host, port: Number(url.port || 2376), protocol: 'https' };
  throw new VimError('NOT_SUPPORTED', vim, `endpoint ${endpoint}: use unix:///path/docker.sock or tcp://host:port`);
}

/**
 * A VIM on one Docker engine (one or several label-separated PoPs). Networks are bridge
 * networks with a fixed IPAM subnet; computes are containers with CFS limits, NET_ADMIN,
 * ip_forward and tini as PID 1, attached to every network before they start and with
 * interfaces named in spec order (here, or by the caller's first `execAll` when the spec
 * says `nameInterfacesLater`). Every Docker error is wrapped into a VimError.
 */
export class DockerVimDriver implements VimDriver {
  readonly name: string;
  readonly capabilities: VimCapabilities = { exec: true, watch: true, fixedAddresses: true, cpuQuota: true };
  readonly #docker: DockerLike;
  readonly #popId: string | undefined;
  readonly #callTimeoutMs: number;
  readonly #execTimeoutMs: number;
  readonly #clock: Clock;
  readonly #life = new AbortController();
  readonly #tls: DockerTlsContext | undefined;

  /** `tls`: the endpoint's host and the account's certificates, named in certificate errors. */
  constructor(docker: DockerLike, opts: Omit<DockerVimOptions, 'endpoint' | 'client' | 'tls'> & { readonly tls?: DockerTlsContext }) {
    this.#docker = docker;
    this.#tls = opts.tls;
    this.name = opts.name;
    this.#popId = opts.popId;
    this.#callTimeoutMs = opts.callTimeoutMs ?? 30_000;
    this.#execTimeoutMs = opts.execTimeoutMs ?? 120_000;
    this.#clock = opts.clock ?? systemClock;
  }

  async init(signal?: AbortSignal): Promise<void> {
    throwIfAborted(this.name, signal, 'init');
  }

  /** Ends every open watch. */
  async destroy(): Promise<void> {
    this.#life.abort();
  }

  async checkConnectivity(signal?: AbortSignal): Promise<{ version: string }> {
    const v = await this.#call('version', signal, (s) => this.#docker.version({ abortSignal: s }));
    return { version: `${v.Version} (API ${v.ApiVersion})` };
  }

  async capacity(signal?: AbortSignal): Promise<Capacity | null> {
    const info = await this.#call('info', signal, (s) => this.#docker.info({ abortSignal: s }));
    return { cpu: info.NCPU, memoryMiB: Math.floor(info.MemTotal / 1024 / 1024) };
  }

  async createNetwork(spec: NetworkSpec, signal?: AbortSignal): Promise<NetworkInfo> {
    const labels = this.#labelled(spec.labels);
    const existing = await this.#inspectNetwork(spec.name, signal);
    if (existing) return this.#sameNetwork(existing, spec, labels);
    try {
      await this.#call(`create network ${spec.name}`, signal, (s) =>
        this.#docker.createNetwork({
          Name: spec.name, Driver: 'bridge', CheckDuplicate: true, Labels: { ...labels }, Internal: spec.internal ?? false,
          ...(spec.noGateway || spec.mtu ? { Options: networkOptions(spec) } : {}),
          IPAM: { Driver: 'default', Config: [{ Subnet: spec.subnet, ...(spec.gateway ? { Gateway: spec.gateway } : {}) }] },
          abortSignal: s,
        }),
      );
    } catch (e) {
      // Lost a race with a concurrent create of the same step: return theirs if it matches.
      // (Docker may say "Pool overlaps" when that create, holding the same subnet, landed first.)
      const raced = e instanceof VimError && (e.kind === 'CONFLICT' || e.kind === 'SUBNET_IN_USE') ? await this.#inspectNetwork(spec.name, signal) : null;
      if (raced) return this.#sameNetwork(raced, spec, labels);
      throw e;
    }
    const made = await this.#inspectNetwork(spec.name, signal);
    if (!made) throw new VimError('UNEXPECTED_RESPONSE', this.name, `network ${spec.name} vanished right after creation`);
    return { id: made.Id, name: made.Name, subnet: spec.subnet, labels: made.Labels ?? {} };
  }

  async subnetsInUse(signal?: AbortSignal): Promise<string[]> {
    const nets = await this.#call('list networks', signal, (s) => this.#docker.listNetworks({ abortSignal: s }));
    return nets.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? '')).filter((s) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(s));
  }

  async deleteNetwork(idOrName: string, signal?: AbortSignal): Promise<void> {
    await this.#ignoreMissing(this.#call(`delete network ${idOrName}`, signal, (s) => this.#docker.getNetwork(idOrName).remove({ abortSignal: s })));
  }

  async createCompute(spec: ComputeSpec, signal?: AbortSignal): Promise<ComputeInfo> {
    const labels = this.#labelled(spec.labels);
    const existing = await this.#inspectContainer(spec.name, signal);
    if (existing) {
      if (!sameOwner(existing.Config.Labels ?? {}, labels)) throw new VimError('CONFLICT', this.name, `compute ${spec.name} exists with another owner`);
      // A re-run (a step resumed after a crash): reuse the container only when it is
      // complete — running, on every network of the spec with its address — and make sure
      // its interface names are right (the crash may have come between start and renaming).
      const nets = existing.NetworkSettings.Networks ?? {};
      const complete =
        existing.State.Running &&
        spec.interfaces.every((itf) => {
          const ep = nets[itf.network];
          return ep !== undefined && (ep.IPAMConfig?.IPv4Address || ep.IPAddress) === itf.address;
        });
      if (complete) {
        const resolved = spec.interfaces.map((itf, i) => ({ network: itf.network, address: itf.address, ifName: itf.ifName ?? `eth${i}` }));
        const detail = await this.#nameInterfaces(existing.Id, resolved, signal);
        return computeInfo(existing, detail ?? undefined);
      }
      // A previous attempt died half-way (or the compute stopped): start over cleanly.
      await this.#removeContainer(existing.Id, signal);
    }
    const interfaces = await this.#resolveInterfaces(spec, signal);
    const created = await this.#call(`create compute ${spec.name}`, signal, (s) =>
      this.#docker.createContainer({ ...containerCreateOptions(spec, labels, interfaces), abortSignal: s }),
    );
    try {
      const container = this.#docker.getContainer(created.id);
      // Connected before start, so the VNF's first process already sees every interface.
      for (const itf of interfaces.slice(1)) {
        await this.#call(`connect ${spec.name} to ${itf.network}`, signal, (s) =>
          this.#docker.getNetwork(itf.network).connect({
            Container: created.id, EndpointConfig: { IPAMConfig: { IPv4Address: itf.address }, ...(itf.macAddress ? { MacAddress: itf.macAddress } : {}) }, abortSignal: s,
          }),
        );
      }
      await this.#call(`start compute ${spec.name}`, signal, (s) => container.start({ abortSignal: s }));
      // Named here (one to three execs), or by the caller's first exec (see ComputeSpec).
      const detail = spec.nameInterfacesLater ? null : await this.#nameInterfaces(created.id, interfaces, signal);
      const inspected = await this.#call(`inspect compute ${spec.name}`, signal, (s) => container.inspect({ abortSignal: s }));
      const info = computeInfo(inspected, detail ?? undefined);
      // Unverified names are left out; the MACs Docker reports stay.
      return detail ? { ...info, interfaces: (info.interfaces ?? []).map(({ network, address, macAddress }) => ({ network, address, ...(macAddress ? { macAddress } : {}) })) } : info;
    } catch (e) {
      // Leave nothing half-made behind: the step re-runs from scratch.
      await this.#removeContainer(created.id, undefined).catch(() => undefined);
      throw e;
    }
  }

  async deleteCompute(idOrName: string, opts: { graceSeconds?: number } = {}, signal?: AbortSignal): Promise<void> {
    const grace = opts.graceSeconds ?? 0;
    if (grace > 0) {
      await this.#ignoreMissing(
        this.#call(`stop compute ${idOrName}`, signal, (s) => this.#docker.getContainer(idOrName).stop({ t: grace, abortSignal: s }), (grace + 10) * 1000),
      ).catch((e: unknown) => {
        // 304: already stopped, which is what we wanted.
        if ((e as { cause?: { statusCode?: number } }).cause?.statusCode !== 304) throw e;
      });
    }
    await this.#removeContainer(idOrName, signal);
  }

  /**
   * `docker stop` with `graceSeconds` (SIGTERM, then SIGKILL; tini as PID 1 makes the kill
   * immediate). The container, its endpoints and addresses stay. Stopped already: a no-op.
   */
  async stopCompute(idOrName: string, opts: { graceSeconds?: number } = {}, signal?: AbortSignal): Promise<ComputeInfo> {
    const grace = Math.max(0, Math.floor(opts.graceSeconds ?? 0));
    const container = this.#docker.getContainer(idOrName);
    await this.#call(`stop compute ${idOrName}`, signal, (s) => container.stop({ t: grace, abortSignal: s }), (grace + 10) * 1000).catch((e: unknown) => {
      // 304: already stopped, which is what we wanted.
      if ((e as { cause?: { statusCode?: number } }).cause?.statusCode !== 304) throw e;
    });
    return computeInfo(await this.#call(`inspect compute ${idOrName}`, signal, (s) => container.inspect({ abortSignal: s })));
  }

  /**
   * `docker start` of a stopped container: Docker re-attaches its endpoints with their
   * fixed addresses (in map order, so the interface names are made right again, as at
   * creation); routes added inside it are gone with the old network namespace. Running
   * already: only the names are checked.
   */
  async startCompute(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    const container = this.#docker.getContainer(idOrName);
    const before = await this.#call(`inspect compute ${idOrName}`, signal, (s) => container.inspect({ abortSignal: s }));
    if (!before.State.Running) {
      await this.#call(`start compute ${idOrName}`, signal, (s) => container.start({ abortSignal: s })).catch((e: unknown) => {
        // 304: started meanwhile.
        if ((e as { cause?: { statusCode?: number } }).cause?.statusCode !== 304) throw e;
      });
    }
    const detail = await this.#nameInterfaces(before.Id, labelledInterfaces(before.Config.Labels ?? {}), signal);
    const info = computeInfo(await this.#call(`inspect compute ${idOrName}`, signal, (s) => container.inspect({ abortSignal: s })), detail ?? undefined);
    return detail ? { ...info, interfaces: (info.interfaces ?? []).map(({ network, address, macAddress }) => ({ network, address, ...(macAddress ? { macAddress } : {}) })) } : info;
  }

  /**
   * The tunnel helper of an inter-PoP link (see docker-tunnel.ts): created on the underlay
   * network, joined to the segment with `spec.address` (then dropped inside), started and
   * configured. A running helper of the same owner that is configured is kept; anything
   * else by that name of the same owner is made again. The image must be present
   * (scripts/build-tunnel-image.sh): NOT_FOUND otherwise.
   */
  async createTunnelEndpoint(spec: TunnelEndpointSpec, signal?: AbortSignal): Promise<TunnelEndpointInfo> {
    const labels = this.#labelled({ ...spec.labels, [LABEL_TUNNEL]: String(spec.vni) });
    const underlay = spec.underlay ?? 'bridge';
    const existing = await this.#inspectContainer(spec.name, signal);
    if (existing) {
      if (!sameOwner(existing.Config.Labels ?? {}, labels)) throw new VimError('CONFLICT', this.name, `tunnel endpoint ${spec.name} exists with another owner`);
      const address = existing.NetworkSettings.Networks?.[underlay]?.IPAddress;
      if (existing.State.Running && address && (await this.exec(existing.Id, ['test', '-e', TUNNEL_READY], signal)).exitCode === 0) {
        return { id: existing.Id, name: spec.name, underlayAddress: address };
      }
      await this.#removeContainer(existing.Id, signal);
    }
    const created = await this.#call(`create tunnel endpoint ${spec.name}`, signal, (s) =>
      this.#docker.createContainer({
        name: spec.name, Image: TUNNEL_IMAGE, Labels: { ...labels },
        HostConfig: { NetworkMode: underlay, CapAdd: ['NET_ADMIN'], Init: true, Memory: 32 * 1024 * 1024 },
        abortSignal: s,
      }),
    );
    try {
      await this.#call(`connect ${spec.name} to ${spec.network}`, signal, (s) =>
        this.#docker.getNetwork(spec.network).connect({ Container: created.id, EndpointConfig: { IPAMConfig: { IPv4Address: spec.address } }, abortSignal: s }),
      );
      const container = this.#docker.getContainer(created.id);
      await this.#call(`start tunnel endpoint ${spec.name}`, signal, (s) => container.start({ abortSignal: s }));
      const inspected = await this.#call(`inspect tunnel endpoint ${spec.name}`, signal, (s) => container.inspect({ abortSignal: s }));
      const address = inspected.NetworkSettings.Networks?.[underlay]?.IPAddress;
      if (!address) throw new VimError('UNEXPECTED_RESPONSE', this.name, `tunnel endpoint ${spec.name} got no address on underlay network ${underlay}`);
      const script = tunnelSetupScript({ segmentAddress: spec.address, underlayAddress: address, vni: spec.vni, mac: tunnelMac(spec.name) });
      const r = await this.exec(created.id, ['sh', '-c', script], signal);
      if (r.exitCode !== 0) throw new VimError('UNEXPECTED_RESPONSE', this.name, `could not set up tunnel endpoint ${spec.name}: ${r.stderr.trim().slice(0, 500)}`);
      return { id: created.id, name: spec.name, underlayAddress: address };
    } catch (e) {
      await this.#removeContainer(created.id, undefined).catch(() => undefined);
      throw e;
    }
  }

  /** Replaces the endpoint's VXLAN peers (all-zero FDB entries) and its tbf rate. */
  async connectTunnel(idOrName: string, peering: TunnelPeering, signal?: AbortSignal): Promise<void> {
    const r = await this.exec(idOrName, ['sh', '-c', tunnelPeersScript(peering.peers, peering.bandwidthMbps)], signal);
    if (r.exitCode !== 0) throw new VimError('UNEXPECTED_RESPONSE', this.name, `could not connect tunnel endpoint ${idOrName}: ${r.stderr.trim().slice(0, 500)}`);
  }

  async exec(idOrName: string, cmd: readonly string[], signal?: AbortSignal): Promise<ExecResult> {
    return this.#call(`exec in ${idOrName}`, signal, (s) => runExec(this.#docker, this.#docker.getContainer(idOrName), cmd, s), this.#execTimeoutMs);
  }

  /**
   * The commands in one `sh -c` (one exec round trip instead of one per command; the VNF
   * images have a shell), after the interface names when asked (`nameInterfacesScript`).
   */
  async execAll(idOrName: string, commands: readonly (readonly string[])[], signal?: AbortSignal, opts: ExecAllOptions = {}): Promise<ExecAllResult> {
    let naming = '';
    try {
      naming = opts.interfaces && opts.interfaces.length > 0 ? `${nameInterfacesScript(opts.interfaces)}\n` : '';
    } catch (e) {
      throw new VimError('CONFLICT', this.name, `interfaces of ${idOrName}: ${(e as Error).message}`);
    }
    const r = await this.exec(idOrName, ['sh', '-c', `${naming}${execAllScript(commands)}`], signal);
    if (r.exitCode === 0) return r;
    if (naming && r.exitCode === NAMING_EXIT && r.stderr.includes(NAMING_FAILED)) {
      throw new VimError('UNEXPECTED_RESPONSE', this.name, `could not name the interfaces of ${idOrName}: ${r.stderr.slice(r.stderr.indexOf(NAMING_FAILED) + NAMING_FAILED.length).trim().slice(0, 500)}`);
    }
    const { index, stderr } = failedIndex(r.stderr);
    const failed = index === undefined ? undefined : commands[index];
    return { ...r, stderr, ...(failed ? { failedCommand: failed } : {}) };
  }

  async listByLabel(labels: Labels, signal?: AbortSignal): Promise<LabelledResource[]> {
    const filters = { label: labelFilter(this.#labelled(labels)) };
    const [networks, containers] = await Promise.all([
      this.#call('list networks', signal, (s) => this.#docker.listNetworks({ filters, abortSignal: s })),
      this.#call('list computes', signal, (s) => this.#docker.listContainers({ all: true, filters, abortSignal: s })),
    ]);
    return [
      ...networks.map((n): LabelledResource => ({ kind: 'network', id: n.Id, name: n.Name, labels: n.Labels ?? {} })),
      ...containers.map((c): LabelledResource => ({ kind: 'compute', id: c.Id, name: (c.Names[0] ?? c.Id).replace(/^\//, ''), labels: c.Labels })),
    ];
  }

  async status(idOrName: string, signal?: AbortSignal): Promise<ComputeInfo> {
    const c = await this.#inspectContainer(idOrName, signal);
    return c ? computeInfo(c) : { id: idOrName, name: idOrName, state: 'DELETED', labels: {}, addresses: {} };
  }

  watch(signal: AbortSignal): AsyncIterable<VimEvent> {
    throwIfAborted(this.name, signal, 'watch');
    return dockerEvents(this.#docker, this.#popId, AbortSignal.any([signal, this.#life.signal]), () => this.#clock.now());
  }

  async hasImage(image: string, signal?: AbortSignal): Promise<boolean> {
    try {
      await this.#call(`inspect image ${image}`, signal, () => this.#docker.getImage(image).inspect());
      return true;
    } catch (e) {
      if (e instanceof VimError && e.kind === 'NOT_FOUND') return false;
      throw e;
    }
  }

  /**
   * One Docker call with the caller's signal, a timeout, and error wrapping. An engine that
   * is shutting down answers the requests it holds with 500s of every wording ("transport is
   * closing", "failed to update store for object type *libnetwork.endpoint", ...): after an
   * unexplained 5xx the engine is asked its version, and if it no longer answers the error
   * is CONNECTION (retryable), like a refused socket.
   */
  async #call<T>(what: string, signal: AbortSignal | undefined, work: (s: AbortSignal) => Promise<T>, timeoutMs = this.#callTimeoutMs): Promise<T> {
    throwIfAborted(this.name, signal, what);
    const s = withTimeout(signal, timeoutMs);
    try {
      return await raceAbort(this.name, s, what, work(s));
    } catch (e) {
      if (s.aborted) throw abortError(this.name, s, what);
      const err = toVimError(this.name, what, e, this.#tls && { ...this.#tls, now: this.#clock.now() });
      const status = (e as { statusCode?: number }).statusCode ?? 0;
      if (err.kind === 'UNEXPECTED_RESPONSE' && status >= 500 && !(await this.#staysUp())) {
        throw new VimError('CONNECTION', this.name, `${err.message}; the Docker engine stopped answering right after`, { cause: e, retryable: true });
      }
      throw err;
    }
  }

  /**
   * Whether the engine keeps answering `GET /version` (2 s each) for the next 5 s. An
   * engine that is stopping fails requests in flight with all kinds of 500s ("error
   * creating overlay mount … invalid argument" as its layer store closes, among others)
   * and may still answer for a moment before its API goes: an unexplained 500 followed by
   * silence within that window is the engine going away (CONNECTION), not a bad answer.
   * Only unexplained 500s pay this wait.
   */
  async #staysUp(windowMs = 5000, everyMs = 250): Promise<boolean> {
    const end = Date.now() + windowMs;
    for (;;) {
      const s = AbortSignal.timeout(2000);
      const up = await raceAbort(this.name, s, 'version', this.#docker.version({ abortSignal: s }) as Promise<unknown>).then(() => true, () => false);
      if (!up) return false;
      if (Date.now() >= end) return true;
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  async #ignoreMissing(work: Promise<unknown>): Promise<void> {
    try {
      await work;
    } catch (e) {
      if (!(e instanceof VimError && e.kind === 'NOT_FOUND')) throw e;
    }
  }

  async #removeContainer(idOrName: string, signal: AbortSignal | undefined): Promise<void> {
    // force = SIGKILL; tini (Init) makes that immediate even for a PID 1 ignoring SIGTERM.
    await this.#ignoreMissing(this.#call(`delete compute ${idOrName}`, signal, (s) => this.#docker.getContainer(idOrName).remove({ force: true, v: true, abortSignal: s })));
  }

  async #inspectNetwork(idOrName: string, signal: AbortSignal | undefined): Promise<Dockerode.NetworkInspectInfo | null> {
    try {
      return await this.#call(`inspect network ${idOrName}`, signal, (s) => this.#docker.getNetwork(idOrName).inspect({ abortSignal: s }));
    } catch (e) {
      if (e instanceof VimError && e.kind === 'NOT_FOUND') return null;
      throw e;
    }
  }

  async #inspectContainer(idOrName: string, signal: AbortSignal | undefined): Promise<Dockerode.ContainerInspectInfo | null> {
    try {
      return await this.#call(`inspect compute ${idOrName}`, signal, (s) => this.#docker.getContainer(idOrName).inspect({ abortSignal: s }));
    } catch (e) {
      if (e instanceof VimError && e.kind === 'NOT_FOUND') return null;
      throw e;
    }
  }

  #sameNetwork(n: Dockerode.NetworkInspectInfo, spec: NetworkSpec, labels: Labels): NetworkInfo {
    const subnet = n.IPAM?.Config?.[0]?.Subnet ?? '';
    if (!sameOwner(n.Labels ?? {}, labels) || subnet !== spec.subnet) {
      throw new VimError('CONFLICT', this.name, `network ${spec.name} exists with another owner or subnet`);
    }
    return { id: n.Id, name: n.Name, subnet, labels: n.Labels ?? {} };
  }

  /**
   * Checks every fixed address against its network before anything is created, so a
   * wrong address is a CONFLICT that leaves nothing behind (Docker would only notice at
   * start, with a 403 or a 500).
   */
  async #resolveInterfaces(spec: ComputeSpec, signal: AbortSignal | undefined): Promise<ResolvedInterface[]> {
    const nets = await Promise.all(spec.interfaces.map((i) => this.#inspectNetwork(i.network, signal)));
    return spec.interfaces.map((itf, i) => {
      const net = nets[i];
      if (!net) throw new VimError('NOT_FOUND', this.name, `network ${itf.network} not found; create it first`);
      assertSamePop(this.name, this.#popId, net.Name, net.Labels ?? {});
      const cfg = net.IPAM?.Config?.[0];
      const cidr = parseCidr(cfg?.Subnet ?? '');
      const addr = parseIpv4(itf.address);
      if (!cidr || addr === null || !isHostAddress(cidr, addr) || itf.address === cfg?.Gateway) {
        throw new VimError('CONFLICT', this.name, `address ${itf.address} is not a free host address of ${net.Name} (${cfg?.Subnet ?? 'no subnet'})`);
      }
      const taken = Object.values(net.Containers ?? {}).some((c) => c.IPv4Address.split('/')[0] === itf.address);
      if (taken) throw new VimError('CONFLICT', this.name, `address ${itf.address} is already used on ${net.Name}`);
      return { network: net.Name, address: itf.address, ifName: itf.ifName ?? `eth${i}`, ...(itf.macAddress ? { macAddress: itf.macAddress.toLowerCase() } : {}) };
    });
  }

  /**
   * Makes interface names follow spec order (see `renameScript`). Returns null when the
   * names are verified, or a detail saying why they could not be (an image without `ip`).
   */
  async #nameInterfaces(id: string, interfaces: readonly ResolvedInterface[], signal: AbortSignal | undefined): Promise<string | null> {
    if (interfaces.length === 0 || (interfaces.length === 1 && interfaces[0]?.ifName === 'eth0')) return null;
    const listed = await this.exec(id, LIST_ADDRESSES, signal).catch((e: unknown) => ({ exitCode: -1, stdout: '', stderr: String(e) }));
    if (listed.exitCode !== 0) return `interface names unverified: ${listed.stderr.trim() || 'ip failed'}`;
    let script: string | null;
    try {
      script = renameScript(parseAddresses(listed.stdout), interfaces);
    } catch (e) {
      throw new VimError('UNEXPECTED_RESPONSE', this.name, `interfaces of ${id}: ${(e as Error).message}`);
    }
    if (script === null) return null;
    const renamed = await this.exec(id, ['sh', '-c', script], signal);
    const after = parseAddresses((await this.exec(id, LIST_ADDRESSES, signal)).stdout);
    if (renamed.exitCode !== 0 || interfaces.some((i) => after.get(i.address) !== i.ifName)) {
      throw new VimError('UNEXPECTED_RESPONSE', this.name, `could not name the interfaces of ${id}: ${renamed.stderr.trim()}`);
    }
    return null;
  }

  #labelled(labels: Labels): Labels {
    return this.#popId === undefined ? labels : { ...labels, [LABEL_POP]: this.#popId };
  }
}

/**
 * Creates a {@link DockerVimDriver} on `endpoint` (or a given `client`), over mutual TLS
 * when `tls` is given. Throws VimError NOT_SUPPORTED for an endpoint scheme other than
 * unix, tcp, http, https (or TLS on unix), and VimError TLS (INVALID_PEM) for
 * certificates or a key that cannot be used.
 */
export function createDockerVimDriver(opts: DockerVimOptions): DockerVimDriver {
  const endpoint = opts.endpoint ?? 'unix:///var/run/docker.sock';
  const tls = opts.tls ? dockerTlsOptions(opts.name, opts.tls) : undefined;
  const client = opts.client ?? new Dockerode(dockerConnection(opts.name, endpoint, tls));
  const { tls: _creds, ...rest } = opts;
  return new DockerVimDriver(client, { ...rest, ...(tls ? { tls: { host: new URL(endpoint).hostname, clientCert: tls.clientCert, caCert: tls.caCert } } : {}) });
}
