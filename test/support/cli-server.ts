import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../src/store/index.js';
import { pgliteTemplate } from './store.js';

/** The repository root (tests run the CLI from here). */
export const ROOT = join(import.meta.dirname, '..', '..');
/** The built CLI (`npm run build` first). */
export const BUILT_CLI: readonly string[] = [join(ROOT, 'bin', 'rondo')];

/** What one `rondo …` run printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `node <cli> …args`; resolves with exit code and output, never rejects. */
export function runCli(cli: readonly string[], args: readonly string[], opts: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number }): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [...cli, ...args], { cwd: ROOT, env: opts.env, timeout: opts.timeoutMs ?? 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 99) : 0, stdout, stderr });
    });
    child.stdin?.end(opts.input ?? '');
  });
}

/** A `rondo serve` child process. */
export interface CliServer {
  readonly proc: ChildProcess;
  readonly url: string;
  /** Everything it printed so far (stdout and stderr). */
  log(): string;
  /** SIGTERM, then waits for the exit; a no-op once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `rondo serve --port <port> --data-dir <dataDir>` and resolves once it says where
 * it listens (a new embedded store is seeded from the test template first); rejects with its output when it exits or is silent for `timeoutMs`.
 */
export async function startCliServer(cli: readonly string[], opts: { env: NodeJS.ProcessEnv; dataDir: string; port?: number; timeoutMs?: number }): Promise<CliServer> {
  // A new embedded store starts from the migrated template instead of running initdb in
  // the server (seconds of CPU per start; the server finds a data directory and opens it).
  const db = join(opts.dataDir, 'db');
  if (!opts.env.DATABASE_URL && !existsSync(db)) await (await openStore({ kind: 'pglite', dataDir: db, loadDataDir: await pgliteTemplate() })).close();
  const proc = spawn(process.execPath, [...cli, 'serve', '--port', String(opts.port ?? 0), '--data-dir', opts.dataDir], { cwd: ROOT, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), opts.timeoutMs ?? 120_000);
    const onData = (b: Buffer) => {
      log += b.toString();
      const m = /Rondo listening on (http:\/\/[^"\s]+)/.exec(log);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({ proc, url: m[1], log: () => log, stop });
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);
    proc.once('exit', (c) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${c}:\n${log}`));
    });
  });
}
