import type { Command } from 'commander';
import { ConfigError, ROLES, loadConfig } from '../config/index.js';
import type { ConfigOverrides, Role } from '../config/index.js';
import { CliError, EXIT } from './cli-error.js';

/** `rondo serve`: runs the API server until SIGINT/SIGTERM. */
export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('start the Rondo server (embedded PGlite in --data-dir unless --database-url)')
    .option('--port <port>', 'TCP port (0 = any free port)')
    .option('--host <host>', 'address to listen on')
    .option('--data-dir <dir>', 'data directory (database, packages)')
    .option('--database-url <url>', 'PostgreSQL URL (postgres://…)')
    .option('--role <role>', 'api (HTTP only), worker (runs operations; HTTP health only) or all (default)')
    .option('--amqp-url <url>', 'RabbitMQ URL (amqp://…) for the event bus between processes; needed with split roles (also RONDO_AMQP_URL)')
    .option('--public-url <url>', 'public base URL of the API, for absolute links in SOL005 notifications (also RONDO_PUBLIC_URL)')
    .option('--insecure-no-auth', 'turn authentication OFF: every caller is an admin (local demos only; also RONDO_INSECURE_NO_AUTH=1)')
    .action(async (opts: { port?: string; host?: string; dataDir?: string; databaseUrl?: string; role?: string; amqpUrl?: string; publicUrl?: string; insecureNoAuth?: boolean }) => {
      if (opts.role !== undefined && !(ROLES as readonly string[]).includes(opts.role)) {
        throw new CliError(`rondo serve: unknown role ${opts.role}`, EXIT.usage, `--role takes one of ${ROLES.join(', ')}`, 'use --role api, --role worker or --role all');
      }
      const overrides: ConfigOverrides = {
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
        ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
        ...(opts.role ? { role: opts.role as Role } : {}),
        ...(opts.amqpUrl ? { amqpUrl: opts.amqpUrl } : {}),
        ...(opts.publicUrl ? { publicUrl: opts.publicUrl } : {}),
        ...(opts.insecureNoAuth ? { auth: { insecureNoAuth: true } } : {}),
      };
      try {
        const config = loadConfig(process.env, overrides);
        // Loaded here, not at the top: every other command starts without the server's code.
        const { startServer } = await import('../app/index.js');
        await startServer(config, { handleSignals: true });
      } catch (e) {
        if (e instanceof ConfigError) throw new CliError('rondo serve: invalid configuration', EXIT.usage, e.problems.join('\n'), 'fix the flags or environment variables named above');
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError('rondo serve: the server could not start', EXIT.usage, code ? `${code}: ${(e as Error).message}` : (e as Error).message, code === 'EADDRINUSE' ? 'choose another --port' : code === 'BUS_UNAVAILABLE' ? 'start RabbitMQ, or unset RONDO_AMQP_URL for the in-process bus (one process only)' : undefined);
      }
    });
}
