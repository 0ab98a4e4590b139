/**
 * Reads settings from an environment, collecting one message per wrong value instead of
 * stopping at the first, so `rondo serve` can list every mistake at once.
 */
export interface EnvReader {
  /** The raw value, `undefined` when unset or empty. */
  raw(name: string): string | undefined;
  /** An integer in `[min, max]`; the fallback when unset or wrong. */
  int(name: string, fallback: number, min: number, max: number): number;
  /** A finite number in `[min, max]`; the fallback when unset or wrong. */
  num(name: string, fallback: number, min: number, max: number): number;
  /** One of `list`; the fallback when unset or wrong. */
  oneOf<T extends string>(name: string, list: readonly T[], fallback: T): T;
  /** `1/true/yes/on` (any case) is true, `0/false/no/off` false; the fallback when unset or wrong. */
  bool(name: string, fallback: boolean): boolean;
  /** A comma-separated list, trimmed, empty entries dropped; `null` when unset or blank. */
  list(name: string): string[] | null;
  /** Records a problem found by a caller's own check. */
  problem(message: string): void;
  /** Every problem recorded so far. */
  readonly problems: readonly string[];
}

const TRUE = ['1', 'true', 'yes', 'on'];
const FALSE = ['0', 'false', 'no', 'off'];

/** An {@link EnvReader} over `env`. */
export function envReader(env: NodeJS.ProcessEnv): EnvReader {
  const problems: string[] = [];
  const raw = (name: string): string | undefined => {
    const v = env[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const ranged = (integer: boolean) => (name: string, fallback: number, min: number, max: number): number => {
    const v = raw(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!(integer ? Number.isInteger(n) : Number.isFinite(n)) || n < min || n > max) {
      problems.push(`${name}=${v}: expected ${integer ? 'an integer' : 'a number'} from ${min} to ${max}`);
      return fallback;
    }
    return n;
  };
  return {
    raw,
    int: ranged(true),
    num: ranged(false),
    oneOf<T extends string>(name: string, list: readonly T[], fallback: T): T {
      const v = raw(name);
      if (v === undefined) return fallback;
      if (!(list as readonly string[]).includes(v)) {
        problems.push(`${name}=${v}: expected one of ${list.join(', ')}`);
        return fallback;
      }
      return v as T;
    },
    bool(name, fallback) {
      const v = raw(name)?.toLowerCase();
      if (v === undefined) return fallback;
      if (TRUE.includes(v)) return true;
      if (FALSE.includes(v)) return false;
      problems.push(`${name}=${v}: expected 1 or 0 (true/false, yes/no, on/off)`);
      return fallback;
    },
    list(name) {
      const v = env[name];
      return v === undefined || v.trim() === '' ? null : v.split(',').map((s) => s.trim()).filter((s) => s !== '');
    },
    problem: (message) => void problems.push(message),
    problems,
  };
}
