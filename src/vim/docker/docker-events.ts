import { LABEL_NS, LABEL_POP } from '../vim-driver.js';
import type { Labels, VimEvent } from '../vim-driver.js';
import type { DockerLike } from './docker-like.js';

interface DockerEvent {
  Type?: string;
  Action?: string;
  time?: number;
  timeNano?: number;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

/** Event attributes Docker adds beside the container's labels. */
const NOT_LABELS = new Set(['name', 'image', 'exitCode', 'signal', 'execDuration']);

/** Turns one Docker container event into a {@link VimEvent}, or null when not one we report. */
export function toVimEvent(e: DockerEvent): VimEvent | null {
  const computeId = e.Actor?.ID;
  if (e.Type !== 'container' || computeId === undefined || e.Action === undefined) return null;
  const attrs = e.Actor?.Attributes ?? {};
  const labels: Labels = Object.fromEntries(Object.entries(attrs).filter(([k]) => !NOT_LABELS.has(k)));
  const at = new Date(e.timeNano !== undefined ? Math.floor(e.timeNano / 1e6) : (e.time ?? 0) * 1000);
  // The container name rides along, so a VES backlog naming the VM matches the event itself.
  const base = { computeId, labels, at, ...(attrs.name ? { computeName: attrs.name } : {}) };
  if (e.Action === 'die') {
    const code = Number(attrs.exitCode);
    return { type: 'compute.died', ...base, ...(Number.isInteger(code) ? { exitCode: code } : {}) };
  }
  if (e.Action === 'oom') return { type: 'compute.oom', ...base };
  if (e.Action === 'start') return { type: 'compute.started', ...base };
  if (e.Action.startsWith('health_status')) return { type: 'compute.health', ...base, healthy: e.Action.endsWith('healthy') && !e.Action.endsWith('unhealthy') };
  return null;
}

/** Splits a stream of concatenated JSON documents (one per line) into objects. */
async function* jsonLines(stream: NodeJS.ReadableStream): AsyncGenerator<DockerEvent> {
  let buffer = '';
  for await (const chunk of stream as AsyncIterable<Buffer | string>) {
    buffer += chunk.toString();
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line) yield JSON.parse(line) as DockerEvent;
    }
  }
}

/**
 * Docker's events API filtered to containers labelled `rondo.ns` (and this PoP), mapped
 * to {@link VimEvent}s. Starts at the moment `watch` is called (events during the first
 * connect are not lost), reconnects with back-off from the last event seen, and ends
 * normally when `signal` aborts.
 */
export async function* dockerEvents(docker: DockerLike, popId: string | undefined, signal: AbortSignal, now: () => Date): AsyncGenerator<VimEvent> {
  const labelFilter = [LABEL_NS, ...(popId === undefined ? [] : [`${LABEL_POP}=${popId}`])];
  // Remote engines' clocks may differ: ask from this second, then dedupe by what was seen.
  let sinceSeconds = Math.floor(now().getTime() / 1000);
  let lastNano = 0;
  const seenAtLast = new Set<string>();
  let backoff = 100;
  while (!signal.aborted) {
    try {
      const stream = await docker.getEvents({
        since: sinceSeconds,
        filters: { type: ['container'], label: labelFilter, event: ['die', 'oom', 'start', 'health_status'] },
        abortSignal: signal,
      });
      backoff = 100;
      for await (const raw of jsonLines(stream)) {
        const nano = raw.timeNano ?? (raw.time ?? 0) * 1e9;
        const key = `${raw.Actor?.ID}/${raw.Action}`;
        // `since` has second granularity: a reconnect replays that second; skip repeats.
        if (nano < lastNano || (nano === lastNano && seenAtLast.has(key))) continue;
        if (nano > lastNano) seenAtLast.clear();
        lastNano = nano;
        sinceSeconds = Math.floor(nano / 1e9);
        seenAtLast.add(key);
        const event = toVimEvent(raw);
        if (event) yield event;
      }
    } catch {
      // Engine restarted or the connection dropped: reconnect below unless aborted.
    }
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, backoff);
      signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
    });
    backoff = Math.min(backoff * 2, 5000);
  }
}
