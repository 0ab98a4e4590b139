import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, request } from 'undici';
import type { Dispatcher } from 'undici';
import { BadRequestError, RondoError } from '../model/index.js';

/**
 * Where outbound calls (SOL005 callbacks, VES collectors) may go. Entries are host names
 * (`collector.example.net`), wildcards (`*.example.net`), addresses or CIDRs
 * (`10.20.0.0/16`, `fd00::/8`). Empty: anywhere except link-local addresses (cloud
 * metadata services live there), which need an explicit entry.
 */
export interface OutboundPolicy {
  readonly allow: readonly string[];
}

/** The parsed form of an {@link OutboundPolicy}. */
export interface OutboundGuard {
  /**
   * Checks a URL before it is stored or called: absolute http(s), no user info, and the
   * host allowed by name or address. Host names allowed only through CIDRs are checked
   * again at connection time against every address they resolve to. Throws
   * BadRequestError `OUTBOUND_URL_INVALID` or `OUTBOUND_NOT_ALLOWED`, naming `field`.
   */
  check(raw: string, field?: string): URL;
  /** Whether an IP address may be connected to. */
  addressAllowed(address: string): boolean;
  /**
   * A connection pool that refuses connections to addresses the guard does not allow,
   * created on first use (a guard only asked to check URLs holds no sockets). After
   * `close()` it throws RondoError `OUTBOUND_CLOSED`.
   */
  readonly dispatcher: Dispatcher;
  /** Closes the pool (if one was created). */
  close(): Promise<void>;
}

/** Limits of one {@link guardedFetch}. */
export interface FetchLimits {
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
}

/** What came back. Redirects are never followed: a 3xx is returned as it is. */
export interface GuardedResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** A request of {@link guardedFetch}. */
export interface GuardedRequestInit {
  readonly method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string | Buffer;
  readonly signal?: AbortSignal;
}

/** The connect-time refusal of an address outside the allow-list (raised inside the DNS lookup). */
class OutboundRefusedError extends Error {
  readonly code = 'EACCES';
}

const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');

const bare = (host: string) => (host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host).toLowerCase();
const family = (a: string): 'ipv4' | 'ipv6' => (isIP(a) === 6 ? 'ipv6' : 'ipv4');

/**
 * Parses `RONDO_OUTBOUND_ALLOW` entries into a guard. Throws BadRequestError
 * `OUTBOUND_ALLOW_INVALID` naming a malformed entry.
 */
