import { listOps } from '../api-client.js';
import { useAsync } from '../use-async.js';
import { useEventStream } from '../use-event-stream.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { OpCard } from '../components/OpCard.js';

/** Every LCM operation, newest first, with steps, progress, errors and actions. */
export function OpsPage() {
  const ops = useAsync(() => listOps(), []);
  useEventStream(undefined, (e) => {
    if (e.nsInstanceId) ops.reload();
  });
  return (
    <div className="page">
      <h2>Operations</h2>
      <ErrorBox error={ops.error} />
      {ops.value?.length === 0 && <p className="muted">No operations yet.</p>}
      {ops.value?.map((o) => <OpCard key={o.id} op={o} showNs onChanged={() => ops.reload()} />)}
    </div>
  );
}
