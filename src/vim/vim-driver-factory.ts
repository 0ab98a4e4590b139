import { VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import { createDockerVimDriver } from './docker/docker-vim-driver.js';
import { createMemoryVimDriver } from './memory/memory-vim-driver.js';
import { createOpenStackVimDriver } from './openstack/openstack-vim-driver.js';
import type { VimDriver } from './vim-driver.js';

const numberOr = (v: unknown, fallback: number | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** OpenStack password credentials as a VIM account keeps them (under `config.secret`). */
export interface OpenStackAccountCredentials {
  readonly username: string;
  readonly password: string;
  readonly projectName: string;
  readonly userDomainName?: string;
  readonly projectDomainName?: string;
  readonly region?: string;
}

/**
 * The secret part of an account's config. Kept in its own member so the security
 * layer can seal it without touching the rest; never returned by the API.
 */
export const accountSecret = (account: Pick<VimAccount, 'config'>): Record<string, unknown> => {
  const s = account.config.secret;
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
};

/**
 * The driver for a VIM account (PoP): `memory` (the deterministic fake), `docker`
 * (`endpoint` unix:// or tcp://, PoP-scoped by the account id unless `config.popId` says
 * otherwise), `openstack` (`endpoint` the Keystone v3 URL, credentials in
 * `config.secret`). Throws VimError NOT_SUPPORTED for unknown types and AUTH for an
 * OpenStack account without username, password or project.
 */
export function createVimDriver(account: VimAccount): VimDriver {
  const popId = typeof account.config.popId === 'string' ? account.config.popId : account.id;
  switch (account.type) {
    case 'memory':
      return createMemoryVimDriver({ name: account.name, popId, capacity: account.capacity ?? undefined });
    case 'docker':
      return createDockerVimDriver({
        name: account.name,
        endpoint: account.endpoint,
        popId,
        callTimeoutMs: numberOr(account.config.callTimeoutMs, undefined),
        execTimeoutMs: numberOr(account.config.execTimeoutMs, undefined),
      });
    case 'openstack': {
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
        popId,
        credentials: {
          authUrl: account.endpoint, username, password, projectName,
          ...(userDomain ? { userDomain } : {}), ...(projectDomain ? { projectDomain } : {}), ...(region ? { region } : {}),
        },
        timeoutMs: numberOr(account.config.callTimeoutMs, undefined),
      });
    }
    default:
      throw new VimError('NOT_SUPPORTED', account.name, `VIM type ${String(account.type)} is not supported; use docker, openstack or memory`);
  }
}
