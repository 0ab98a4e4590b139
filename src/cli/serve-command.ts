import type { Command } from 'commander';
import { ConfigError, loadConfig } from '../config/index.js';
import type { ConfigOverrides } from '../config/index.js';
import { startServer } from '../server.js';
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
    .action(async (opts: { port?: string; host?: string; dataDir?: string; databaseUrl?: string }) => {
      const overrides: ConfigOverrides = {
        ...(opts.port !== undefined ? { port: Number(opts.port) } : {}),
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
        ...(opts.databaseUrl ? { databaseUrl: opts.databaseUrl } : {}),
      };
      try {
        await startServer(loadConfig(process.env, overrides), { handleSignals: true });
      } catch (e) {
        if (e instanceof ConfigError) throw new CliError('rondo serve: invalid configuration', EXIT.usage, e.problems.join('\n'), 'fix the flags or environment variables named above');
        const code = (e as NodeJS.ErrnoException).code;
        throw new CliError('rondo serve: the server could not start', EXIT.usage, code ? `${code}: ${(e as Error).message}` : (e as Error).message, code === 'EADDRINUSE' ? 'choose another --port' : undefined);
      }
    });
}
