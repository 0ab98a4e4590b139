import type Dockerode from 'dockerode';
import type { Writable } from 'node:stream';

/** Every call takes the signal dockerode passes on to its HTTP request. */
export interface DockerCallOptions {
  abortSignal?: AbortSignal;
}

/** The container calls the driver uses. */
export interface DockerContainerLike {
  inspect(opts?: DockerCallOptions): Promise<Dockerode.ContainerInspectInfo>;
  start(opts?: DockerCallOptions): Promise<unknown>;
  stop(opts?: { t?: number } & DockerCallOptions): Promise<unknown>;
  kill(opts?: { signal?: string } & DockerCallOptions): Promise<unknown>;
  remove(opts?: { force?: boolean; v?: boolean } & DockerCallOptions): Promise<unknown>;
  exec(opts: Dockerode.ExecCreateOptions & DockerCallOptions): Promise<DockerExecLike>;
}

/** An exec instance: start it hijacked, then read its exit code. */
export interface DockerExecLike {
  start(opts: { hijack: boolean; stdin: boolean } & DockerCallOptions): Promise<NodeJS.ReadableStream>;
  inspect(opts?: DockerCallOptions): Promise<{ ExitCode: number | null; Running: boolean }>;
}

/** The network calls the driver uses. */
export interface DockerNetworkLike {
  inspect(opts?: DockerCallOptions): Promise<Dockerode.NetworkInspectInfo>;
  remove(opts?: DockerCallOptions): Promise<unknown>;
  connect(opts: { Container: string; EndpointConfig?: Dockerode.EndpointSettings } & DockerCallOptions): Promise<unknown>;
}

/**
 * The narrow slice of dockerode the Docker driver depends on (a structural type, so a
 * `new Dockerode(...)` fits and nothing else of the SDK leaks into the driver).
 */
export interface DockerLike {
  version(opts?: DockerCallOptions): Promise<{ Version: string; ApiVersion: string }>;
  info(opts?: DockerCallOptions): Promise<{ NCPU: number; MemTotal: number }>;
  createNetwork(opts: Dockerode.NetworkCreateOptions & DockerCallOptions): Promise<{ id: string }>;
  getNetwork(id: string): DockerNetworkLike;
  listNetworks(opts?: { filters?: Record<string, string[]> } & DockerCallOptions): Promise<Dockerode.NetworkInspectInfo[]>;
  createContainer(opts: Dockerode.ContainerCreateOptions & DockerCallOptions): Promise<{ id: string }>;
  getContainer(id: string): DockerContainerLike;
  listContainers(opts?: { all?: boolean; filters?: Record<string, string[]> } & DockerCallOptions): Promise<Dockerode.ContainerInfo[]>;
  getImage(name: string): { inspect(): Promise<unknown> };
  getEvents(opts: { since?: number; filters?: Record<string, string[]> } & DockerCallOptions): Promise<NodeJS.ReadableStream>;
  readonly modem: { demuxStream(stream: NodeJS.ReadableStream, stdout: Writable, stderr: Writable): void };
}
