import { VimError } from '../../model/index.js';
import { raceAbort } from '../vim-abort.js';
import { openstackRequest } from './openstack-http.js';
import type { OpenStackRequest, OpenStackResponse } from './openstack-http.js';

/** Password credentials scoped to one project (Keystone v3). */
export interface OpenStackCredentials {
  /** Keystone v3 URL, e.g. `http://127.0.0.1:5000/v3`. */
  readonly authUrl: string;
  readonly username: string;
  readonly password: string;
  readonly userDomain?: string;
  readonly projectName: string;
  readonly projectDomain?: string;
  /** Catalog region; default: the first endpoint of the wanted interface. */
  readonly region?: string;
  /** Catalog interface; default `public`. */
  readonly interface?: 'public' | 'internal' | 'admin';
}

/** The service types the driver talks to. */
export const SERVICE_TYPES = ['identity', 'image', 'compute', 'network', 'orchestration', 'placement'] as const;
export type ServiceType = (typeof SERVICE_TYPES)[number];

/** A call through the session: the path is relative to the service endpoint. */
export type ServiceCall = Omit<OpenStackRequest, 'url' | 'timeoutMs'> & { readonly path: string; readonly timeoutMs?: number };

/** The narrow client every service module uses (the session, or a fake in tests). */
export interface OpenStackApi {
  readonly vim: string;
  call<T = unknown>(service: ServiceType, call: ServiceCall): Promise<OpenStackResponse<T>>;
  /** Project id of the scoped token. */
  projectId(signal?: AbortSignal): Promise<string>;
}

interface CatalogEntry {
  type: string;
  endpoints: { interface: string; region_id?: string; region?: string; url: string }[];
}

interface Token {
  readonly value: string;
  readonly expiresAt: number;
  readonly projectId: string;
  readonly catalog: readonly CatalogEntry[];
}

/**
 * A Keystone v3 session: password auth scoped to a project, the token cached and renewed
 * `renewMarginMs` before it expires (one request in flight at a time), endpoints found in
 * the token's catalog by service type, region and interface. A 401 from a service drops
 * the token and retries the call once with a fresh one.
 */
export class KeystoneSession implements OpenStackApi {
  private token: Token | undefined;
  private pending: Promise<Token> | undefined;

  constructor(
    readonly vim: string,
    private readonly creds: OpenStackCredentials,
    private readonly opts: { timeoutMs?: number; renewMarginMs?: number; now?: () => number } = {},
  ) {}

  /** Drops the cached token (the next call authenticates again). */
  invalidate(): void {
    this.token = undefined;
  }

  /**
   * A valid token, authenticating when there is none or it expires within the margin.
   * @throws VimError AUTH for wrong credentials, CONNECTION when Keystone is unreachable.
   */
  async authenticate(signal?: AbortSignal): Promise<Token> {
    const now = this.opts.now ?? Date.now;
    const margin = this.opts.renewMarginMs ?? 120_000;
    if (this.token && this.token.expiresAt - margin > now()) return this.token;
    // One token request shared by every caller; each caller's signal only stops its own wait.
    this.pending ??= this.issue().finally(() => {
      this.pending = undefined;
    });
    const token = await (signal ? raceAbort(this.vim, signal, 'authenticate', this.pending) : this.pending);
    this.token = token;
    return token;
  }

  async projectId(signal?: AbortSignal): Promise<string> {
    return (await this.authenticate(signal)).projectId;
  }

  /**
   * The endpoint URL of `service` (no trailing slash).
   * @throws VimError NOT_SUPPORTED when the catalog has no such service in the region.
   */
  async endpoint(service: ServiceType, signal?: AbortSignal): Promise<string> {
    if (service === 'identity') return this.creds.authUrl.replace(/\/+$/, '');
    const token = await this.authenticate(signal);
    const iface = this.creds.interface ?? 'public';
    const entry = token.catalog.find((c) => c.type === service);
    const ep = entry?.endpoints.find((e) => e.interface === iface && (this.creds.region === undefined || (e.region_id ?? e.region) === this.creds.region));
    if (!ep) {
      throw new VimError('NOT_SUPPORTED', this.vim, `the catalog has no ${iface} ${service} endpoint${this.creds.region ? ` in region ${this.creds.region}` : ''}; check the region or deploy the service`);
    }
    return ep.url.replace(/\/+$/, '');
  }

  async call<T = unknown>(service: ServiceType, call: ServiceCall): Promise<OpenStackResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      const token = await this.authenticate(call.signal);
      const base = await this.endpoint(service, call.signal);
      try {
        return await openstackRequest<T>(this.vim, {
          ...call,
          url: base + call.path,
          timeoutMs: call.timeoutMs ?? this.opts.timeoutMs ?? 30_000,
          headers: { ...call.headers, 'x-auth-token': token.value },
        });
      } catch (e) {
        // A token revoked or expired early: one retry with a fresh token.
        if (attempt === 0 && e instanceof VimError && e.kind === 'AUTH' && hasStatus(e, 401)) {
          if (this.token === token) this.token = undefined;
          continue;
        }
        throw e;
      }
    }
  }

  private async issue(): Promise<Token> {
    const c = this.creds;
    const res = await openstackRequest<{ token: { expires_at: string; project?: { id: string }; catalog?: CatalogEntry[] } }>(this.vim, {
      method: 'POST',
      url: `${c.authUrl.replace(/\/+$/, '')}/auth/tokens`,
      timeoutMs: this.opts.timeoutMs ?? 30_000,
      what: `authenticate ${c.username}@${c.projectName}`,
      body: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: c.username, domain: { name: c.userDomain ?? 'Default' }, password: c.password } } },
          scope: { project: { name: c.projectName, domain: { name: c.projectDomain ?? 'Default' } } },
        },
      },
    });
    const value = res.headers['x-subject-token'];
    const project = res.body?.token?.project?.id;
    if (!value || !project) throw new VimError('UNEXPECTED_RESPONSE', this.vim, 'Keystone answered without a project-scoped token');
    return { value, projectId: project, expiresAt: Date.parse(res.body.token.expires_at), catalog: res.body.token.catalog ?? [] };
  }
}

const hasStatus = (e: VimError, status: number): boolean => (e.cause as { status?: number } | undefined)?.status === status;
