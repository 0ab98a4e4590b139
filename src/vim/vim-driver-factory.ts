import { VimError } from '../model/index.js';
import type { VimAccount } from '../model/index.js';
import type { VimDriver } from './vim-driver.js';

/** Builds the driver of one VIM account (PoP). Throws VimError (e.g. AUTH) for an unusable account. */
export type VimDriverFactory = (account: VimAccount) => VimDriver;

/**
 * Driver factories by VIM type (`docker`, `openstack`, `memory`, …). The composition
 * root (`src/app`) registers them, so nothing below it loads a driver or its SDK.
 */
export type VimDriverTypes = Readonly<Record<string, VimDriverFactory>>;

/**
 * One factory over the registered types: dispatches on `account.type`. Throws VimError
 * NOT_SUPPORTED for a type nobody registered.
 */
export function driverFactoryOf(types: VimDriverTypes): VimDriverFactory {
  return (account) => {
    const make = Object.hasOwn(types, account.type) ? types[account.type] : undefined;
    if (!make) {
      const known = Object.keys(types).join(', ') || 'none';
      throw new VimError('NOT_SUPPORTED', account.name, `VIM type ${String(account.type)} is not supported; use one of: ${known}`);
    }
    return make(account);
  };
}

/**
 * The secret part of an account's config. Kept in its own member so the security
 * layer can seal it without touching the rest; never returned by the API.
 */
export const accountSecret = (account: Pick<VimAccount, 'config'>): Record<string, unknown> => {
  const s = account.config.secret;
  return s && typeof s === 'object' ? (s as Record<string, unknown>) : {};
};
