import { authContext, DEFAULT_TENANT } from './roles.js';
import type { AuthContext } from './roles.js';

/** Who every request is in insecure mode: an admin of `default`. */
export const INSECURE_CONTEXT: AuthContext = authContext({
  userId: 'insecure-no-auth',
  user: 'insecure-no-auth',
  tenant: DEFAULT_TENANT,
  roles: ['admin'],
  method: 'insecure',
});

/**
 * The warning the server prints (and logs at `warn`) at start-up when authentication is
 * off. Loud on purpose: it must not go unnoticed in a terminal or a log.
 */
export function insecureModeWarning(listenUrl?: string): string {
  const bar = '!'.repeat(78);
  return [
    bar,
    '!!  AUTHENTICATION IS OFF (--insecure-no-auth / RONDO_INSECURE_NO_AUTH=1)',
    `!!  Every request${listenUrl ? ` to ${listenUrl}` : ''} acts as an ADMIN of tenant "${DEFAULT_TENANT}":`,
    '!!  anyone who can reach this port can deploy, delete and read VIM credentials.',
    '!!  Use it only on a laptop bound to 127.0.0.1. Never expose this server.',
    bar,
  ].join('\n');
}
