import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Options of {@link requestId}. */
export interface RequestIdOptions {
  readonly headerName?: string;
  readonly generate?: () => string;
  /** Incoming ids must match this (no log injection, bounded length); others are replaced. */
  readonly accept?: RegExp;
}

/**
 * Request ids: honours an incoming `x-request-id` that looks sane, otherwise generates
 * one; Fastify puts it on every log line (`reqId`), the hook on every response.
 * Pass `genReqId` to Fastify's options and add `onRequest` as a root hook.
 */
export function requestId({
  headerName = 'x-request-id',
  generate = randomUUID,
  accept = /^[A-Za-z0-9._:@/+=-]{1,128}$/,
}: RequestIdOptions = {}) {
  const header = headerName.toLowerCase();
  return {
    genReqId(req: IncomingMessage): string {
      const v = req.headers[header];
      return typeof v === 'string' && accept.test(v) ? v : generate();
    },
    onRequest(request: FastifyRequest, reply: FastifyReply, done: () => void): void {
      void reply.header(header, request.id);
      done();
    },
  };
}

/**
 * Binds an operation id to the request's logger: every later line of this request
 * carries `opId` as well as `reqId`.
 */
export function bindOpId(request: FastifyRequest, opId: string): void {
  request.log = request.log.child({ opId });
}
