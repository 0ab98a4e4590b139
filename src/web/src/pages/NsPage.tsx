import { lazy, Suspense, useEffect, useMemo, useRef, useState } from 'react';
import { deleteNs, getNs, instantiateNs, listOps, nsdModel, terminateNs } from '../api-client.js';
import type { NsdModel, OpView, RondoEvent, VnfdModel } from '../api-types.js';
import { useAsync } from '../use-async.js';
import { useEventStream } from '../use-event-stream.js';
import { navigate } from '../router.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { StateBadge } from '../components/StateBadge.js';
import { OpCard } from '../components/OpCard.js';
import { VnfTable } from '../components/VnfTable.js';
import { buildTopology, vnfcKey } from '../topology/topology-model.js';
import type { NodeState, StateOverlay } from '../topology/topology-model.js';
import { structureFromInstances, structureFromModel } from '../topology/nsd-structure.js';

// Cytoscape is most of the dashboard's code and only this page draws a graph: it loads
// with the first topology, not with the app.
const TopologyView = lazy(async () => ({ default: (await import('../topology/TopologyView.js')).TopologyView }));

const ACTIVE = ['PROCESSING', 'ROLLING_BACK', 'FAILED_TEMP'];
const DOWN_TOPICS = ['vnf.down', 'vnf.oom', 'vnf.unhealthy'];

/** How often the page loads again while an operation runs, besides the event stream. */
const OP_POLL_MS = 5_000;

/** The operation still under way (or stopped in FAILED_TEMP), if any. */
const activeOf = (ops: readonly OpView[] | undefined): OpView | undefined => ops?.find((o) => ACTIVE.includes(o.operationState));

/**
 * One NS: its state and actions, the live topology, its operations and a tail of its
 * events. Every event of this NS triggers one coalesced refetch; VNF events also paint
 * the node at once (a dead container is red before the records catch up).
 */
