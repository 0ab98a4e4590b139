import type { StylesheetJson } from 'cytoscape';

/** State colours, shared by the graph and its legend. */
export const STATE_COLOURS = { starting: '#9ca3af', running: '#16a34a', failed: '#dc2626', stopped: '#1f2937' } as const;

/** Link colours by kind. */
export const LINK_COLOURS = { 'E-Line': '#2563eb', 'E-LAN': '#9333ea', management: '#94a3b8' } as const;

/** Forwarding-path highlight. */
export const PATH_COLOUR = '#f59e0b';

/** The Cytoscape stylesheet of the topology. */
export const topologyStyle: StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(label)',
      'font-size': 12,
      'font-family': 'system-ui, sans-serif',
      'text-valign': 'bottom',
      'text-margin-y': 6,
      color: '#111827',
    },
  },
  {
    selector: 'node[kind = "pop"]',
    style: {
      shape: 'round-rectangle',
      'background-color': '#f1f5f9',
      'border-color': '#cbd5e1',
      'border-width': 1,
      'text-valign': 'top',
      'text-halign': 'center',
      'text-margin-y': -4,
      'font-weight': 'bold',
      color: '#334155',
      padding: '28px',
    },
  },
  { selector: 'node[kind = "vnf"]', style: { shape: 'round-rectangle', width: 64, height: 42, 'border-width': 2, 'border-color': '#0f172a' } },
  // A VNF with VNFC instances is a compound node: it wraps them, its state a light fill.
  { selector: 'node[kind = "vnf"]:parent', style: { 'background-opacity': 0.3, padding: '6px', 'text-valign': 'bottom', 'text-halign': 'center' } },
  {
    selector: 'node[kind = "vnfc"]',
    style: {
      shape: 'round-rectangle', width: 76, height: 18, 'border-width': 1, 'border-color': '#0f172a',
      'font-size': 10, color: '#fff', 'text-valign': 'center', 'text-margin-y': 0, 'text-outline-width': 0,
    },
  },
  { selector: 'node[kind = "sap"]', style: { shape: 'ellipse', width: 30, height: 30, 'border-width': 2, 'border-color': '#0f172a' } },
  {
    selector: 'node[kind = "lan"]',
    style: { shape: 'diamond', width: 18, height: 18, 'background-color': '#e9d5ff', 'border-color': LINK_COLOURS['E-LAN'], 'border-width': 2, 'font-size': 10, color: '#6b21a8' },
  },
  ...Object.entries(STATE_COLOURS).map(([state, colour]) => ({ selector: `node[state = "${state}"]`, style: { 'background-color': colour } })),
  {
    selector: 'edge',
    style: { width: 3, 'curve-style': 'bezier', 'line-color': LINK_COLOURS['E-Line'], 'target-arrow-shape': 'none', opacity: 0.9 },
  },
  ...Object.entries(LINK_COLOURS).map(([kind, colour]) => ({ selector: `edge[linkKind = "${kind}"]`, style: { 'line-color': colour } })),
  { selector: 'edge[linkKind = "management"]', style: { 'line-style': 'dashed', width: 2 } },
  // A link between PoPs (a VXLAN tunnel between their engines): dotted and thicker.
  { selector: 'edge[?interPop]', style: { 'line-style': 'dotted', width: 4 } },
  { selector: 'edge[?onPath]', style: { width: 5, 'underlay-color': PATH_COLOUR, 'underlay-padding': 5, 'underlay-opacity': 0.8 } },
  { selector: ':selected', style: { 'overlay-color': '#0ea5e9', 'overlay-opacity': 0.25, 'overlay-padding': 6 } },
];
