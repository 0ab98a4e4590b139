import { useCallback, useEffect, useRef, useState } from 'react';

/** A load's state: the last good value, the last error, and whether a load runs. */
export interface AsyncState<T> {
  readonly value: T | undefined;
  readonly error: unknown;
  readonly loading: boolean;
  /** Loads again (e.g. on an event); concurrent calls collapse into one follow-up. */
  readonly reload: () => void;
}

/**
 * Runs `load` on mount and when `deps` change, and again on `reload()`. Keeps the last
 * value while reloading, so live updates do not flash. Not a poller: something must call
 * `reload`.
 */
export function useAsync<T>(load: () => Promise<T>, deps: readonly unknown[]): AsyncState<T> {
  const [value, setValue] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const running = useRef(false);
  const again = useRef(false);
  const alive = useRef(true);
  const loadRef = useRef(load);
  loadRef.current = load;

  const run = useCallback(async () => {
    if (running.current) {
      again.current = true;
      return;
    }
    running.current = true;
    setLoading(true);
    do {
      again.current = false;
      try {
        const v = await loadRef.current();
        if (alive.current) {
          setValue(v);
          setError(null);
        }
      } catch (e) {
        if (alive.current) setError(e);
      }
    } while (again.current && alive.current);
    running.current = false;
    if (alive.current) setLoading(false);
  }, []);

  useEffect(() => {
    alive.current = true;
    setValue(undefined);
    void run();
    return () => {
      alive.current = false;
    };
  }, deps);

  return { value, error, loading, reload: () => void run() };
}
