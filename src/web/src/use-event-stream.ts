import { useEffect, useRef, useState } from 'react';
import type { RondoEvent } from './api-types.js';
import { eventsUrl, probeEvents } from './api-client.js';
import { useToken } from './session.js';

/** Connection state of the event stream, shown on the pages that follow it. */
export const STREAM_STATES = ['connecting', 'open', 'closed'] as const;
export type StreamState = (typeof STREAM_STATES)[number];

/**
 * Follows `/api/events` (only `nsInstanceId`'s events when given) with one EventSource and
 * calls `onEvent` for each. The server's first frame (`rondo.hello`) lists the topics; one
 * listener per topic, since EventSource has no wildcard. EventSource reconnects by itself
 * and sends `Last-Event-ID`, so nothing here polls. A new token (sign-in) reconnects.
 */
export function useEventStream(nsInstanceId: string | undefined, onEvent: (e: RondoEvent) => void): StreamState {
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const [state, setState] = useState<StreamState>('connecting');
  const token = useToken();

  useEffect(() => {
    setState('connecting');
    const es = new EventSource(eventsUrl(nsInstanceId));
    const listen = (m: MessageEvent<string>): void => {
      try {
        handler.current(JSON.parse(m.data) as RondoEvent);
      } catch {
        // A frame that is not JSON is not ours; ignore it.
      }
    };
    const known = new Set<string>();
    const hello = (m: MessageEvent<string>): void => {
      const topics = (JSON.parse(m.data) as { topics?: string[] }).topics ?? [];
      for (const t of topics) {
        if (known.has(t)) continue;
        known.add(t);
        es.addEventListener(t, listen);
      }
    };
    es.addEventListener('rondo.hello', hello);
    es.onmessage = listen;
    es.onopen = () => setState('open');
    es.onerror = () => {
      const closed = es.readyState === EventSource.CLOSED;
      setState(closed ? 'closed' : 'connecting');
      // EventSource gives up for good on a non-200 answer without saying which: a 401
      // (token expired or revoked) must bring the sign-in page, so ask once.
      if (closed) void probeEvents(nsInstanceId);
    };
    return () => es.close();
  }, [nsInstanceId, token]);

  return state;
}