export function NsPage({ id }: { readonly id: string }) {
  const ns = useAsync(() => getNs(id), [id]);
  const ops = useAsync(() => listOps(id), [id]);
  const nsdInfoId = ns.value?.nsdInfoId;
  // Tagged with its NSD: a value left from before the NS loaded must not be drawn.
  const nsd = useAsync(async () => {
    const answer = nsdInfoId ? await nsdModel(nsdInfoId) : null;
    return { nsdInfoId, model: answer?.nsd ?? null, vnfds: answer?.vnfds.map((d) => d.vnfd) ?? [] };
  }, [nsdInfoId]);
  const current = nsd.value && nsd.value.nsdInfoId === nsdInfoId ? nsd.value : undefined;
  const descriptor: NsdModel | null | undefined = current?.model;
  // The scale buttons' limits; without them (no model yet, or it failed) the buttons still work.
  const vnfds: readonly VnfdModel[] | undefined = current?.vnfds;
  const [overlay, setOverlay] = useState<StateOverlay>({});
  const [log, setLog] = useState<RondoEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [readyAfter, setReadyAfter] = useState<number | null>(null);
  const refetch = useRef<number | null>(null);
  const activeOp = activeOf(ops.value);
  const activeRef = useRef(activeOp);
  activeRef.current = activeOp;

  const stream = useEventStream(id, (e) => {
    setLog((l) => [e, ...l].slice(0, 30));
    const p = e.payload;
    const member = typeof p.vnfId === 'string' ? p.vnfId : undefined;
    if (member && e.topic.startsWith('vnf.') && e.topic !== 'vnf.stats') {
      const terminating = activeRef.current?.lcmOperationType === 'TERMINATE';
      // The VIM watcher names the container too: its VNFC instance is painted as well.
      const vnfc = typeof p.computeId === 'string' ? vnfcKey(member, p.computeId) : undefined;
      setOverlay((o) => {
        const next: Record<string, NodeState> = { ...o };
        if (DOWN_TOPICS.includes(e.topic)) {
          next[member] = terminating ? 'stopped' : 'failed';
          if (vnfc) next[vnfc] = next[member];
        } else if (e.topic === 'vnf.up') {
          delete next[member];
          if (vnfc) delete next[vnfc];
        }
        return next;
      });
    }
    if (p.operationState === 'PROCESSING' && typeof p.opId === 'string') setOverlay({});
    // Many events arrive in bursts (one per step): refetch once per burst.
    if (refetch.current === null) {
      refetch.current = window.setTimeout(() => {
        refetch.current = null;
        ns.reload();
        ops.reload();
      }, 120);
    }
  });

  // The stream is best effort: a reconnect past the server's replay buffer, or a proxy that
  // holds frames back, loses events. Load again whenever it (re)opens, and while an
  // operation runs, every few seconds as well, so the page never waits on a lost frame.
  useEffect(() => {
    if (stream === 'open') {
      ns.reload();
      ops.reload();
    }
  }, [stream]);
  const busy = activeOp !== undefined && activeOp.operationState !== 'FAILED_TEMP';
  useEffect(() => {
    if (!busy) return;
    const timer = window.setInterval(() => {
      ns.reload();
      ops.reload();
    }, OP_POLL_MS);
    return () => window.clearInterval(timer);
  }, [busy]);

  const model = useMemo(() => {
    // Wait for the descriptor (or its failure), so the graph does not redraw in another shape.
    if (!ns.value || (descriptor === undefined && !nsd.error)) return null;
    const structure = descriptor ? structureFromModel(descriptor) : structureFromInstances(ns.value.vnfs);
    const live = ns.value.state === 'INSTANTIATED' || activeOp ? overlay : {};
    return buildTopology(structure, ns.value, activeOp, live);
  }, [ns.value, descriptor, nsd.error, activeOp, overlay]);

  const members = model?.nodes.filter((n) => n.kind === 'vnf' || n.kind === 'sap') ?? [];
  const allRunning = members.length > 0 && members.every((n) => n.state === 'running');
  useEffect(() => {
    if (allRunning && startedAt !== null && readyAfter === null) setReadyAfter(Date.now() - startedAt);
  }, [allRunning, startedAt, readyAfter]);

  const run = async (what: () => Promise<unknown>): Promise<void> => {
    setError(null);
    try {
      await what();
      ns.reload();
      ops.reload();
    } catch (e) {
      setError(e);
    }
  };
  const n = ns.value;
  return (
    <div className="page">
      <ErrorBox error={ns.error} />
      {n && (
        <>
          <div className="ns-head">
            <h2>{n.name || n.id}</h2>
            <StateBadge state={n.state} testId="ns-state" />
            <span className={`stream ${stream}`} title="live event stream" data-testid="stream-state">● {stream === 'open' ? 'live' : stream}</span>
            <span className="spacer" />
            {n.state === 'NOT_INSTANTIATED' && !activeOp && (
              <>
                <button
                  data-testid="instantiate"
                  onClick={() => {
                    setStartedAt(Date.now());
                    setReadyAfter(null);
                    setOverlay({});
                    void run(() => instantiateNs(id));
                  }}
                >Instantiate</button>
                <button className="danger" data-testid="delete-ns" onClick={() => void run(async () => { await deleteNs(id); navigate('/ns'); })}>Delete</button>
              </>
            )}
            {n.state === 'INSTANTIATED' && !activeOp && (
              <button className="danger" data-testid="terminate" onClick={() => void run(() => terminateNs(id))}>Terminate</button>
            )}
          </div>
          <p className="muted">
            {n.description} <span className="mono">{n.id}</span>
            {readyAfter !== null && <> · <span data-testid="ready-time">all running {(readyAfter / 1000).toFixed(1)} s after instantiate</span></>}
          </p>
          <ErrorBox error={error} />
          {model && (
            <Suspense fallback={<div className="topology-wrap muted" data-testid="topology-loading">Loading the topology view…</div>}>
              <TopologyView model={model} />
            </Suspense>
          )}
          {n.state === 'INSTANTIATED' && (
            <VnfTable
              nsId={id}
              vnfs={n.vnfs.filter((v) => v.kind === 'vnf')}
              vnfds={vnfds}
              ops={ops.value}
              enabled={!activeOp}
              onStarted={() => {
                ns.reload();
                ops.reload();
              }}
            />
          )}
          <div className="split">
            <section>
              <h3>Operations</h3>
              <ErrorBox error={ops.error} />
              {ops.value?.length === 0 && <p className="muted">No operations yet.</p>}
              {ops.value?.map((o) => <OpCard key={o.id} op={o} onChanged={() => ops.reload()} />)}
            </section>
            <section>
              <h3>Events</h3>
              <ol className="event-log card" data-testid="event-log">
                {log.length === 0 && <li className="muted">Waiting for events…</li>}
                {log.map((e) => (
                  <li key={`${e.id}-${e.topic}`}>
                    <span className="muted">{new Date(e.time).toLocaleTimeString()}</span> <b>{e.topic}</b> {summary(e)}
                  </li>
                ))}
              </ol>
            </section>
          </div>
        </>
      )}
    </div>
  );
}

/** A one-line summary of an event's payload. */
function summary(e: RondoEvent): string {
  const p = e.payload;
  const parts = [p.vnfId, p.operationState, p.lcmOperationType, p.kind, p.target, p.state, p.perceivedSeverity].filter((x) => typeof x === 'string');
  // An INSTANTIATE whose placement skipped PoPs that did not answer says which.
  const skipped = Array.isArray(p.placementSkipped) ? (p.placementSkipped as { popId?: unknown; reason?: unknown }[]) : [];
  for (const s of skipped) parts.push(`PoP ${String(s.popId)} skipped: down (${String(s.reason)})`);
  return parts.join(' · ');
}
