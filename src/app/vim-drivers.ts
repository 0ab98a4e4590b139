import { VimError } from '../model/index.js';
import type { Capacity, VimAccount } from '../model/index.js';
import { accountSecret, driverFactoryOf } from '../vim/index.js';
import type { VimDriverFactory, VimDriverTypes } from '../vim/index.js';
import { createDockerVimDriver } from '../vim/docker/docker-vim-driver.js';
import { dockerTlsCredentialsOf } from '../vim/docker/docker-tls.js';
import { createMemoryVimDriver } from '../vim/memory/memory-vim-driver.js';
import type { MemoryVimDriver } from '../vim/memory/memory-vim-driver.js';
import { createOpenStackVimDriver } from '../vim/openstack/index.js';

const numberOr = (v: unknown, fallback: number | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** The PoP a driver labels its resources with: the account id unless `config.popId` says otherwise. */
const popIdOf = (account: VimAccount): string => (typeof account.config.popId === 'string' ? account.config.popId : account.id);

/**
 * Docker: `endpoint` unix:// or tcp://; `config.callTimeoutMs`, `config.execTimeoutMs`;
 * mutual TLS with PEM `tlsCaCert`, `tlsCert`, `tlsKey` in `config.secret`. Throws VimError
 * TLS for incomplete or unreadable certificates.
 */
export const dockerDriverFactory: VimDriverFactory = (account) => {
  const tls = dockerTlsCredentialsOf(account.name, accountSecret(account));
  return createDockerVimDriver({
    name: account.name,
    endpoint: account.endpoint,
    popId: popIdOf(account),
    callTimeoutMs: numberOr(account.config.callTimeoutMs, undefined),
    execTimeoutMs: numberOr(account.config.execTimeoutMs, undefined),
    ...(tls ? { tls } : {}),
  });
};

/**
 * OpenStack: `endpoint` the Keystone v3 URL, password credentials in `config.secret`
 * ({username, password, projectName, userDomainName?, projectDomainName?, region?}).
 * Throws VimError AUTH when username, password or project is missing.
 */
export const openStackDriverFactory: VimDriverFactory = (account) => {
  const s = accountSecret(account);
  const username = text(s.username);
  const password = text(s.password);
  const projectName = text(s.projectName);
  if (!username || !password || !projectName) {
    throw new VimError('AUTH', account.name, 'OpenStack account needs credentials {username, password, projectName}; add the VIM again with them');
  }
  const userDomain = text(s.userDomainName);
  const projectDomain = text(s.projectDomainName);
  const region = text(s.region);
  return createOpenStackVimDriver({
    name: account.name,
    popId: popIdOf(account),
    credentials: {
      authUrl: account.endpoint, username, password, projectName,
      ...(userDomain ? { userDomain } : {}), ...(projectDomain ? { projectDomain } : {}), ...(region ? { region } : {}),
    },
    timeoutMs: numberOr(account.config.callTimeoutMs, undefined),
  });
};

/**
 * The deterministic fake: memory PoPs with the same endpoint share one engine (as Docker
 * PoPs on one endpoint share the real one), so a network one PoP made is visible to the
 * other's computes. The engine reports the capacity in its first account's
 * `config.engineCapacity` (default 16 vCPU / 64 GiB). One engine cache per call: each composition gets its own engines.
 */
export function memoryDriverFactory(): VimDriverFactory {
  const engines = new Map<string, MemoryVimDriver>();
  return (account) => {
    let engine = engines.get(account.endpoint);
    if (!engine) {
      const capacity = engineCapacityOf(account);
      engines.set(account.endpoint, (engine = createMemoryVimDriver({ name: account.endpoint, ...(capacity ? { capacity } : {}) })));
    }
    // Each PoP its own view of the shared engine, as Docker PoPs on one endpoint: its labels, and only its PoPs' networks to join.
    return engine.forPop(popIdOf(account), account.endpoint);
  };
}

/** A memory engine's capacity (what its `capacity()` reports, placement weighs) from `config.engineCapacity` {cpu, memoryMiB}. */
function engineCapacityOf(account: VimAccount): Capacity | undefined {
  const c = account.config.engineCapacity as { cpu?: unknown; memoryMiB?: unknown } | undefined;
  const cpu = numberOr(c?.cpu, undefined);
  const memoryMiB = numberOr(c?.memoryMiB, undefined);
  return cpu !== undefined && memoryMiB !== undefined ? { cpu, memoryMiB } : undefined;
}

/** A memory driver of its own for one account (its name, PoP and capacity): connectivity checks of a new account. */
export const memoryAccountDriverFactory: VimDriverFactory = (account) =>
  createMemoryVimDriver({ name: account.name, popId: popIdOf(account), capacity: account.capacity ?? undefined });

/** The drivers Rondo ships, by VIM type: `docker`, `openstack`, `memory` (shared engines). */
export function defaultVimDrivers(): VimDriverTypes {
  return { docker: dockerDriverFactory, openstack: openStackDriverFactory, memory: memoryDriverFactory() };
}

/**
 * The driver of one account with the shipped drivers (memory: one of its own).
 * Throws VimError NOT_SUPPORTED for an unknown type and AUTH for an OpenStack account
 * without credentials.
 */
export const createVimDriver: VimDriverFactory = (account) => driverFactoryOf({ ...defaultVimDrivers(), memory: memoryAccountDriverFactory })(account);
