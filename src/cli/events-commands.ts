import type { Command } from 'commander';
import { alarmVnf } from './alarm-commands.js';
import { contextOf } from './cli-context.js';
import type { CommandContext } from './cli-context.js';
import { CliError, EXIT } from './cli-error.js';
import { credentialHeaders } from './credentials.js';
import type { Output } from './output.js';

/** One event of `GET /api/events` (the `data:` JSON; see `StreamedEvent` in the API). */
export interface StreamedEvent {
  id: number;
  topic: string;
  nsInstanceId: string | null;
  time: string;
  payload: Record<string, unknown> | null;
}

/** One dispatched SSE frame. */
interface Frame { id?: string; event: string; data: string }

/**
 * An incremental text/event-stream parser (the WHATWG rules Rondo's stream needs): lines
 * end in LF, CRLF or CR; `id`, `event`, `data` (joined by LF), `retry`; comments skipped;
 * a blank line dispatches.
 */
export class SseParser {
  #buf = '';
  #frame: { id?: string; event?: string; data: string[] } = { data: [] };
  /** The server's `retry:` advice, ms. */
  retryMs: number | undefined;

  push(chunk: string): Frame[] {
    this.#buf += chunk;
    const frames: Frame[] = [];
    for (;;) {
      const m = /\r\n|\r|\n/.exec(this.#buf);
      // A lone CR at the end may be the first half of CRLF: wait for more.
      if (!m || (m[0] === '\r' && m.index === this.#buf.length - 1)) break;
      const line = this.#buf.slice(0, m.index);
      this.#buf = this.#buf.slice(m.index + m[0].length);
      if (line === '') {
        if (this.#frame.data.length > 0) frames.push({ ...(this.#frame.id !== undefined ? { id: this.#frame.id } : {}), event: this.#frame.event ?? 'message', data: this.#frame.data.join('\n') });
        this.#frame = { data: [] };
        continue;
      }
      if (line.startsWith(':')) continue;
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'data') this.#frame.data.push(value);
      else if (field === 'event') this.#frame.event = value;
      else if (field === 'id') this.#frame.id = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }
    return frames;
  }
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** The NS an event belongs to: the stream's `nsInstanceId`, or an alarm's `managedObjectId`. */
export const eventNs = (e: StreamedEvent): string | undefined => e.nsInstanceId ?? str(e.payload?.managedObjectId);

/** One human line: time, topic, NS (short), VNF, state or severity, details. */
export function eventLine(e: StreamedEvent): string {
  const p = e.payload ?? {};
  let vnf: string | undefined;
  let state: string | undefined;
  let detail = '';
  if (e.topic === 'op.changed') {
    state = str(p.operationState);
    detail = [str(p.lcmOperationType), `op ${str(p.opId) ?? '?'}`].filter(Boolean).join(' ');
  } else if (e.topic === 'ns.changed') {
    state = str(p.state);
    detail = `from ${str(p.previousState) ?? '?'}`;
  } else if (e.topic === 'ns.created' || e.topic === 'ns.deleted') {
    detail = [str(p.nsInstanceName), str(p.nsdInfoId) && `nsd ${String(p.nsdInfoId).slice(0, 8)}`].filter(Boolean).join(' ');
  } else if (e.topic.startsWith('vnf.')) {
    vnf = str(p.vnfId);
    state = e.topic.slice('vnf.'.length);
    detail = [str(p.popId) && `pop ${String(p.popId)}`, str(p.computeId) && `compute ${String(p.computeId).slice(0, 12)}`, p.exitCode !== undefined && `exit ${String(p.exitCode)}`].filter(Boolean).join(' ');
  } else if (e.topic.startsWith('alarm.')) {
    vnf = alarmVnf({ faultDetails: Array.isArray(p.faultDetails) ? (p.faultDetails as string[]) : [] });
    state = str(p.perceivedSeverity);
    detail = `${str(p.probableCause) ?? ''} alarm ${str(p.id) ?? '?'}`.trim();
  } else {
    detail = JSON.stringify(p).slice(0, 120);
  }
  const ns = eventNs(e);
  return [e.time, e.topic.padEnd(13), (ns ? ns.slice(0, 8) : '-').padEnd(8), (vnf ?? '-').padEnd(10), (state ?? '-').padEnd(12), detail].join('  ').trimEnd();
}

interface EventsOptions { follow?: boolean; ns?: string; type?: string; history: boolean; window: string }

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Reads `GET /api/events` until `stop` aborts (follow) or the window after the server's
 * hello passes (no follow). Follow mode reconnects after a lost connection, sending the
 * last event id it printed (`Last-Event-ID`) so the server replays what it missed; the
 * server's ids restart with its process, so a hello whose `lastEventId` is below ours
 * means a restarted server and the stream is reopened from 0 (its whole replay buffer).
 */
async function streamEvents(ctx: CommandContext, o: EventsOptions, stop: AbortController): Promise<void> {
  const url = new URL('/api/events', ctx.client.baseUrl);
  const prefixes = (o.type ?? '').split(',').map((t) => t.trim()).filter((t) => t !== '');
  const windowMs = Number(o.window) * 1000;
  if (!Number.isFinite(windowMs) || windowMs < 0) throw new CliError(`--window ${o.window}: expected seconds`, EXIT.usage, undefined, 'e.g. --window 2');
  const wanted = (e: StreamedEvent) => (o.ns === undefined || eventNs(e) === o.ns) && (prefixes.length === 0 || prefixes.some((p) => e.topic.startsWith(p)));
  const print = (e: StreamedEvent) => ctx.out.out(ctx.json ? JSON.stringify(e) : eventLine(e));

  let lastId: number | undefined = o.history ? 0 : undefined;
  let connected = false;
  /** Reconnecting after a lost stream (told once, not on every attempt). */
  let lost = false;
  let retryMs = 2000;
  // undici's request for its header and body timeouts, loaded only by this command.
  const { request } = await import('undici');
  while (!stop.signal.aborted) {
    const attempt = new AbortController();
    const onStop = () => attempt.abort();
    stop.signal.addEventListener('abort', onStop, { once: true });
    let reopenAtOnce = false;
    let windowTimer: NodeJS.Timeout | undefined;
    try {
      let res;
      try {
        res = await request(url, {
          signal: attempt.signal,
          headers: { ...(await credentialHeaders(ctx.client.baseUrl)), accept: 'text/event-stream', ...(lastId !== undefined ? { 'last-event-id': String(lastId) } : {}) },
          headersTimeout: 10_000,
          // The server sends a heartbeat comment every 15 s: a longer silence is a dead link.
          bodyTimeout: 60_000,
        });
      } catch (e) {
        if (stop.signal.aborted) return;
        const reason = (e as { code?: string; message?: string }).code ?? (e as Error).message;
        if (!connected) throw new CliError(`reading events failed: cannot reach Rondo at ${ctx.client.baseUrl}`, EXIT.usage, reason, 'start it with "rondo serve", or point --url / RONDO_URL at a running server');
        await sleep(retryMs, stop.signal);
        continue;
      }
      if (res.statusCode !== 200) {
        const text = await res.body.text();
        const hint = res.statusCode === 401 ? 'run "rondo login" (or set RONDO_TOKEN or RONDO_API_KEY)' : res.statusCode === 404 ? 'this server has no event stream; upgrade it' : undefined;
        throw new CliError('reading events failed', EXIT.failed, `${res.statusCode}: ${text.slice(0, 300)}`, hint);
      }
      if (lost) ctx.out.err('events: reconnected');
      connected = true;
      lost = false;
      const parser = new SseParser();
      res.body.setEncoding('utf8');
      for await (const chunk of res.body as AsyncIterable<string>) {
        for (const f of parser.push(chunk)) {
          if (f.event === 'rondo.hello') {
            const hello = JSON.parse(f.data) as { lastEventId?: number };
            if (lastId !== undefined && lastId > 0 && typeof hello.lastEventId === 'number' && hello.lastEventId < lastId) {
              ctx.out.err('events: the server restarted; events between its stop and now may be missing');
              lastId = 0;
              reopenAtOnce = true;
              attempt.abort();
              break;
            }
            // From here on everything is new to us, even if no event passes the filters.
            if (lastId === undefined && typeof hello.lastEventId === 'number') lastId = hello.lastEventId;
            if (!o.follow) windowTimer = setTimeout(() => attempt.abort(), windowMs);
            continue;
          }
          if (f.id !== undefined && /^\d+$/.test(f.id)) lastId = Number(f.id);
          let e: StreamedEvent;
          try {
            e = JSON.parse(f.data) as StreamedEvent;
          } catch {
            continue;
          }
          if (wanted(e)) print(e);
        }
        if (reopenAtOnce) break;
      }
      retryMs = parser.retryMs ?? retryMs;
      if (!o.follow && !reopenAtOnce) return;
    } catch (e) {
      if (e instanceof CliError) throw e;
      if (stop.signal.aborted) return;
      if (!o.follow && attempt.signal.aborted && !reopenAtOnce) return; // the window closed
      if (!o.follow && !reopenAtOnce) throw new CliError('reading events failed: the stream broke', EXIT.usage, (e as Error).message, 'try again');
    } finally {
      clearTimeout(windowTimer);
      stop.signal.removeEventListener('abort', onStop);
    }
    if (stop.signal.aborted) return;
    if (!reopenAtOnce) {
      if (!lost) ctx.out.err(`events: connection lost; reconnecting every ${Math.round(retryMs / 1000)} s`);
      lost = true;
      await sleep(retryMs, stop.signal);
    }
  }
}

/** `rondo events [--follow] [--ns <id>] [--type <prefix>]`: the live event stream (`/api/events`). */
export function registerEventsCommands(program: Command, out: Output): void {
  program
    .command('events')
    .description('print lifecycle, VNF and alarm events: the recent ones, or live with --follow')
    .option('-f, --follow', 'keep streaming until Ctrl-C (exit 0), reconnecting if the server restarts')
    .option('--ns <nsInstanceId>', 'only events of this NS instance')
    .option('--type <prefix>', 'only topics starting with this prefix, comma-separated (e.g. vnf.,alarm. or op.changed)')
    .option('--no-history', 'skip the recent events the server still holds; only new ones')
    .option('--window <seconds>', 'without --follow: how long to wait for new events after the recent ones', '1')
    .addHelpText(
      'after',
      `
Without --follow it prints the recent events the server still holds (its replay buffer: the
last 1000 since it started) and whatever arrives within --window seconds, then exits.
With --follow it prints the same recent events (unless --no-history), then new ones until
Ctrl-C (exit 0); after a lost connection it reconnects and asks for the missed events with
Last-Event-ID (the server's ids restart with it: after a restart it starts over from the new
server's first event).

Topics: op.changed (operation state), ns.created, ns.changed (NS state), ns.deleted,
vnf.down, vnf.up, vnf.oom, vnf.unhealthy, alarm.raised, alarm.cleared. Human lines: time, topic, NS (first 8 characters), VNF,
state or severity, details. --json prints one event object per line:
{"id", "topic", "nsInstanceId", "time", "payload"}.`,
    )
    .action(async (o: EventsOptions, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const stop = new AbortController();
      const onSignal = () => stop.abort();
      if (o.follow) {
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
      }
      try {
        await streamEvents(ctx, o, stop);
      } finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
      }
    });
}
