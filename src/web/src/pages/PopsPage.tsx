import { listPops } from '../api-client.js';
import { useAsync } from '../use-async.js';
import { useEventStream } from '../use-event-stream.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { SystemCard } from '../components/SystemCard.js';

function Meter({ used, total, unit }: { readonly used: number; readonly total: number; readonly unit: string }) {
  const pct = total > 0 ? Math.min(100, Math.round((used / total) * 100)) : 0;
  return (
    <div className="meter" title={`${pct}%`}>
      <div className="progress"><div className={`bar ${pct > 85 ? 'bad' : ''}`} style={{ width: `${pct}%` }} /></div>
      <span>{+used.toFixed(2)} / {total} {unit}</span>
    </div>
  );
}

/** The server's store, bus and plugins, then the PoPs (VIM accounts) with capacity and what the NS instances use of it. */
export function PopsPage() {
  const pops = useAsync(listPops, []);
  // Use changes when VNFs come and go: refresh on operation events.
  useEventStream(undefined, (e) => {
    if (typeof e.payload.operationState === 'string') pops.reload();
  });
  return (
    <div className="page">
      <SystemCard />
      <h2>Points of presence</h2>
      <ErrorBox error={pops.error} />
      <div className="grid">
        {pops.value?.map((p) => (
          <section key={p.id} className="card" data-testid="pop">
            <h3>{p.name} <span className="tag">{p.type}</span></h3>
            <p className="mono muted">{p.endpoint}</p>
            {p.capacity ? (
              <>
                <label>CPU</label>
                <Meter used={p.usage?.cpu ?? 0} total={p.capacity.cpu} unit="vCPU" />
                <label>Memory</label>
                <Meter used={p.usage?.memoryMiB ?? 0} total={p.capacity.memoryMiB} unit="MiB" />
              </>
            ) : (
              <p className="muted">No capacity limit declared{p.usage ? ` · in use: ${p.usage.cpu} vCPU, ${p.usage.memoryMiB} MiB` : ''}.</p>
            )}
          </section>
        ))}
      </div>
      {pops.value?.length === 0 && <p className="muted">No PoPs registered.</p>}
    </div>
  );
}
