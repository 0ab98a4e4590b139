/** Colour class of a state name (NS, VNF, operation, alarm severity, event bus). */
export function stateTone(state: string): 'ok' | 'bad' | 'busy' | 'idle' | 'warn' {
  if (['COMPLETED', 'INSTANTIATED', 'STARTED', 'ONBOARDED', 'ENABLED', 'running', 'CLEARED', 'connected'].includes(state)) return 'ok';
  if (['FAILED', 'FAILED_TEMP', 'CRITICAL', 'MAJOR', 'failed', 'disconnected'].includes(state)) return 'bad';
  if (['PROCESSING', 'ROLLING_BACK', 'starting', 'PARTIALLY_COMPLETED'].includes(state)) return 'busy';
  if (['MINOR', 'WARNING', 'ROLLED_BACK'].includes(state)) return 'warn';
  return 'idle';
}

/** A small coloured pill with a state name. */
export function StateBadge({ state, testId }: { readonly state: string; readonly testId?: string }) {
  return <span className={`badge ${stateTone(state)}`} data-testid={testId} data-state={state}>{state || 'unknown'}</span>;
}
