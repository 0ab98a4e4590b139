import { listAlarms } from '../api-client.js';
import { useAsync } from '../use-async.js';
import { useEventStream } from '../use-event-stream.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { StateBadge } from '../components/StateBadge.js';

/** Alarms (SOL005 NSFM), newest first; refreshed when one is raised or cleared. */
export function AlarmsPage() {
  const alarms = useAsync(listAlarms, []);
  useEventStream(undefined, (e) => {
    if (e.topic.startsWith('alarm.')) alarms.reload();
  });
  return (
    <div className="page">
      <h2>Alarms</h2>
      <ErrorBox error={alarms.error} />
      <section className="card">
        {alarms.value?.length === 0 && <p className="muted">No alarms. All quiet.</p>}
        {alarms.value && alarms.value.length > 0 && (
          <table data-testid="alarms">
            <thead><tr><th>severity</th><th>raised</th><th>object</th><th>cause</th><th>details</th><th>ack</th><th>cleared</th></tr></thead>
            <tbody>
              {alarms.value.map((a) => (
                <tr key={a.id} data-testid="alarm" className={a.alarmClearedTime ? 'cleared' : ''}>
                  <td><StateBadge state={a.alarmClearedTime ? 'CLEARED' : a.perceivedSeverity} /></td>
                  <td>{new Date(a.alarmRaisedTime).toLocaleString()}</td>
                  <td className="mono">{a.managedObjectId}</td>
                  <td>{a.probableCause}</td>
                  <td>{a.faultDetails.join('; ')}</td>
                  <td>{a.ackState}</td>
                  <td>{a.alarmClearedTime ? new Date(a.alarmClearedTime).toLocaleString() : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}
