import { listNs } from '../api-client.js';
import { useAsync } from '../use-async.js';
import { useEventStream } from '../use-event-stream.js';
import { Link } from '../router.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { StateBadge } from '../components/StateBadge.js';

/** Every NS instance with its state and VNF health; refreshed by events. */
export function NsListPage() {
  const ns = useAsync(listNs, []);
  const stream = useEventStream(undefined, () => ns.reload());
  return (
    <div className="page">
      <div className="ns-head">
        <h2>NS instances</h2>
        <span className={`stream ${stream}`} title="live event stream" data-testid="stream-state">● {stream === 'open' ? 'live' : stream}</span>
      </div>
      <ErrorBox error={ns.error} />
      <section className="card" hidden={!ns.value}>
        {ns.value?.length === 0 && <p className="muted">No NS instances. Create one from an NSD in the <Link to="/catalog">catalog</Link>.</p>}
        {ns.value && ns.value.length > 0 && (
          <table data-testid="ns-list">
            <thead><tr><th>name</th><th>state</th><th>VNFs</th><th>PoPs</th><th>id</th></tr></thead>
            <tbody>
              {ns.value.map((n) => {
                const vnfs = n.vnfs.filter((v) => v.kind === 'vnf');
                const up = vnfs.filter((v) => v.state === 'STARTED').length;
                return (
                  <tr key={n.id} data-testid="ns-row" data-ns-id={n.id}>
                    <td><Link to={`/ns/${n.id}`}>{n.name || n.id}</Link></td>
                    <td><StateBadge state={n.state} /></td>
                    <td>{vnfs.length > 0 ? `${up}/${vnfs.length} started` : '—'}</td>
                    <td>{[...new Set(n.vnfs.map((v) => v.popId).filter(Boolean))].join(', ') || '—'}</td>
                    <td className="mono muted">{n.id}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
