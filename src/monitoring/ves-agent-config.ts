import type { OutboundGuard } from '../auth/outbound-guard.js';
import { BadRequestError } from '../model/index.js';
import { VES_BACKLOG_DOMAINS } from '../store/index.js';
import type { VesAgentConfigRecord, VesBacklogDomain } from '../store/index.js';

/** Default poll interval when a config gives none, seconds. */
export const DEFAULT_POLL_INTERVAL_SECONDS = 60;

/** A backlog as the API takes it (seed 001). */
export interface VesBacklogInput {
  readonly domain: VesBacklogDomain;
  readonly type: string;
  readonly tenant: string | null;
  readonly source: string | null;
  readonly pollInterval: number | null;
}

/** A validated `vesagent_config` body. */
export interface VesAgentConfigInputBody {
  readonly endpoint: string;
  readonly username: string | null;
  readonly password: string | null;
  readonly pollIntervalDefault: number;
  readonly backlogs: readonly VesBacklogInput[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function seconds(v: unknown, field: string): number | null {
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > 86_400) {
    throw new BadRequestError(`${field} must be a whole number of seconds from 1 to 86400`, { code: 'VESAGENT_CONFIG_INVALID', details: { field } });
  }
  return n;
}

function optText(v: unknown, field: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw new BadRequestError(`${field} must be a string`, { code: 'VESAGENT_CONFIG_INVALID', details: { field } });
  return v;
}

/** The endpoint's field, as ProblemDetails name it. */
const ENDPOINT_FIELD = 'vesagent_config.ves_subscription.endpoint';

/**
 * Validates a POST body `{"vesagent_config": {...}}` (seed 001 shape). Throws
 * BadRequestError `VESAGENT_CONFIG_MISSING` without `vesagent_config` (seed 001 answers
 * 400 too), `VESAGENT_CONFIG_INVALID` naming the field for anything malformed, and
 * `OUTBOUND_URL_INVALID` / `OUTBOUND_NOT_ALLOWED` naming
 * `vesagent_config.ves_subscription.endpoint` when `guard` refuses the collector.
 * Poll intervals may be numbers or numeric strings, as seed 001 clients send both.
 */
export function parseVesAgentConfig(body: unknown, guard: Pick<OutboundGuard, 'check'>): VesAgentConfigInputBody {
  const cfg = isObject(body) ? body.vesagent_config : undefined;
  if (!isObject(cfg)) {
    throw new BadRequestError('vesagent_config is not provided; send {"vesagent_config": {"ves_subscription": {...}, "backlogs": [...]}}', {
      code: 'VESAGENT_CONFIG_MISSING',
    });
  }
  const sub = cfg.ves_subscription;
  if (!isObject(sub) || typeof sub.endpoint !== 'string') {
    throw new BadRequestError(`${ENDPOINT_FIELD} is required`, { code: 'VESAGENT_CONFIG_INVALID', details: { field: ENDPOINT_FIELD } });
  }
  guard.check(sub.endpoint, ENDPOINT_FIELD);
  const rawBacklogs = cfg.backlogs ?? [];
  if (!Array.isArray(rawBacklogs)) throw new BadRequestError('vesagent_config.backlogs must be a list', { code: 'VESAGENT_CONFIG_INVALID', details: { field: 'backlogs' } });
  const backlogs = rawBacklogs.map((b: unknown, i): VesBacklogInput => {
    const field = `backlogs[${i}]`;
    if (!isObject(b)) throw new BadRequestError(`${field} must be an object`, { code: 'VESAGENT_CONFIG_INVALID', details: { field } });
    if (!VES_BACKLOG_DOMAINS.includes(b.domain as VesBacklogDomain)) {
      throw new BadRequestError(`${field}.domain must be one of ${VES_BACKLOG_DOMAINS.join(', ')}`, { code: 'VESAGENT_CONFIG_INVALID', details: { field: `${field}.domain` } });
    }
    return {
      domain: b.domain as VesBacklogDomain,
      type: optText(b.type, `${field}.type`) ?? 'vm',
      tenant: optText(b.tenant, `${field}.tenant`),
      source: optText(b.source, `${field}.source`),
      pollInterval: seconds(b.poll_interval, `${field}.poll_interval`),
    };
  });
  return {
    endpoint: sub.endpoint,
    username: optText(sub.username, 'ves_subscription.username'),
    password: optText(sub.password, 'ves_subscription.password'),
    pollIntervalDefault: seconds(cfg.poll_interval_default, 'poll_interval_default') ?? DEFAULT_POLL_INTERVAL_SECONDS,
    backlogs,
  };
}

/** The API view: seed 001's two fields, the password never included. */
export interface VesAgentView {
  readonly vesagent_config: {
    readonly ves_subscription: { readonly endpoint: string; readonly username: string | null };
    readonly poll_interval_default: number;
    readonly backlogs: readonly { domain: string; type: string; tenant: string | null; source: string | null; poll_interval: number | null }[];
  };
  readonly vesagent_backlogs: {
    readonly vimid: string;
    readonly poll_interval_default: number;
    readonly subscription: { readonly endpoint: string; readonly username: string | null };
    readonly backlogs: readonly {
      backlog_uuid: string;
      domain: string;
      type: string;
      tenant: string | null;
      source: string | null;
      poll_interval: number;
      /** Seconds since the epoch of the last poll (seed 001 `timestamp`); null before the first. */
      timestamp: number | null;
      last_poll_time: string | null;
      last_event: unknown;
    }[];
  };
}

/** Renders a stored config for the API (the password stays sealed in the store). */
export function toVesAgentView(r: VesAgentConfigRecord): VesAgentView {
  const subscription = { endpoint: r.endpoint, username: r.username };
  return {
    vesagent_config: {
      ves_subscription: subscription,
      poll_interval_default: r.pollIntervalDefault,
      backlogs: r.backlogs.map((b) => ({ domain: b.domain, type: b.type, tenant: b.tenant, source: b.source, poll_interval: b.pollInterval })),
    },
    vesagent_backlogs: {
      vimid: r.vimId,
      poll_interval_default: r.pollIntervalDefault,
      subscription,
      backlogs: r.backlogs.map((b) => ({
        backlog_uuid: b.id,
        domain: b.domain,
        type: b.type,
        tenant: b.tenant,
        source: b.source,
        poll_interval: b.pollInterval ?? r.pollIntervalDefault,
        timestamp: b.lastPollAt ? Math.floor(b.lastPollAt.getTime() / 1000) : null,
        last_poll_time: b.lastPollAt ? b.lastPollAt.toISOString() : null,
        last_event: b.lastEvent ?? null,
      })),
    },
  };
}
