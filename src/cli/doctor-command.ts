import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, stat, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Command } from 'commander';
import type Dockerode from 'dockerode';
import type { ApiClient } from './api-client.js';
import { contextOf } from './cli-context.js';
import { CliError } from './cli-error.js';
import { printJson } from './output.js';
import type { Output } from './output.js';

/** The outcome of one doctor check. */
export interface DoctorCheck {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
  /** What to do about a warn or fail. */
  readonly fix?: string;
}

/** Images the Docker driver starts VNFs and SAPs from (built locally, never pulled). */
export const VNF_IMAGES = ['vnf/busybox:latest', 'vnf/sap:latest'] as const;
const DOCKER_FIX = 'apt-get install -y docker.io; dockerd --iptables=false &  (or point DOCKER_HOST at a running engine)';
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]', '::1', '0.0.0.0']);

const why = (e: unknown): string => {
  if (e instanceof CliError) return e.reason ?? e.message;
  const x = e as { code?: string; message?: string };
  return x.message ?? x.code ?? String(e);
};

function checkNode(): DoctorCheck {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', detail: `Node.js ${process.version}` }
    : { name: 'node', status: 'fail', detail: `Node.js ${process.version} is older than 20`, fix: 'install Node.js 20 or newer' };
}

/** The server (`/healthz`), its store and event bus (`/readyz`) and each PoP (`POST /admin/v1/vims/{id}/check`). */
async function checkServer(client: ApiClient): Promise<DoctorCheck[]> {
  try {
    await client.get('reaching the server', '/healthz');
  } catch (e) {
    return [
      { name: 'server', status: 'fail', detail: `no answer at ${client.baseUrl}: ${why(e)}`, fix: 'start it with "rondo serve" (or "make demo"), or point --url / RONDO_URL at the running server' },
      { name: 'PoPs', status: 'warn', detail: 'not checked: the server does not answer', fix: 'fix the server first' },
    ];
  }
  const checks: DoctorCheck[] = [{ name: 'server', status: 'ok', detail: `Rondo answers at ${client.baseUrl}` }];
  try {
    const ready = await client.get<{ store?: string; bus?: { kind: string; target: string } }>('checking the store', '/readyz');
    checks.push({ name: 'store', status: 'ok', detail: `the database answers (/readyz${ready.store ? `, ${ready.store}` : ''})` });
    if (ready.bus) {
      checks.push(
        ready.bus.kind === 'amqp'
          ? { name: 'event bus', status: 'ok', detail: `RabbitMQ at ${ready.bus.target} is connected` }
          : { name: 'event bus', status: 'ok', detail: 'in-process (one process; split roles need RONDO_AMQP_URL on every process)' },
      );
    }
  } catch (e) {
    if (why(e).includes('BUS_UNAVAILABLE')) {
      checks.push({ name: 'store', status: 'ok', detail: 'the database answers' });
      checks.push({ name: 'event bus', status: 'fail', detail: why(e), fix: 'start RabbitMQ (or check RONDO_AMQP_URL of the server); Rondo reconnects by itself' });
    } else {
      checks.push({ name: 'store', status: 'fail', detail: why(e), fix: 'check DATABASE_URL (PostgreSQL running and reachable) or the data directory of the server; its log says more' });
    }
  }
  let vims: { id: string; type: string; endpoint: string }[];
  try {
    vims = await client.get('listing PoPs', '/admin/v1/vims');
  } catch (e) {
    checks.push({ name: 'PoPs', status: 'fail', detail: why(e), fix: (e instanceof CliError && e.hint) || 'see the server log' });
    return checks;
  }
  if (vims.length === 0) {
    checks.push({ name: 'PoPs', status: 'warn', detail: 'no PoP is registered: nothing can be instantiated', fix: 'rondo vim add dc1 --type docker' });
    return checks;
  }
  const results = await Promise.all(
    vims.map(async (v): Promise<DoctorCheck> => {
      const name = `PoP ${v.id}`;
      try {
        const r = (await client.post<{ version?: string }>(`checking PoP ${v.id}`, `/admin/v1/vims/${encodeURIComponent(v.id)}/check`)).body;
        return { name, status: 'ok', detail: `${v.type} ${v.endpoint} answers${r.version ? ` (${r.version})` : ''}` };
      } catch (e) {
        const problem = (e instanceof CliError ? e.details : undefined) as { code?: string; tlsProblem?: string; tlsSide?: string } | undefined;
        const fix = problem?.code === 'VIM_TLS'
          ? `${problem.tlsSide === 'server' ? "the engine's certificate" : "the account's client certificate or key"} (${problem.tlsProblem ?? 'TLS'}): fix the certificates, then add the PoP again ("rondo vim remove ${v.id}"; "rondo vim add ${v.id} --tls-ca … --tls-cert … --tls-key …")`
          : v.type === 'docker' ? `start the Docker engine at ${v.endpoint} (${DOCKER_FIX})` : `check its endpoint and credentials ("rondo vim show ${v.id}"), or remove it with "rondo vim remove ${v.id}"`;
        return { name, status: 'fail', detail: `${v.type} ${v.endpoint}: ${why(e)}`, fix };
      }
    }),
  );
  return [...checks, ...results];
}

