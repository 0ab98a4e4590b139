/** Exit codes of `rondo`: 0 ok, 1 invalid input or failed operation, 2 usage, I/O or connection error. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/**
 * An error the CLI reports and exits with: what failed (`message`), why (`reason`),
 * and what to do (`hint`).
 */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly reason?: string,
    readonly hint?: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
