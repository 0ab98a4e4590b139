import { BadRequestError, ConflictError, imageMapOf, NotFoundError, VimError } from '../model/index.js';
import type { Capacity, Clock, VimAccount, VimTlsProblem, VimTlsSide, VimType } from '../model/index.js';
import { accountSecret } from './vim-driver-factory.js';
import type { VimDriverFactory } from './vim-driver-factory.js';
import type { VimDriver } from './vim-driver.js';
import type { VimRegistry } from './vim-registry.js';

/** The `vim_accounts` repository as this service uses it. */
export interface VimAccountRepositoryPort {
  insert(a: VimAccount): Promise<VimAccount>;
  get(id: string): Promise<VimAccount | undefined>;
  list(filter?: { readonly tenant?: string }): Promise<VimAccount[]>;
  delete(id: string): Promise<boolean>;
  updateConfig(id: string, config: Record<string, unknown>): Promise<VimAccount | undefined>;
}

/** What `update` changes: image map entries (null removes one). */
export interface VimAccountUpdate {
  readonly imageMap?: Readonly<Record<string, string | null>>;
}

const IMAGE_REF = /^[^\s]{1,255}$/;

/** A request to add a PoP. */
export interface VimAccountInput {
  readonly name: string;
  readonly type: VimType;
  readonly endpoint: string;
  readonly capacity?: Capacity;
  readonly config?: Record<string, unknown>;
  /**
   * OpenStack: {username, password, projectName, userDomainName, projectDomainName, region}.
   * Docker over mutual TLS (a tcp:// endpoint): PEM {tlsCaCert, tlsCert, tlsKey}.
   */
  readonly credentials?: Record<string, unknown>;
  readonly tenant?: string;
}

/** What a connectivity check found. */
export interface VimCheck {
  readonly version: string;
  readonly capacity: Capacity | null;
}

/** What the service needs. */
export interface VimAccountServiceDeps {
  readonly repo: VimAccountRepositoryPort;
  readonly registry: VimRegistry;
  /** Demand recorded per PoP (VNF instance rows); a PoP present here is in use. */
  readonly usageByPop: () => Promise<Record<string, Capacity>>;
  readonly clock: Clock;
  /** Builds a driver for a check before the account exists (the registry's factory). */
  readonly factory: VimDriverFactory;
  /** Connectivity check timeout, ms (default 10 000). */
  readonly checkTimeoutMs?: number;
}

/**
 * A failed connectivity check as a VimError of the account, saying what to do next. Its
 * status is the VIM kind's, as for every VIM error (ERROR_CODES): 503 unreachable, 504
 * timeout, 502 refused credentials or a bad answer, 422 unsupported type.
 */
