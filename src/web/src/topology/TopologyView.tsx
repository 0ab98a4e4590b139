import { useEffect, useRef, useState } from 'react';
import cytoscape from 'cytoscape';
import type { Core, ElementDefinition } from 'cytoscape';
import type { TopologyModel, TopoEdge, TopoNode } from './topology-model.js';
import { topologyStyle, STATE_COLOURS, LINK_COLOURS, PATH_COLOUR } from './topology-style.js';

declare global {
  interface Window {
    /** The topology on screen, for tests and the curious: node ids, kinds, states; edges. */
    __rondoTopology?: {
      nodes: { id: string; kind: string; state: string | null; parent: string | null }[];
      edges: { id: string; source: string; target: string; linkKind: string; onPath: boolean; interPop: boolean }[];
    };
  }
}

type Inspected = { kind: 'node'; node: TopoNode } | { kind: 'edge'; edge: TopoEdge };

const nodeData = (n: TopoNode): Record<string, unknown> => ({
  id: n.id, label: n.label, kind: n.kind, state: n.state ?? null, parent: n.parent, addresses: n.addresses,
});
const edgeData = (e: TopoEdge): Record<string, unknown> => ({
  id: e.id, source: e.source, target: e.target, linkKind: e.linkKind, onPath: e.onPath, interPop: e.interPop, linkId: e.linkId, addr: e.label,
});

/** Applies a model to a graph: updates data in place, adds and removes what changed. */
function sync(cy: Core, model: TopologyModel): boolean {
  const want = new Set([...model.nodes.map((n) => n.id), ...model.edges.map((e) => e.id)]);
  let added = false;
  cy.batch(() => {
    cy.elements().filter((el) => !want.has(el.id())).remove();
    const adds: ElementDefinition[] = [];
    // Parents first: a child added before its compound parent is orphaned (PoPs hold
    // members, VNFs hold their VNFC instances).
    const depth = (n: TopoNode): number => (n.kind === 'pop' ? 0 : n.kind === 'vnfc' ? 2 : 1);
    for (const n of [...model.nodes].sort((a, b) => depth(a) - depth(b))) {
      const el = cy.getElementById(n.id);
      if (el.nonempty() && el.data('parent') === n.parent) el.data(nodeData(n));
      else {
        el.remove();
        adds.push({ group: 'nodes', data: nodeData(n), ...(n.position ? { position: { ...n.position } } : {}) });
      }
    }
    for (const e of model.edges) {
      const el = cy.getElementById(e.id);
      if (el.nonempty()) el.data(edgeData(e));
      else adds.push({ group: 'edges', data: edgeData(e) });
    }
    if (adds.length > 0) {
      cy.add(adds);
      added = true;
    }
  });
  return added;
}

/**
 * The live NS topology (Cytoscape): PoPs as compound nodes, VNFs (boxes holding one small
 * box per VNFC instance) and SAPs (circles) inside, E-LAN hubs as diamonds, edges coloured by link kind, forwarding paths glowing.
 * Hover or tap an element to see its addresses. Mirrors the graph to
 * `window.__rondoTopology`.
 */
export function TopologyView({ model }: { readonly model: TopologyModel }) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<Core | null>(null);
  const modelRef = useRef(model);
  modelRef.current = model;
  const [hovered, setHovered] = useState<Inspected | null>(null);
  const [pinned, setPinned] = useState<Inspected | null>(null);

  useEffect(() => {
    if (!box.current) return;
    const cy = cytoscape({ container: box.current, style: topologyStyle, layout: { name: 'preset' }, wheelSensitivity: 0.3, minZoom: 0.3, maxZoom: 2.5 });
    cyRef.current = cy;
    const inspect = (id: string): Inspected | null => {
      const n = modelRef.current.nodes.find((x) => x.id === id);
      if (n) return { kind: 'node', node: n };
      const e = modelRef.current.edges.find((x) => x.id === id);
      return e ? { kind: 'edge', edge: e } : null;
    };
    cy.on('mouseover', 'node, edge', (ev) => setHovered(inspect(ev.target.id())));
    cy.on('mouseout', 'node, edge', () => setHovered(null));
    cy.on('tap', (ev) => setPinned(ev.target === cy ? null : inspect(ev.target.id())));
    return () => {
      cy.destroy();
      cyRef.current = null;
      delete window.__rondoTopology;
    };
  }, []);

  useEffect(() => {
    const cy = cyRef.current;
    if (!cy) return;
    if (sync(cy, model)) {
      cy.layout({ name: 'preset', fit: false }).run();
      cy.fit(undefined, 30);
    }
    window.__rondoTopology = {
      nodes: model.nodes.map((n) => ({ id: n.id, kind: n.kind, state: n.state ?? null, parent: n.parent ?? null })),
      edges: model.edges.map((e) => ({ id: e.id, source: e.source, target: e.target, linkKind: e.linkKind, onPath: e.onPath, interPop: e.interPop })),
    };
  }, [model]);

  const shown = hovered ?? pinned;
  const running = model.nodes.filter((n) => n.state === 'running').length;
  const members = model.nodes.filter((n) => n.kind === 'vnf' || n.kind === 'sap').length;
  const vnfcs = model.nodes.filter((n) => n.kind === 'vnfc').length;
  return (
    <div className="topology-wrap">
      <div
        ref={box}
        className="topology"
        data-testid="topology"
        data-running={running}
        data-members={members}
        data-vnfcs={vnfcs}
        data-all-running={members > 0 && running === members ? 'true' : 'false'}
      />
      <aside className="topology-side">
        <Legend />
        <div className="inspect" data-testid="topology-inspect">
          {shown ? <InspectBox item={shown} /> : <p className="muted">Hover or tap a node or link to see its addresses.</p>}
        </div>
      </aside>
    </div>
  );
}

function InspectBox({ item }: { readonly item: Inspected }) {
  if (item.kind === 'edge') {
    const e = item.edge;
    return (
      <>
        <h4>link {e.linkId}</h4>
        <p>{e.linkKind}{e.onPath ? ' · on forwarding path' : ''}{e.interPop ? ' · between PoPs (VXLAN tunnel)' : ''}</p>
        <p className="mono">{e.label || 'no addresses yet'}</p>
      </>
    );
  }
  const n = item.node;
  return (
    <>
      <h4>{n.kind === 'pop' ? `PoP ${n.label}` : n.kind === 'vnfc' ? `VNFC instance ${n.label}` : `${n.kind.toUpperCase()} ${n.label}`}</h4>
      {n.state && <p>state: <b style={{ color: STATE_COLOURS[n.state] }}>{n.state}</b></p>}
      {n.addresses.length > 0 ? <ul className="mono">{n.addresses.map((a) => <li key={a}>{a}</li>)}</ul> : n.kind !== 'pop' && <p className="muted">no addresses yet</p>}
    </>
  );
}

function Legend() {
  return (
    <div className="legend">
      {Object.entries(STATE_COLOURS).map(([s, c]) => (
        <span key={s}><i className="dot" style={{ background: c }} />{s}</span>
      ))}
      {Object.entries(LINK_COLOURS).map(([k, c]) => (
        <span key={k}><i className="bar" style={{ background: c }} />{k}</span>
      ))}
      <span><i className="bar" style={{ background: PATH_COLOUR }} />forwarding path</span>
    </div>
  );
}
