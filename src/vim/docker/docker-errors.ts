import { VimError } from '../../model/index.js';
import { tlsVimError } from './docker-tls.js';
import type { DockerTlsContext } from './docker-tls.js';

interface DockerishError {
  statusCode?: number;
  code?: string;
  json?: { message?: string } | null;
  message?: string;
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ECONNRESET', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNABORTED', 'UND_ERR_SOCKET']);

// Docker answers 403/500 for conditions that are conflicts of state, not permissions:
// "Pool overlaps with other one", "Address already in use", "has active endpoints",
// "does not belong to any of this network's subnets".
const CONFLICT_TEXT = /already in use|active endpoints|does not belong|already exists|is not running|is paused|is restarting/i;

// An engine that is shutting down still answers requests in flight, with a 500 carrying
// its lost containerd connection ("transport is closing: unavailable", "grpc: the client
// connection is closing: context canceled") or its closed network store ("failed to update
// store for object type *libnetwork.endpoint: open : no such file or directory"): the
// engine went away, as a refused socket does.
const GONE_TEXT = /transport is closing|client connection is closing|connection (?:refused|reset)|daemon is shutting down|error reading from server: EOF|failed to update store for object type/i;

/**
 * Wraps whatever dockerode threw into a {@link VimError}: certificate problems of a TLS
 * endpoint → TLS (see `tlsVimError`; `tls` names the endpoint's host and the client
 * certificate in its detail), socket errors and a stopping
 * engine's answers → CONNECTION (retryable), socket permission → AUTH, 404 → NOT_FOUND, 409 and state conflicts →
 * CONFLICT, 401 and authorization plugins' 403 → AUTH, anything else → UNEXPECTED_RESPONSE.
 */
export function toVimError(vim: string, what: string, error: unknown, tls?: DockerTlsContext): VimError {
  if (error instanceof VimError) return error;
  const certificate = tlsVimError(vim, what, error, tls ?? { host: 'the engine' });
  if (certificate) return certificate;
  const e = (error ?? {}) as DockerishError;
  const text = e.json?.message ?? e.message ?? String(error);
  const say = `${what}: ${text}`;
  // "Pool overlaps with other one on this address space" (403): another network, maybe
  // another installation's, holds the subnet; the lifecycle plans again around it.
  if (/pool overlaps/i.test(text)) return new VimError('SUBNET_IN_USE', vim, say, { cause: error });
  if (e.code === 'EACCES') return new VimError('AUTH', vim, `${say}; the user cannot open the Docker socket`, { cause: error });
  if (e.code !== undefined && CONNECTION_CODES.has(e.code)) {
    return new VimError('CONNECTION', vim, `${say}; is the Docker engine running and reachable?`, { cause: error, retryable: true });
  }
  switch (e.statusCode) {
    case 404:
      return new VimError('NOT_FOUND', vim, say, { cause: error });
    case 409:
      return new VimError('CONFLICT', vim, say, { cause: error });
    case 401:
      return new VimError('AUTH', vim, say, { cause: error });
    case 403:
      return CONFLICT_TEXT.test(text) ? new VimError('CONFLICT', vim, say, { cause: error }) : new VimError('AUTH', vim, say, { cause: error });
    case 500:
    case 503:
      if (CONFLICT_TEXT.test(text)) return new VimError('CONFLICT', vim, say, { cause: error });
      if (GONE_TEXT.test(text)) return new VimError('CONNECTION', vim, `${say}; the Docker engine is going away or restarting`, { cause: error, retryable: true });
      break;
    default:
      break;
  }
  const retryable = e.statusCode === 502 || e.statusCode === 503 || e.statusCode === 504;
  return new VimError('UNEXPECTED_RESPONSE', vim, say, { cause: error, retryable });
}
