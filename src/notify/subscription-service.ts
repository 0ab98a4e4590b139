import { createOutboundGuard } from '../auth/outbound-guard.js';
import type { OutboundGuard } from '../auth/outbound-guard.js';
import { BadRequestError, NotFoundError, RondoError } from '../model/index.js';
import type { Clock, IdGenerator } from '../model/index.js';
import type { SubscriptionApi, SubscriptionRecord, SubscriptionRepository } from './subscription-store.js';
import { DEFAULT_OUTBOUND_LIMITS, sendOutbound } from './outbound-http.js';
import type { BasicAuth, OutboundLimits } from './outbound-http.js';
import { filterKey, parseFilter } from './subscription-filter.js';
import type { SubscriptionFilter } from './subscription-filter.js';

/** Seals and opens the stored `authentication` block (the auth module's `SecretBox`). */
export interface Sealer {
  seal(plain: string): string;
  open(sealed: string): string;
}

/** SOL005 `LccnSubscription` / `FmSubscription` / `NsdmSubscription` / `PkgmSubscription` as the API returns it (no credentials). */
export interface SubscriptionView {
  readonly id: string;
  readonly filter: SubscriptionFilter;
  readonly callbackUri: string;
  readonly _links: { readonly self: { readonly href: string } };
}

/** Options of {@link createSubscriptionService}. */
export interface SubscriptionServiceOptions {
  readonly repo: SubscriptionRepository;
  readonly sealer: Sealer;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Absolute base of this API for `_links` (e.g. `http://rondo:8080`), or a function read each time; '' for relative links. */
  readonly apiBase?: string | (() => string);
  /** Timeout and response size of the callback test GET; default {@link DEFAULT_OUTBOUND_LIMITS}. */
  readonly limits?: OutboundLimits;
  /**
   * Where callbacks may point (the server passes `auth.outbound`, built from
   * RONDO_OUTBOUND_ALLOW); default: an open guard (http/https, no credentials in the URL,
   * no link-local addresses).
   */
  readonly guard?: OutboundGuard;
}

