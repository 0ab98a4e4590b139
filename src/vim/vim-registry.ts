import { NotFoundError, VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import { driverFactoryOf } from './vim-driver-factory.js';
import type { VimDriverFactory } from './vim-driver-factory.js';
import type { VimDriver } from './vim-driver.js';

/** Where the registry reads the accounts from (the `vim_accounts` repository). */
export interface VimAccountSource {
  /** Every account in placement preference order (oldest first). */
  list(): Promise<VimAccount[]>;
}

/** Options of {@link VimRegistry}. */
export interface VimRegistryOptions {
  /**
   * Builds the driver of one account (the composition root's drivers by type); default:
   * none registered, every account fails NOT_SUPPORTED.
   */
  readonly factory?: VimDriverFactory;
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
 * A factory may hand the same driver to several accounts (memory PoPs on one endpoint
 * share one fake engine, as Docker PoPs on one endpoint share the real one); such a
 * driver is destroyed once no account uses it.
 */
export class VimRegistry {
  readonly #source: VimAccountSource;
  readonly #factory: (account: VimAccount) => VimDriver;
  readonly #openSecret: ((sealed: string) => string) | undefined;
  #accounts: readonly VimAccount[] = [];
  readonly #drivers = new Map<string, { readonly print: string; readonly driver: VimDriver }>();
  #refreshing: Promise<void> | null = null;
  readonly #listeners = new Set<() => void>();

  constructor(source: VimAccountSource, opts: VimRegistryOptions = {}) {
    this.#source = source;
    this.#factory = opts.factory ?? driverFactoryOf({});
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
        const stale: VimDriver[] = [];
        for (const [id, cached] of this.#drivers) {
          if (live.get(id) === cached.print) continue;
          this.#drivers.delete(id);
          stale.push(cached.driver);
        }
        const kept = new Set([...this.#drivers.values()].map((d) => d.driver));
        for (const d of new Set(stale)) if (!kept.has(d)) await d.destroy().catch(() => undefined);
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
    const all = new Set([...this.#drivers.values()].map((d) => d.driver));
    this.#drivers.clear();
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
    return this.#factory(this.#unsealed(sealedAccount));
  }
}
