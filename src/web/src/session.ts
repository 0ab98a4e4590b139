/**
 * The signed-in session: the bearer token (memory, mirrored to sessionStorage so a reload
 * keeps it and closing the tab ends it) and what its JWT payload says. The browser never
 * verifies the token — the API does on every call; the claims are only for display.
 */
import { useSyncExternalStore } from 'react';

const TOKEN_KEY = 'rondo.token';
let token: string | null = readStoredToken();
const watchers = new Set<() => void>();

function readStoredToken(): string | null {
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

/** The bearer token in use, or null. */
export const getToken = (): string | null => token;

/** Sets (or with null, forgets) the bearer token and tells the watchers. */
export function setToken(value: string | null): void {
  if (value === token) return;
  token = value;
  try {
    if (value === null) sessionStorage.removeItem(TOKEN_KEY);
    else sessionStorage.setItem(TOKEN_KEY, value);
  } catch {
    // Private mode without storage: the token lives in memory only.
  }
  for (const w of [...watchers]) w();
}

/** Called whenever the token changes; returns the unsubscribe function. */
export function onTokenChange(watcher: () => void): () => void {
  watchers.add(watcher);
  return () => watchers.delete(watcher);
}

/** Who the token says the user is (claims of `src/auth/token-signer.ts`). */
export interface SessionClaims {
  readonly userId: string;
  readonly username: string;
  readonly tenant: string;
  readonly roles: readonly string[];
  /** Expiry, ms since the epoch; null when the token names none. */
  readonly expiresAt: number | null;
}

/** The payload of a JWT as claims; null when the token is not a JWT with a `name`. */
export function decodeClaims(jwt: string): SessionClaims | null {
  const part = jwt.split('.')[1];
  if (!part) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const p = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
    if (typeof p.name !== 'string') return null;
    return {
      userId: typeof p.sub === 'string' ? p.sub : '',
      username: p.name,
      tenant: typeof p.project === 'string' ? p.project : '',
      roles: Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [],
      expiresAt: typeof p.exp === 'number' ? p.exp * 1000 : null,
    };
  } catch {
    return null;
  }
}

/** The current token; re-renders when it changes (sign-in, sign-out, a 401). */
export const useToken = (): string | null => useSyncExternalStore(onTokenChange, getToken);