function unreachable(e: unknown, name: string): VimError {
  if (!(e instanceof VimError)) return new VimError('UNEXPECTED_RESPONSE', name, `connectivity check failed: ${(e as Error).message}`, { cause: e });
  const said = typeof e.details.vimDetail === 'string' ? e.details.vimDetail : e.message;
  const { tlsProblem, tlsSide } = e.details as { tlsProblem?: VimTlsProblem; tlsSide?: VimTlsSide };
  const fix = e.kind === 'TLS' ? 'fix the certificates' : 'fix the endpoint or credentials';
  return new VimError(e.kind, name, `${said}; ${fix}, or add it with ?check=false to skip the check`, {
    cause: e, retryable: e.retryable, ...(tlsProblem ? { tlsProblem } : {}), ...(tlsSide ? { tlsSide } : {}),
  });
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** The account without its secret member (what the API and logs may show). */
export function publicAccount(a: VimAccount): VimAccount {
  const { secret: _secret, ...config } = a.config;
  return { ...a, config };
}

/**
 * VIM accounts (PoPs): add with a connectivity check, list, check, remove (409 while an
 * NS instance holds resources there), the local Docker engine registered as `dc1` (and
 * `dc2` in label mode) on a fresh install, and local engines as `dc2..dcN`. The account
 * id is its name, so PoP ids read well in placements. Every change refreshes the {@link VimRegistry}.
 */
export function createVimAccountService(deps: VimAccountServiceDeps) {
  const factory = deps.factory;
  const check = async (account: VimAccount, driver: VimDriver): Promise<VimCheck> => {
    const signal = AbortSignal.timeout(deps.checkTimeoutMs ?? 10_000);
    try {
      const { version } = await driver.checkConnectivity(signal);
      const capacity = await driver.capacity(signal).catch(() => null);
      return { version, capacity };
    } catch (e) {
      throw unreachable(e, account.name);
    }
  };
  const get = async (id: string): Promise<VimAccount> => {
    const a = await deps.repo.get(id);
    if (!a) throw new NotFoundError('VIM account', id);
    return a;
  };

  return {
    /**
     * Adds a PoP. Throws BadRequestError `VIM_ACCOUNT_INVALID` (bad name, OpenStack
     * without credentials), ConflictError `VIM_ACCOUNT_EXISTS`, and a VimError when
     * `check` (default true) fails (VIM_CONNECTION 503, VIM_AUTH 502, …).
     */
    async add(input: VimAccountInput, opts: { readonly check?: boolean } = {}): Promise<{ account: VimAccount; check: VimCheck | null }> {
      if (!NAME.test(input.name)) throw new BadRequestError(`VIM name "${input.name}" must be 1-63 letters, digits, ".", "_" or "-"`, { code: 'VIM_ACCOUNT_INVALID' });
      if (input.type === 'openstack' && !input.credentials) {
        throw new BadRequestError('an openstack VIM needs credentials {username, password, projectName, userDomainName, projectDomainName, region}', { code: 'VIM_ACCOUNT_INVALID' });
      }
      if (input.type === 'docker' && input.credentials) {
        const pem = ['tlsCaCert', 'tlsCert', 'tlsKey'].filter((k) => typeof input.credentials?.[k] === 'string' && /-----BEGIN /.test(input.credentials[k] as string));
        if (pem.length !== 3) throw new BadRequestError('a docker VIM\'s credentials are mutual TLS: PEM text in tlsCaCert, tlsCert and tlsKey', { code: 'VIM_ACCOUNT_INVALID' });
        if (!/^(tcp|https):\/\//.test(input.endpoint)) {
          throw new BadRequestError(`endpoint ${input.endpoint}: a docker VIM with TLS certificates needs tcp://host:port (dockerd -H tcp://0.0.0.0:2376 --tlsverify)`, { code: 'VIM_ACCOUNT_INVALID' });
        }
      }
      const config: Record<string, unknown> = { ...(input.config ?? {}) };
      delete config.secret;
      if (input.credentials) config.secret = { ...input.credentials };
      const account: VimAccount = {
        id: input.name, name: input.name, type: input.type, endpoint: input.endpoint, capacity: input.capacity ?? null, config,
        tenant: input.tenant ?? 'default', createdAt: deps.clock.now().toISOString(),
      };
      let checked: VimCheck | null = null;
      if (opts.check !== false) {
        let driver: VimDriver;
        try {
          driver = factory(account);
        } catch (e) {
          throw unreachable(e, account.name);
        }
        try {
          checked = await check(account, driver);
        } finally {
          await driver.destroy().catch(() => undefined);
        }
      }
      const stored = await deps.repo.insert(account);
      await deps.registry.refresh();
      return { account: stored, check: checked };
    },
    list: (filter?: { readonly tenant?: string }) => deps.repo.list(filter),
    get,
    /** Checks a registered PoP; same errors as `add`. */
    async check(id: string): Promise<VimCheck> {
      const account = await get(id);
      await deps.registry.refresh();
      let driver: VimDriver;
      try {
        driver = deps.registry.get(id);
      } catch (e) {
        throw unreachable(e, account.name);
      }
      return check(account, driver);
    },
    /**
     * Changes a PoP's image map (merge: an entry set to null is removed). Throws
     * BadRequestError `VIM_ACCOUNT_INVALID` for an empty or blank name or image.
     */
    async update(id: string, change: VimAccountUpdate): Promise<VimAccount> {
      const account = await get(id);
      const map: Record<string, string> = { ...imageMapOf(account) };
      for (const [from, to] of Object.entries(change.imageMap ?? {})) {
        if (!IMAGE_REF.test(from)) throw new BadRequestError(`image map: "${from}" is not an image name`, { code: 'VIM_ACCOUNT_INVALID', details: { image: from } });
        if (to === null) delete map[from];
        else if (!IMAGE_REF.test(to)) throw new BadRequestError(`image map: "${to}" (for ${from}) is not an image reference`, { code: 'VIM_ACCOUNT_INVALID', details: { image: from } });
        else map[from] = to;
      }
      const { imageMap: _old, ...rest } = account.config;
      const config = Object.keys(map).length === 0 ? rest : { ...rest, imageMap: map };
      const updated = await deps.repo.updateConfig(id, config);
      if (!updated) throw new NotFoundError('VIM account', id);
      await deps.registry.refresh();
      return updated;
    },
    /** Demand placed on each PoP now. */
    usage: () => deps.usageByPop(),
    /** Removes a PoP; ConflictError `VIM_ACCOUNT_IN_USE` while an NS instance uses it. */
    async remove(id: string): Promise<void> {
      await get(id);
      const usage = await deps.usageByPop();
      if (usage[id]) throw new ConflictError(`PoP ${id} hosts VNF instances; terminate the NS instances using it first`, { code: 'VIM_ACCOUNT_IN_USE', details: { vimId: id } });
      if (!(await deps.repo.delete(id))) throw new NotFoundError('VIM account', id);
      await deps.registry.refresh();
    },
    /**
     * On a fresh install (no VIM account), registers the Docker engine at `endpoint` as
     * PoPs `names` (default `dc1`, `dc2`: label mode, one engine; `engines` mode passes
     * `['dc1']`). Returns what it did; never throws for an unreachable engine (the caller
     * logs `skipped`).
     */
    async ensureLocalPops(endpoint: string, names: readonly string[] = ['dc1', 'dc2']): Promise<{ registered: string[]; skipped?: string }> {
      if ((await deps.repo.list()).length > 0) {
        await deps.registry.refresh();
        return { registered: [] };
      }
      const registered: string[] = [];
      try {
        for (const name of names) {
          await this.add({ name, type: 'docker', endpoint, config: { autoRegistered: true } });
          registered.push(name);
        }
      } catch (e) {
        return { registered, skipped: (e as Error).message };
      }
      return { registered };
    },
    /**
     * Makes sure PoP `name` is a Docker account on `endpoint` (a local engine of its own):
     * registers it (checked) when missing. `present`: it is already there on that
     * endpoint; `conflict`: an account of that name uses another endpoint (left as is).
     * Throws what `add` throws.
     */
    async ensureDockerPop(name: string, endpoint: string, config: Record<string, unknown>): Promise<{ outcome: 'registered' | 'present' } | { outcome: 'conflict'; endpoint: string }> {
      const existing = await deps.repo.get(name);
      if (existing) {
        await deps.registry.refresh();
        return existing.endpoint === endpoint && existing.type === 'docker' ? { outcome: 'present' } : { outcome: 'conflict', endpoint: existing.endpoint };
      }
      await this.add({ name, type: 'docker', endpoint, config });
      return { outcome: 'registered' };
    },
    /** The secret member of an account (for the driver factory only). */
    secretOf: accountSecret,
  };
}

/** The VIM account service's type. */
export type VimAccountService = ReturnType<typeof createVimAccountService>;