const BASE_PATH: Record<SubscriptionApi, string> = {
  nslcm: '/nslcm/v1/subscriptions',
  nsfm: '/nsfm/v1/subscriptions',
  nsd: '/nsd/v1/subscriptions',
  vnfpkgm: '/vnfpkgm/v1/subscriptions',
  nspm: '/nspm/v1/subscriptions',
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Parses SOL005 `SubscriptionAuthentication`; only BASIC is supported (with its params). */
function parseAuth(raw: unknown): BasicAuth | null {
  if (raw === undefined || raw === null) return null;
  const bad = (why: string) => new BadRequestError(`authentication ${why}`, { code: 'SUBSCRIPTION_AUTH_INVALID' });
  if (!isObject(raw) || !Array.isArray(raw.authType)) throw bad('must have authType, a list');
  if (raw.authType.length !== 1 || raw.authType[0] !== 'BASIC') throw bad('authType must be ["BASIC"]; OAUTH2_CLIENT_CREDENTIALS and TLS_CERT are not supported');
  const p = raw.paramsBasic;
  if (!isObject(p) || typeof p.userName !== 'string' || typeof p.password !== 'string') throw bad('paramsBasic must give userName and password');
  return { username: p.userName, password: p.password };
}

/**
 * SOL005 subscriptions of the NS LCM and NS FM APIs: validation, the callback test
 * (SOL005 §6.4.18.3.1 / §7.4.5.3.1: the NFVO tests the callback with a GET that must
 * answer 204, else 422), duplicate detection (303 with the existing one), list, show,
 * delete. Credentials are sealed at rest and never returned.
 */
export function createSubscriptionService(o: SubscriptionServiceOptions) {
  const base = (): string => (typeof o.apiBase === 'function' ? o.apiBase() : (o.apiBase ?? '')).replace(/\/+$/, '');
  const guard = o.guard ?? createOutboundGuard();
  const view = (r: SubscriptionRecord): SubscriptionView => ({
    id: r.id,
    filter: r.filter as SubscriptionFilter,
    callbackUri: r.callbackUri,
    _links: { self: { href: `${base()}${BASE_PATH[r.api]}/${r.id}` } },
  });

  async function testCallback(url: string, auth: BasicAuth | null): Promise<void> {
    let status: number;
    try {
      status = (await sendOutbound(guard, { method: 'GET', url, auth }, o.limits ?? DEFAULT_OUTBOUND_LIMITS)).status;
    } catch (cause) {
      throw new RondoError('CALLBACK_UNREACHABLE', `callbackUri did not answer the test GET (${(cause as Error).message}); make it answer GET with 204`, { cause });
    }
    if (status !== 204) {
      const redirect = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
      throw new RondoError('CALLBACK_UNREACHABLE', `callbackUri answered the test GET with ${status}${redirect}; it must answer 204 No Content`, { details: { callbackStatus: status } });
    }
  }

  return {
    /**
     * Creates a subscription. Resolves `{created: false}` with the existing one for a
     * duplicate (same tenant, callback and filter; the route answers 303). Throws
     * BadRequestError for a bad body (`OUTBOUND_URL_INVALID` / `OUTBOUND_NOT_ALLOWED`
     * naming `callbackUri` when the guard refuses it: nothing is sent, nothing stored),
     * RondoError `CALLBACK_UNREACHABLE` (422) when the callback test fails (no answer
     * within the limits, a non-204 answer — a redirect is not followed —, or a host that
     * resolves only to addresses the guard refuses). `allTenants` (an admin's subscription)
     * makes it hear about every tenant's NS instances, not only `tenant`'s.
     */
    async create(api: SubscriptionApi, body: unknown, tenant = 'default', opts: { readonly allTenants?: boolean } = {}): Promise<{ created: boolean; subscription: SubscriptionView }> {
      if (!isObject(body) || typeof body.callbackUri !== 'string') {
        throw new BadRequestError('callbackUri is required', { code: 'SUBSCRIPTION_INVALID', details: { field: 'callbackUri' } });
      }
      const callbackUri = guard.check(body.callbackUri, 'callbackUri').href;
      const filter = parseFilter(api, body.filter);
      const auth = parseAuth(body.authentication);
      const key = filterKey(filter);
      const dup = await o.repo.findDuplicate({ tenant, api, callbackUri, filterKey: key });
      if (dup) return { created: false, subscription: view(dup) };
      await testCallback(callbackUri, auth);
      const { subscription, created } = await o.repo.insert({
        id: o.ids.next(),
        tenant,
        api,
        callbackUri,
        filter,
        filterKey: key,
        authSealed: auth ? o.sealer.seal(JSON.stringify(auth)) : null,
        allTenants: opts.allTenants ?? false,
        createdAt: o.clock.now(),
      });
      return { created, subscription: view(subscription) };
    },

    /**
     * Checks a resource's own callback (SOL005 PmJobModifications / ThresholdModifications
     * `callbackUri` and `authentication`) as a subscription's is checked: through the
     * outbound guard, then a test GET that must answer 204. Resolves the normalised URI and
     * the sealed credentials; throws as {@link create} does.
     */
    async checkCallback(body: { readonly callbackUri: string; readonly authentication?: unknown }): Promise<{ callbackUri: string; authSealed: string | null }> {
      const callbackUri = guard.check(body.callbackUri, 'callbackUri').href;
      const auth = parseAuth(body.authentication);
      await testCallback(callbackUri, auth);
      return { callbackUri, authSealed: auth ? o.sealer.seal(JSON.stringify(auth)) : null };
    },

    /** Every subscription of `api` (of `tenant` when given). */
    async list(api: SubscriptionApi, tenant?: string): Promise<SubscriptionView[]> {
      return (await o.repo.list(api, tenant)).map(view);
    },

    /**
     * One subscription; NotFoundError when missing or, when `tenant` is given, of
     * another tenant (answered exactly like a missing one).
     */
    async get(api: SubscriptionApi, id: string, tenant?: string): Promise<SubscriptionView> {
      const r = await o.repo.get(api, id);
      if (!r || (tenant !== undefined && r.tenant !== tenant)) throw new NotFoundError('subscription', id);
      return view(r);
    },

    /** Deletes; NotFoundError when missing or, when `tenant` is given, of another tenant. */
    async delete(api: SubscriptionApi, id: string, tenant?: string): Promise<void> {
      if (tenant !== undefined && (await o.repo.get(api, id))?.tenant !== tenant) throw new NotFoundError('subscription', id);
      if (!(await o.repo.delete(api, id))) throw new NotFoundError('subscription', id);
    },

    /** The path of a subscription (for `Location`). */
    location: (api: SubscriptionApi, id: string): string => `${base()}${BASE_PATH[api]}/${id}`,
  };
}

/** The subscription service's type. */
export type SubscriptionService = ReturnType<typeof createSubscriptionService>;
