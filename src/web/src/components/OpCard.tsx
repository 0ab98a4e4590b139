import { useState } from 'react';
import { opAction } from '../api-client.js';
import type { OpAction, OpView } from '../api-types.js';
import { ErrorBox } from './ErrorBox.js';
import { StateBadge } from './StateBadge.js';
import { Link } from '../router.js';

/** Which actions SOL005 allows in a state (§6.4.11–6.4.15: retry/rollback/fail need FAILED_TEMP). */
export function allowedActions(op: OpView): OpAction[] {
  if (op.operationState === 'FAILED_TEMP') return ['retry', 'rollback', 'fail'];
  if ((op.operationState === 'PROCESSING' || op.operationState === 'ROLLING_BACK') && !op.isCancelPending) return ['cancel'];
  return [];
}

const since = (iso: string): string => {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? '' : new Date(t).toLocaleTimeString();
};

/** One operation: type, state, progress over its steps, errors, and its actions. */
export function OpCard({ op, showNs = false, onChanged }: { readonly op: OpView; readonly showNs?: boolean; readonly onChanged: () => void }) {
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<OpAction | null>(null);
  const done = op.steps.filter((s) => s.state === 'DONE' || s.state === 'UNDONE').length;
  const total = op.steps.length;
  const pct = total > 0 ? Math.round((done / total) * 100) : op.operationState === 'COMPLETED' ? 100 : 0;
  const act = async (a: OpAction): Promise<void> => {
    setBusy(a);
    setError(null);
    try {
      await opAction(op.id, a);
      onChanged();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };
  return (
    <div className="card op" data-testid="op" data-op-id={op.id} data-op-state={op.operationState}>
      <div className="op-head">
        <b>{op.lcmOperationType}</b> <StateBadge state={op.operationState} testId="op-state" />
        {op.isCancelPending && <span className="tag">cancel pending</span>}
        <span className="muted"> started {since(op.startTime)} · {op.operationState.toLowerCase()} since {since(op.statusEnteredTime)}</span>
        {showNs && <> · NS <Link to={`/ns/${op.nsInstanceId}`}>{op.nsInstanceId.slice(0, 8)}</Link></>}
        <span className="spacer" />
        {allowedActions(op).map((a) => (
          <button key={a} onClick={() => void act(a)} disabled={busy !== null} data-testid={`op-${a}`} className={a === 'rollback' || a === 'fail' ? 'danger' : ''}>
            {busy === a ? `${a}…` : a}
          </button>
        ))}
      </div>
      <div className="progress" title={`${done}/${total} steps`}>
        <div className={`bar ${op.operationState === 'FAILED_TEMP' || op.operationState === 'FAILED' ? 'bad' : ''}`} style={{ width: `${pct}%` }} />
      </div>
      {op.error && <div className="error">{op.error.code ? `${op.error.code}: ` : ''}{op.error.detail ?? op.error.title}</div>}
      <ErrorBox error={error} />
      {total > 0 && (
        <details open={op.operationState !== 'COMPLETED'}>
          <summary>{done}/{total} steps</summary>
          <table className="steps">
            <thead><tr><th>phase</th><th>step</th><th>target</th><th>PoP</th><th>state</th></tr></thead>
            <tbody>
              {op.steps.map((s) => (
                <tr key={s.id} data-testid="step" data-step-state={s.state}>
                  <td>{s.phase}</td>
                  <td>{s.kind}</td>
                  <td className="mono">{s.target}</td>
                  <td>{s.popId}</td>
                  <td>
                    <StateBadge state={s.state === 'DONE' ? 'COMPLETED' : s.state === 'RUNNING' ? 'PROCESSING' : s.state} />
                    {s.error && <div className="error-text small">{s.error.code}: {s.error.detail}</div>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
