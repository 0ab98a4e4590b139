import { useState } from 'react';
import { healVnf, scaleVnf } from '../api-client.js';
import type { OpView, VnfdModel, VnfView } from '../api-types.js';
import { aspectsOf } from '../vnf-scaling.js';
import type { AspectView } from '../vnf-scaling.js';
import { ErrorBox } from './ErrorBox.js';
import { StateBadge } from './StateBadge.js';

/** What a button of one VNF started: the operation, and which button, for the row to show. */
interface Started {
  readonly opId: string;
  readonly what: string;
}

/**
 * The VNFs of an instantiated NS, one row each: state, PoP, VNFC instances, each scaling
 * aspect's level with Scale out / Scale in (disabled at the aspect's limits where the VNFD
 * gives them), and Heal. A row shows the operation its last click started, live from
 * `ops` (the page reloads those on every event). `enabled` is false while an operation
 * runs on the NS: the API would refuse a second one (409).
 */
export function VnfTable({ nsId, vnfs, vnfds, ops, enabled, onStarted }: {
  readonly nsId: string;
  readonly vnfs: readonly VnfView[];
  readonly vnfds: readonly VnfdModel[] | undefined;
  readonly ops: readonly OpView[] | undefined;
  readonly enabled: boolean;
  readonly onStarted: () => void;
}) {
  const [started, setStarted] = useState<Readonly<Record<string, Started>>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const start = async (vnf: VnfView, what: string, call: () => Promise<string>): Promise<void> => {
    setBusy(vnf.id);
    setError(null);
    try {
      const opId = await call();
      setStarted((s) => ({ ...s, [vnf.id]: { opId, what } }));
      onStarted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  const can = (vnf: VnfView): boolean => enabled && busy === null && vnf.vnfcs.length > 0;
  return (
    <section className="card vnfs">
      <h3>VNFs</h3>
      <ErrorBox error={error} />
      <table data-testid="vnf-table">
        <thead><tr><th>VNF</th><th>state</th><th>PoP</th><th>instances</th><th>scaling</th><th /><th>last action</th></tr></thead>
        <tbody>
          {vnfs.map((v) => {
            const last = started[v.id];
            const op = last ? ops?.find((o) => o.id === last.opId) : undefined;
            return (
              <tr key={v.id} data-testid="vnf-row" data-vnf={v.memberId}>
                <td><b>{v.memberId}</b></td>
                <td><StateBadge state={v.state} /></td>
                <td>{v.popId || '—'}</td>
                <td data-testid="vnfc-count">{v.vnfcs.length}</td>
                <td>
                  {aspectsOf(v, vnfds).map((a) => (
                    <AspectButtons
                      key={a.id}
                      aspect={a}
                      disabled={!can(v)}
                      onScale={(dir) => void start(v, `${dir} ${a.id}`, () => scaleVnf(nsId, v.id, dir, a.id))}
                    />
                  ))}
                  {aspectsOf(v, vnfds).length === 0 && <span className="muted">not scalable</span>}
                </td>
                <td>
                  <button data-testid="heal" disabled={!can(v)} onClick={() => void start(v, 'HEAL', () => healVnf(nsId, v.id, 'healed from the dashboard'))}>Heal</button>
                </td>
                <td data-testid="vnf-last-op" data-op-id={last?.opId}>
                  {last && (
                    <>
                      <span className="mono small">{last.what}</span>{' '}
                      <StateBadge state={op?.operationState ?? 'PROCESSING'} testId="vnf-op-state" />
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** One aspect: its level (of the highest, when known) and the two buttons, each off at its limit. */
function AspectButtons({ aspect: a, disabled, onScale }: {
  readonly aspect: AspectView;
  readonly disabled: boolean;
  readonly onScale: (dir: 'SCALE_OUT' | 'SCALE_IN') => void;
}) {
  const atMax = a.max !== null && a.level >= a.max;
  return (
    <div className="aspect" data-testid="aspect" data-aspect={a.id} data-level={a.level} data-max={a.max ?? ''}>
      <span className="mono">{a.id}</span>{' '}
      <span className="muted" data-testid="scale-level">level {a.level}{a.max !== null ? ` of ${a.max}` : ''}</span>{' '}
      <button data-testid="scale-out" disabled={disabled || atMax} title={atMax ? 'at the highest level of this aspect' : undefined} onClick={() => onScale('SCALE_OUT')}>Scale out</button>{' '}
      <button data-testid="scale-in" disabled={disabled || a.level <= 0} title={a.level <= 0 ? 'at the instantiation level' : undefined} onClick={() => onScale('SCALE_IN')}>Scale in</button>
    </div>
  );
}
