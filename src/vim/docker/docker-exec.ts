import { Writable } from 'node:stream';
import type { ExecResult } from '../vim-driver.js';
import type { DockerContainerLike, DockerLike } from './docker-like.js';

/** Collects a stream's chunks as text. */
class TextSink extends Writable {
  readonly #chunks: Buffer[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: (error?: Error | null) => void): void {
    this.#chunks.push(chunk);
    done();
  }
  get text(): string {
    return Buffer.concat(this.#chunks).toString('utf8');
  }
}

/**
 * Runs `cmd` in a running container: exec create, hijacked start, stdout/stderr demuxed
 * from Docker's multiplexed stream, then the exit code from exec inspect. Dockerode
 * errors propagate unchanged (the driver wraps them).
 */
export async function runExec(docker: DockerLike, container: DockerContainerLike, cmd: readonly string[], signal: AbortSignal): Promise<ExecResult> {
  const exec = await container.exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true, abortSignal: signal });
  const stream = await exec.start({ hijack: true, stdin: false, abortSignal: signal });
  const stdout = new TextSink();
  const stderr = new TextSink();
  docker.modem.demuxStream(stream, stdout, stderr);
  await new Promise<void>((resolve, reject) => {
    const destroy = (): void => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve();
    };
    signal.addEventListener('abort', destroy, { once: true });
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  signal.throwIfAborted();
  // The stream can end a moment before Docker records the exit code.
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect({ abortSignal: signal });
    if (!info.Running && info.ExitCode !== null) return { exitCode: info.ExitCode, stdout: stdout.text, stderr: stderr.text };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`exec ${cmd.join(' ')} has not reported an exit code`);
}

/** One argument for `sh -c`: as is when it is plain, else single-quoted. */
export const shellQuote = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`);

const FAILED_MARK = 'rondo-exec-failed:';

/**
 * One `sh -c` script running `commands` in order and stopping at the first that fails,
 * whose index it writes to stderr after {@link FAILED_MARK} (see {@link failedIndex}).
 */
export function execAllScript(commands: readonly (readonly string[])[]): string {
  return commands.map((c, i) => `${c.map(shellQuote).join(' ')} || { rc=$?; echo "${FAILED_MARK}${i}" >&2; exit $rc; }`).join('\n');
}

/** The index of the command that failed, and stderr without the mark. */
export function failedIndex(stderr: string): { index: number | undefined; stderr: string } {
  const m = new RegExp(`${FAILED_MARK}(\\d+)\\n?`).exec(stderr);
  return { index: m ? Number(m[1]) : undefined, stderr: m ? stderr.replace(m[0], '') : stderr };
}