export function createOutboundGuard(policy: OutboundPolicy = { allow: [] }): OutboundGuard {
  const cidrs = new BlockList();
  const names: string[] = [];
  const suffixes: string[] = [];
  let hasCidrs = false;
  for (const raw of policy.allow) {
    const entry = raw.trim().toLowerCase();
    const [addr, prefix] = entry.split('/');
    if (addr !== undefined && isIP(bare(addr)) !== 0) {
      const a = bare(addr);
      const bits = prefix === undefined ? (isIP(a) === 6 ? 128 : 32) : Number(prefix);
      if (!Number.isInteger(bits) || bits < 0 || bits > (isIP(a) === 6 ? 128 : 32)) {
        throw new BadRequestError(`RONDO_OUTBOUND_ALLOW: ${raw}: bad prefix length`, { code: 'OUTBOUND_ALLOW_INVALID' });
      }
      cidrs.addSubnet(a, bits, family(a));
      hasCidrs = true;
    } else if (/^\*\.[a-z0-9.-]+$/.test(entry)) suffixes.push(entry.slice(1));
    else if (/^[a-z0-9][a-z0-9.-]*$/.test(entry)) names.push(entry);
    else throw new BadRequestError(`RONDO_OUTBOUND_ALLOW: ${raw}: expected a host name, *.domain, an address or a CIDR`, { code: 'OUTBOUND_ALLOW_INVALID' });
  }
  const open = policy.allow.length === 0;
  const addressAllowed = (address: string): boolean => {
    const a = bare(address);
    if (isIP(a) === 0) return false;
    if (hasCidrs && cidrs.check(a, family(a))) return true;
    return open && !LINK_LOCAL.check(a, family(a));
  };
  const named = (host: string) => names.includes(host) || suffixes.some((s) => host.endsWith(s));
  const nameAllowed = (host: string) => open || named(host);

  // Every connection's addresses are checked after DNS, so a name that resolves (or
  // re-resolves, DNS rebinding) to a forbidden address is refused at connect time.
  const lookup = (hostname: string, options: LookupOptions, cb: (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return cb(err, '');
      const byName = named(hostname.toLowerCase());
      const ok = (addresses as LookupAddress[]).filter((a) => addressAllowed(a.address) || (byName && !LINK_LOCAL.check(a.address, family(a.address))));
      if (ok.length === 0) return cb(new OutboundRefusedError(`${hostname} resolves only to addresses outside RONDO_OUTBOUND_ALLOW`), '');
      if (options.all) return cb(null, ok);
      return cb(null, ok[0]!.address, ok[0]!.family);
    });
  };
  // Created on first use: a guard that only checks URLs (a default one in a unit test) holds no pool.
  let agent: Agent | undefined;
  let closed = false;

  return {
    check(raw, field = 'url') {
      let url: URL;
      try {
        url = new URL(raw);
      } catch (cause) {
        throw new BadRequestError(`${field} is not an absolute URL`, { code: 'OUTBOUND_URL_INVALID', cause, details: { field } });
      }
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new BadRequestError(`${field} must use http or https`, { code: 'OUTBOUND_URL_INVALID', details: { field } });
      if (url.username !== '' || url.password !== '') {
        throw new BadRequestError(`${field} must not carry credentials; send them as authentication instead`, { code: 'OUTBOUND_URL_INVALID', details: { field } });
      }
      const host = bare(url.hostname);
      const allowed = isIP(host) !== 0 ? addressAllowed(host) : nameAllowed(host) || hasCidrs;
      if (!allowed) throw new BadRequestError(`${field}: host ${host} is not in RONDO_OUTBOUND_ALLOW`, { code: 'OUTBOUND_NOT_ALLOWED', details: { field, host } });
      return url;
    },
    addressAllowed,
    get dispatcher(): Dispatcher {
      if (closed) throw new RondoError('OUTBOUND_CLOSED', 'the outbound connection pool is closed (shutting down)');
      return (agent ??= new Agent({ connections: 16, keepAliveTimeout: 10_000, connect: { lookup: lookup as never } }));
    },
    async close() {
      closed = true;
      await agent?.close();
    },
  };
}

/**
 * One outbound HTTP call through `guard`: the URL is checked, redirects are not
 * followed, the whole call is bounded by `timeoutMs` (default 5 s) and the response body
 * by `maxBytes` (default 1 MiB). Throws BadRequestError from {@link OutboundGuard.check},
 * and RondoError `OUTBOUND_FAILED` (502, retryable) on a network error, a refused
 * address, a timeout or an oversized answer; its message names the origin, never
 * credentials or the query string. Any HTTP status resolves.
 */
export async function guardedFetch(guard: OutboundGuard, rawUrl: string, init: GuardedRequestInit = {}, limits: FetchLimits = {}): Promise<GuardedResponse> {
  const url = guard.check(rawUrl);
  const timeoutMs = limits.timeoutMs ?? 5_000;
  const maxBytes = limits.maxBytes ?? 1024 * 1024;
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, timeout]) : timeout;
  const where = `${init.method ?? 'GET'} ${url.origin}${url.pathname}`;
  const failed = (reason: string, cause?: unknown) =>
    new RondoError('OUTBOUND_FAILED', `${where}: ${reason}`, { details: { origin: url.origin }, ...(cause === undefined ? {} : { cause }) });
  let res: Dispatcher.ResponseData;
  try {
    res = await request(url, {
      method: init.method ?? 'GET',
      headers: init.headers ? { ...init.headers } : {},
      body: init.body ?? null,
      signal,
      dispatcher: guard.dispatcher,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
  } catch (cause) {
    if (cause instanceof RondoError) throw cause;
    if (cause instanceof OutboundRefusedError) throw failed(cause.message, cause);
    throw failed(timeout.aborted ? `no answer within ${timeoutMs} ms` : init.signal?.aborted ? 'aborted' : `connection failed (${(cause as { code?: string }).code ?? 'error'})`, cause);
  }
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.body.destroy();
    throw failed(`answer of ${declared} bytes exceeds the limit of ${maxBytes}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > maxBytes) {
        res.body.destroy();
        throw failed(`answer exceeds the limit of ${maxBytes} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (e) {
    if (e instanceof RondoError) throw e;
    throw failed(timeout.aborted ? `no complete answer within ${timeoutMs} ms` : 'the answer broke off', e);
  }
  return { status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) };
}
