import type { ComputeInfo, ExecResult } from '../vim-driver.js';

/** What the fake knows when it runs a command "inside" a compute. */
export interface MemoryExecContext {
  readonly compute: ComputeInfo;
  /** Whether `address` answers from this compute (same network, target running). */
  reachable(address: string): boolean;
}

/** One exec the fake ran, kept so tests can inspect what the lifecycle did. */
export interface MemoryExecRecord {
  readonly computeId: string;
  readonly computeName: string;
  readonly cmd: readonly string[];
  readonly result: ExecResult;
  readonly at: Date;
}

/**
 * Answers an exec; return `undefined` to fall back to the built-in simulation
 * ({@link simulateExec}).
 */
export type MemoryExecHandler = (cmd: readonly string[], ctx: MemoryExecContext) => ExecResult | undefined;

const done = (exitCode: number, stdout = '', stderr = ''): ExecResult => ({ exitCode, stdout, stderr });

/**
 * A tiny deterministic stand-in for a shell, enough for the compliance suite and for
 * lifecycle tests: `true`, `false`, `echo`, `hostname`, `sh -c 'exit N'`,
 * `sh -c '<simple command>'`, `ping ... <address>` (exit 0 only when reachable on a
 * shared network), `ip ...` and anything else succeed with empty output.
 */
export function simulateExec(cmd: readonly string[], ctx: MemoryExecContext): ExecResult {
  const [program, ...args] = cmd;
  switch (program) {
    case undefined:
      return done(126, '', 'empty command\n');
    case 'true':
      return done(0);
    case 'false':
      return done(1);
    case 'echo':
      return done(0, `${args.join(' ')}\n`);
    case 'hostname':
      return done(0, `${ctx.compute.name}\n`);
    case 'sh':
    case '/bin/sh': {
      if (args[0] !== '-c' || args[1] === undefined) return done(0);
      const script = args[1].trim();
      const exit = /^exit\s+(\d+)$/.exec(script);
      if (exit?.[1] !== undefined) return done(Number(exit[1]) % 256);
      if (/[;&|<>$`'"()]/.test(script)) return done(0);
      return simulateExec(script.split(/\s+/), ctx);
    }
    case 'ping': {
      const target = args.at(-1) ?? '';
      return ctx.reachable(target)
        ? done(0, `PING ${target}: 1 packets transmitted, 1 packets received\n`)
        : done(1, `PING ${target}: 1 packets transmitted, 0 packets received\n`);
    }
    default:
      return done(0);
  }
}