/** The Docker engine (`RONDO_DOCKER_ENDPOINT`, `DOCKER_HOST` or the local socket) and the VNF images on it. */
async function checkDocker(): Promise<DoctorCheck[]> {
  const endpoint = process.env.RONDO_DOCKER_ENDPOINT || process.env.DOCKER_HOST || 'unix:///var/run/docker.sock';
  let docker: Dockerode;
  try {
    // Loaded only when the check runs: the other commands start without dockerode.
    const [{ default: Docker }, { dockerConnection }] = await Promise.all([import('dockerode'), import('../vim/docker/docker-vim-driver.js')]);
    docker = new Docker({ ...dockerConnection('doctor', endpoint), timeout: 5000 });
  } catch (e) {
    return [{ name: 'docker', status: 'fail', detail: `${endpoint}: ${why(e)}`, fix: 'set DOCKER_HOST to unix:///path/docker.sock or tcp://host:2375' }];
  }
  let version: { Version?: string; ApiVersion?: string };
  try {
    version = await docker.version();
  } catch (e) {
    return [
      { name: 'docker', status: 'fail', detail: `no Docker engine at ${endpoint}: ${why(e)}`, fix: DOCKER_FIX },
      ...VNF_IMAGES.map((i): DoctorCheck => ({ name: `image ${i}`, status: 'warn', detail: 'not checked: Docker does not answer', fix: 'fix Docker first' })),
    ];
  }
  const checks: DoctorCheck[] = [{ name: 'docker', status: 'ok', detail: `Docker ${version.Version ?? '?'} (API ${version.ApiVersion ?? '?'}) at ${endpoint}` }];
  for (const image of VNF_IMAGES) {
    try {
      const info = await docker.getImage(image).inspect();
      const rev = info.Config?.Labels?.['rondo.image.rev'];
      checks.push({ name: `image ${image}`, status: 'ok', detail: `present (${info.Id.slice(7, 19)}${rev ? `, rev ${rev}` : ''})` });
    } catch (e) {
      const missing = (e as { statusCode?: number }).statusCode === 404;
      checks.push({ name: `image ${image}`, status: 'fail', detail: missing ? 'missing' : why(e), fix: 'bash scripts/build-vnf-images.sh' });
    }
  }
  return checks;
}

/** The data directory `rondo serve` would use here: writable, or creatable. */
async function checkDataDir(dir: string): Promise<DoctorCheck> {
  const name = 'data dir';
  const fix = `make ${dir} writable by this user, or choose another with "rondo serve --data-dir <dir>" (RONDO_DATA_DIR)`;
  const exists = await stat(dir).then((s) => s.isDirectory(), () => undefined);
  if (exists === false) return { name, status: 'fail', detail: `${dir} is not a directory`, fix };
  if (exists === undefined) {
    let parent = dirname(dir);
    while (parent !== dirname(parent) && !(await stat(parent).then(() => true, () => false))) parent = dirname(parent);
    return access(parent, constants.W_OK).then(
      (): DoctorCheck => ({ name, status: 'ok', detail: `${dir} does not exist yet; "rondo serve" will create it` }),
      (): DoctorCheck => ({ name, status: 'fail', detail: `${dir} does not exist and ${parent} is not writable`, fix }),
    );
  }
  const probe = join(dir, `.doctor-${randomBytes(4).toString('hex')}`);
  try {
    await writeFile(probe, 'ok');
    await unlink(probe);
    return { name, status: 'ok', detail: `${dir} is writable` };
  } catch (e) {
    return { name, status: 'fail', detail: `${dir}: ${why(e)}`, fix };
  }
}

/** Debian's chromium, for the browser tests only. */
async function checkChromium(): Promise<DoctorCheck> {
  const path = process.env.RONDO_CHROMIUM ?? '/usr/bin/chromium';
  return access(path, constants.X_OK).then(
    (): DoctorCheck => ({ name: 'chromium', status: 'ok', detail: path }),
    (): DoctorCheck => ({ name: 'chromium', status: 'warn', detail: `not found at ${path}; only the dashboard browser tests need it`, fix: 'apt-get install -y chromium (or set RONDO_CHROMIUM)' }),
  );
}

/** Runs every check; the data dir only when the server is on this machine. */
export async function runDoctor(client: ApiClient, dataDir: string): Promise<DoctorCheck[]> {
  const local = LOCAL_HOSTS.has(new URL(client.baseUrl).hostname);
  const [server, docker, dir, chromium] = await Promise.all([checkServer(client), checkDocker(), local ? checkDataDir(dataDir) : undefined, checkChromium()]);
  return [checkNode(), ...server, ...docker, ...(dir ? [dir] : []), chromium];
}

/**
 * `rondo doctor`: checks what Rondo needs and says how to fix each problem. Exit 0 when
 * nothing failed (warnings allowed), 1 otherwise.
 */
export function registerDoctorCommand(program: Command, out: Output): void {
  program
    .command('doctor')
    .description('check Node, the server and its store, Docker and the VNF images, every PoP, the data dir; say how to fix each problem')
    .option('--data-dir <dir>', 'data directory to check when the server is local (env RONDO_DATA_DIR, default ./.rondo)')
    .addHelpText('after', '\nEach check is ok, warn or fail, with a "fix:" line. Exit 0 when no check failed, 1 otherwise.\n--json prints the list: [{"name", "status", "detail", "fix"?}].')
    .action(async (o: { dataDir?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, out);
      const checks = await runDoctor(ctx.client, resolve(o.dataDir ?? process.env.RONDO_DATA_DIR ?? '.rondo'));
      const failed = checks.filter((c) => c.status === 'fail').length;
      if (ctx.json) printJson(out, checks);
      else {
        const w = Math.max(...checks.map((c) => c.name.length));
        for (const c of checks) {
          out.out(`${c.status.padEnd(4)}  ${c.name.padEnd(w)}  ${c.detail}`);
          if (c.fix && c.status !== 'ok') out.out(`${' '.repeat(w + 8)}fix: ${c.fix}`);
        }
        const warned = checks.filter((c) => c.status === 'warn').length;
        out.out(`\n${checks.length - failed - warned} ok, ${warned} warn, ${failed} fail`);
      }
      if (failed > 0) process.exitCode = 1;
    });
}
