import { NotFoundError, VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import { createMemoryVimDriver } from './memory/memory-vim-driver.js';
import { createVimDriver } from './vim-driver-factory.js';
import type { VimDriver } from './vim-driver.js';

/** Where the registry reads the accounts from (the `vim_accounts` repository). */
export interface VimAccountSource {
  /** Every account in placement preference order (oldest first). */
  list(): Promise<VimAccount[]>;
}

/** Options of {@link VimRegistry}. */
export interface VimRegistryOptions {
  /** Builds the driver of one account; default {@link createVimDriver}. */
  readonly factory?: (account: VimAccount) => VimDriver;
  /**
   * Opens sealed credentials (`config.secret` as `SecretBox` text, as the repository
   * reads them) just before a driver is built; the factory sees them in clear.
   */
  readonly openSecret?: (sealed: string) => string;
}

/** What makes a cached driver stale: the account's connection settings changed. */
const fingerprint = (a: VimAccount): string => JSON.stringify([a.type, a.endpoint, a.config]);

/**
 * The lifecycle's `DriverRegistry` over the VIM accounts: a snapshot of the accounts
 * (reloaded by {@link refresh}) and one cached driver per account, built on first use.
 * PoPs of type `memory` with the same endpoint share one in-memory engine, as Docker
 * PoPs on one endpoint share the real engine (label-separated), so a network one PoP
 * made is visible to the other's computes.
 */
export class VimRegistry {
  readonly #source: VimAccountSource;
  readonly #factory: (account: VimAccount) => VimDriver;
  readonly #openSecret: ((sealed: string) => string) | undefined;
  #accounts: readonly VimAccount[] = [];
  readonly #drivers = new Map<string, { readonly print: string; readonly driver: VimDriver }>();
  readonly #memoryEngines = new Map<string, VimDriver>();
  #refreshing: Promise<void> | null = null;
  readonly #listeners = new Set<() => void>();

  constructor(source: VimAccountSource, opts: VimRegistryOptions = {}) {
    this.#source = source;
    this.#factory = opts.factory ?? createVimDriver;
    this.#openSecret = opts.openSecret;
  }

  /**
   * Reloads the accounts; drivers of removed or changed accounts are destroyed. Calls
   * made while a reload runs share it.
   */
  refresh(): Promise<void> {
    this.#refreshing ??= (async () => {
      try {
        const list = await this.#source.list();
        const live = new Map(list.map((a) => [a.id, fingerprint(a)]));
        for (const [id, cached] of this.#drivers) {
          if (live.get(id) === cached.print) continue;
          this.#drivers.delete(id);
          if (![...this.#memoryEngines.values()].includes(cached.driver)) await cached.driver.destroy().catch(() => undefined);
        }
        this.#accounts = list;
      } finally {
        this.#refreshing = null;
      }
      for (const l of [...this.#listeners]) {
        try {
          l();
        } catch {
          // A listener's failure is its own; the reload succeeded.
        }
      }
    })();
    return this.#refreshing;
  }

  /**
   * Calls `listener` after every successful reload (a PoP added, changed or removed
   * through the API reloads at once); returns the unsubscribe function.
   */
  onRefresh(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  /** Every PoP of the last refresh, in placement preference order. */
  accounts(): readonly VimAccount[] {
    return this.#accounts;
  }

  /** The driver of a PoP. Throws NotFoundError for a PoP unknown at the last refresh. */
  get(popId: string): VimDriver {
    const account = this.#accounts.find((a) => a.id === popId);
    if (!account) throw new NotFoundError('VIM account (PoP)', popId);
    const print = fingerprint(account);
    const cached = this.#drivers.get(popId);
    if (cached && cached.print === print) return cached.driver;
    const driver = this.#build(account);
    this.#drivers.set(popId, { print, driver });
    return driver;
  }

  /** Destroys every cached driver (ends their watches). */
  async close(): Promise<void> {
    const all = new Set([...[...this.#drivers.values()].map((d) => d.driver), ...this.#memoryEngines.values()]);
    this.#drivers.clear();
    this.#memoryEngines.clear();
    await Promise.all([...all].map((d) => d.destroy().catch(() => undefined)));
  }

  /** The account with its credentials opened (drivers get them in clear, nothing else does). */
  #unsealed(account: VimAccount): VimAccount {
    const sealed = account.config.secret;
    if (typeof sealed !== 'string') return account;
    if (!this.#openSecret) throw new VimError('AUTH', account.name, 'the credentials are sealed and this process has no secret key to open them');
    return { ...account, config: { ...account.config, secret: JSON.parse(this.#openSecret(sealed)) as unknown } };
  }

  #build(sealedAccount: VimAccount): VimDriver {
    const account = this.#unsealed(sealedAccount);
    if (account.type !== 'memory' || this.#factory !== createVimDriver) return this.#factory(account);
    let engine = this.#memoryEngines.get(account.endpoint);
    if (!engine) {
      engine = createMemoryVimDriver({ name: account.endpoint });
      this.#memoryEngines.set(account.endpoint, engine);
    }
    return engine;
  }
}
