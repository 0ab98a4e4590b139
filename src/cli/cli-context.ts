import type { Command } from 'commander';
import { createApiClient, DEFAULT_URL } from './api-client.js';
import type { ApiClient } from './api-client.js';
import type { Output } from './output.js';

/** What a command handler needs: the output, `--json`, and an API client for `--url`. */
export interface CommandContext {
  readonly out: Output;
  readonly json: boolean;
  readonly client: ApiClient;
}

/** Builds the context from a command's own and global options. */
export function contextOf(cmd: Command, out: Output): CommandContext {
  const o = cmd.optsWithGlobals<{ url?: string; json?: boolean }>();
  return { out, json: Boolean(o.json), client: createApiClient(o.url ?? process.env.RONDO_URL ?? DEFAULT_URL) };
}
