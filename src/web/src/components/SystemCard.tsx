import { useEffect } from 'react';
import { ApiError, getSystem, listPlugins } from '../api-client.js';
import type { BusView, PluginAnswer } from '../api-types.js';
import { useAsync } from '../use-async.js';
import { ErrorBox } from './ErrorBox.js';
import { StateBadge } from './StateBadge.js';

/** How often the card asks again: `/readyz` pings the store and reads the bus's flag, the plugin list is one small query. */
const SYSTEM_POLL_MS = 15_000;

function BusLine({ bus }: { readonly bus: BusView | null }) {
  if (!bus) return <span className="muted">not reported by this server</span>;
  if (bus.kind === 'in-process') return <><span className="tag">in-process</span> <span className="muted small">one process; split roles need RabbitMQ</span></>;
  return (
    <>
      <span className="tag">{bus.kind === 'amqp' ? 'RabbitMQ' : bus.kind}</span> <span className="mono">{bus.target}</span>{' '}
      <StateBadge state={bus.connected ? 'connected' : 'disconnected'} testId="system-bus-state" />
      {bus.problem && <div className="error-text small" data-testid="system-bus-problem">{bus.problem}</div>}
    </>
  );
}

function PluginsLine({ plugins, error }: { readonly plugins: readonly PluginAnswer[] | undefined; readonly error: unknown }) {
  if (error) {
    const why = error instanceof ApiError && error.status === 403
      ? 'listing them needs the admin role'
      : error instanceof ApiError ? `${error.code}: ${error.detail}` : String(error);
    return <span className="muted">not visible ({why})</span>;
  }
  if (!plugins) return <span className="muted">…</span>;
  if (plugins.length === 0) return <span className="muted">none registered</span>;
  const active = plugins.filter((p) => p.state === 'ACTIVE').length;
  return <span>{plugins.length} registered · {active} ACTIVE</span>;
}

/**
 * The server's store, event bus and plugins (issue #15, operations): what `rondo doctor`
 * shows, for those who only have the dashboard. Each line fails on its own; the plugin
 * list is for admins, so the others see the bus without it.
 */
export function SystemCard() {
  const system = useAsync(getSystem, []);
  const plugins = useAsync(listPlugins, []);
  useEffect(() => {
    const timer = window.setInterval(() => {
      system.reload();
      plugins.reload();
    }, SYSTEM_POLL_MS);
    return () => window.clearInterval(timer);
  }, []);
  const s = system.value;
  return (
    <section className="card" data-testid="system">
      <h3>System</h3>
      <ErrorBox error={system.error} />
      <table className="system">
        <tbody>
          <tr>
            <th>Store</th>
            <td data-testid="system-store">{s ? (s.store ? <span className="tag">{s.store}</span> : <span className="muted">not reported</span>) : <span className="muted">…</span>}</td>
          </tr>
          <tr>
            <th>Event bus</th>
            <td data-testid="system-bus" data-kind={s?.bus?.kind} data-connected={s?.bus ? String(s.bus.connected) : undefined}>{s ? <BusLine bus={s.bus} /> : <span className="muted">…</span>}</td>
          </tr>
          <tr>
            <th>Plugins</th>
            <td data-testid="system-plugins"><PluginsLine plugins={plugins.value} error={plugins.error} /></td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}
