import { pino } from 'pino';
import type { Logger } from 'pino';
import type { RondoConfig } from '../config/index.js';
import { REDACT_CENSOR, REDACT_PATHS as AUTH_REDACT_PATHS } from '../auth/index.js';

/** Log fields never written in clear: passwords, tokens, API keys, VIM/VES/callback credentials (see `src/auth/redact-paths.ts`). */
export const REDACT_PATHS: readonly string[] = AUTH_REDACT_PATHS;

/** Query parameters that carry credentials (EventSource sends `?access_token=`); never logged. */
const SECRET_QUERY = /([?&](?:access_token|token|api_key|apikey|password)=)[^&#]*/gi;

/** A request URL as logs may show it: credential query parameters censored. */
export const redactUrl = (url: string): string => url.replace(SECRET_QUERY, `$1${REDACT_CENSOR}`);

/** Fastify's request serializer, with the URL's credentials censored. */
function requestSerializer(req: { method?: string; url?: string; host?: string; ip?: string; headers?: Record<string, unknown>; socket?: { remotePort?: number } }) {
  return {
    method: req.method,
    url: typeof req.url === 'string' ? redactUrl(req.url) : req.url,
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  };
}

/**
 * The process logger: pino, JSON lines, secrets redacted ({@link REDACT_PATHS}, and
 * credentials in request URLs).
 */
export function createLogger(config: Pick<RondoConfig, 'logLevel'>, destination?: NodeJS.WritableStream): Logger {
  const opts = {
    level: config.logLevel,
    redact: { paths: [...REDACT_PATHS], censor: REDACT_CENSOR },
    serializers: { req: requestSerializer },
    base: { service: 'rondo' },
  };
  return destination ? pino(opts, destination as pino.DestinationStream) : pino(opts);
}
