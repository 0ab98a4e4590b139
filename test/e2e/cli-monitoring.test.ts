/**
 * `rondo ves`, `rondo events`, `rondo doctor` and `rondo completion` against a real
 * `bin/rondo serve` (run `npm run build` first): a memory PoP, a real VES collector (an HTTP
 * server in this process), an NS instantiated on the memory PoP and streamed by
 * `rondo events --follow` across a server restart, Docker checked by `doctor`, and the
 * bash completion driven in a real bash.
 */
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/program.js';
import { BUILT_CLI, ROOT, runCli, startCliServer } from '../support/cli-server.js';
import type { CliRun, CliServer } from '../support/cli-server.js';

const BIN = BUILT_CLI[0]!;

type Run = CliRun;
interface Harness { env: NodeJS.ProcessEnv; url: string }

/** Runs `bin/rondo …`; resolves with exit code and output, never rejects. */
function rondo(h: Harness, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv; url?: string | null } = {}): Promise<Run> {
  const url = opts.url === undefined ? h.url : opts.url;
  return runCli(BUILT_CLI, [...args, ...(url ? ['--url', url] : [])], { env: { ...h.env, ...opts.env }, ...(opts.input === undefined ? {} : { input: opts.input }) });
}

/** Starts `bin/rondo serve` and resolves once it says where it listens. */
const startServer = (env: NodeJS.ProcessEnv, dataDir: string, port = 0): Promise<CliServer> => startCliServer(BUILT_CLI, { env, dataDir, port });

/** A long-running `rondo …` (e.g. `events --follow`) whose output lines are collected. */
function background(h: Harness, args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args, '--url', h.url], { cwd: ROOT, env: h.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  return {
    lines: () => stdout.split('\n').filter((l) => l !== ''),
    stderr: () => stderr,
    /** Sends Ctrl-C and resolves with the exit code. */
    interrupt: async () => {
      if (child.exitCode === null) child.kill('SIGINT');
      return exited;
    },
  };
}

/** Polls `read` until `ok` holds; throws with the last value after `ms`. */
async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  let v = await read();
  while (!ok(v)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${typeof v === 'string' ? v : JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 100));
    v = await read();
  }
  return v;
}

interface Received { auth: string | undefined; body: { event?: VesEvent; eventList?: VesEvent[] } }
interface VesEvent { commonEventHeader: { domain: string; sourceName: string; eventName: string; lastEpochMicrosec?: number } }

/** A real VES collector: records every POST to /eventListener/v7 and answers 202. */
async function startCollector(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req: IncomingMessage, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/eventListener/v7') received.push({ auth: req.headers.authorization, body: JSON.parse(text) as Received['body'] });
      res.writeHead(202).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { server, url: `http://127.0.0.1:${port}/eventListener/v7`, received };
}

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const eventsOf = (r: Received): VesEvent[] => r.body.eventList ?? (r.body.event ? [r.body.event] : []);

describe('rondo ves, events, doctor, completion against a real server', () => {
  let dir: string;
  let dataDir: string;
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let collector: Awaited<ReturnType<typeof startCollector>> | undefined;
  const h: Harness = { env: {}, url: '' };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'rondo-cli-mon-'));
    dataDir = join(dir, 'data');
    h.env = {
      ...process.env,
      DATABASE_URL: '',
      RONDO_URL: '',
      RONDO_TOKEN: '',
      RONDO_API_KEY: '',
      RONDO_VES_PASSWORD: '',
      RONDO_CONFIG_DIR: join(dir, 'config'),
      RONDO_LOG_LEVEL: 'info',
      // Authentication is someone else's test: this one runs the server open, as an admin.
      RONDO_INSECURE_NO_AUTH: '1',
      // Only the PoPs this test adds.
      RONDO_AUTO_POPS: '0',
    };
    server = await startServer(h.env, dataDir);
    h.url = server.url;
    collector = await startCollector();
    const added = await rondo(h, ['vim', 'add', 'mem1', '--type', 'memory']);
    expect(added.code, added.stderr).toBe(0);
  }, 200_000);

  afterAll(async () => {
    await server?.stop();
    await new Promise((r) => (collector ? collector.server.close(r) : r(undefined)));
    await rm(dir, { recursive: true, force: true });
  }, 60_000);

  it('ves set/show/delete: the password from stdin or the environment reaches a real collector, never the output', { timeout: 120_000 }, async () => {
    const c = collector!;
    const set = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--username', 'ves', '--password-stdin', '--backlog', 'heartbeat:vm:1', '--backlog', 'fault:vm', '--backlog', 'measurement:vm:30:client'], {
      input: 'stdin-secret\n',
    });
    expect(set.code, set.stderr).toBe(0);
    expect(set.stdout).toContain(`VES agent of PoP mem1 sends to ${c.url} as ves`);
    expect(set.stdout).toContain('heartbeat/vm every 1 s');
    expect(set.stdout).toContain('measurement/vm:client every 30 s');

    // The heartbeat backlog polls every second: the collector sees it with the stdin password.
    const first = await until('a heartbeat at the collector', () => c.received.filter((r) => r.auth === basic('ves', 'stdin-secret')), (l) => l.length > 0);
    expect(eventsOf(first[0]!).map((e) => e.commonEventHeader.domain)).toContain('heartbeat');

    const shown = await until(
      'the heartbeat backlog to record a poll',
      async () => JSON.parse((await rondo(h, ['ves', 'show', 'mem1', '--json'])).stdout) as { vesagent_config: { ves_subscription: Record<string, unknown>; backlogs: unknown[] }; vesagent_backlogs: { backlogs: { domain: string; source: string | null; poll_interval: number; last_poll_time: string | null; last_event: VesEvent | null }[] } },
      (v) => v.vesagent_backlogs.backlogs.some((b) => b.domain === 'heartbeat' && b.last_event !== null),
    );
    expect(shown.vesagent_config.ves_subscription).toEqual({ endpoint: c.url, username: 'ves' });
    expect(JSON.stringify(shown)).not.toContain('stdin-secret');
    expect(shown.vesagent_backlogs.backlogs.map((b) => [b.domain, b.source, b.poll_interval])).toEqual([
      ['heartbeat', null, 1],
      ['fault', null, 60],
      ['measurement', 'client', 30],
    ]);
    const hb = shown.vesagent_backlogs.backlogs[0]!;
    expect(Date.parse(hb.last_poll_time ?? '')).toBeGreaterThan(0);
    expect(hb.last_event?.commonEventHeader.domain).toBe('heartbeat');

    const human = await rondo(h, ['ves', 'show', 'mem1']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(/collector:\s+http:\/\/127\.0\.0\.1:\d+\/eventListener\/v7/);
    expect(human.stdout).toMatch(/heartbeat\s+vm\s+all\s+1 s\s+\d{4}-\d\d-\d\dT\S+\s+\S+ from mem1/);
    expect(human.stdout).toMatch(/measurement\s+vm\s+client\s+30 s\s+/);
    expect(human.stdout).not.toContain('stdin-secret');

    // Without --backlog: the seed's fault/vm backlog; without a user: no basic auth.
    const seedDefault = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--json']);
    expect(seedDefault.code, seedDefault.stderr).toBe(0);
    expect(JSON.parse(seedDefault.stdout).vesagent_config).toMatchObject({
      ves_subscription: { endpoint: c.url, username: null },
      backlogs: [{ domain: 'fault', type: 'vm', tenant: null, source: null, poll_interval: null }],
    });

    // The password from RONDO_VES_PASSWORD.
    const byEnv = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--username', 'ves2', '--poll-interval', '1', '--backlog', 'heartbeat:vm'], { env: { RONDO_VES_PASSWORD: 'env-secret' } });
    expect(byEnv.code, byEnv.stderr).toBe(0);
    expect(byEnv.stdout).toContain('heartbeat/vm every 1 s');
    await until('a heartbeat with the environment password', () => c.received.filter((r) => r.auth === basic('ves2', 'env-secret')).length, (n) => n > 0);

    // Usage mistakes are caught before any request (exit 2) and say what to do.
    const badDomain = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--backlog', 'syslog:vm']);
    expect([badDomain.code, badDomain.stderr]).toEqual([2, expect.stringContaining('the domain is one of fault, measurement, heartbeat')]);
    const twoPasswords = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--username', 'u', '--password', 'p', '--password-stdin'], { input: 'q\n' });
    expect(twoPasswords.code).toBe(2);
    const noUser = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', c.url, '--password', 'p']);
    expect([noUser.code, noUser.stderr]).toEqual([2, expect.stringContaining('--username')]);
    const badUrl = await rondo(h, ['ves', 'set', 'mem1', '--endpoint', 'ftp://collector/x']);
    expect([badUrl.code, badUrl.stderr]).toEqual([1, expect.stringContaining('400')]);

    const del = await rondo(h, ['ves', 'delete', 'mem1']);
    expect([del.code, del.stdout]).toEqual([0, expect.stringContaining('VES agent of PoP mem1 stopped')]);
    const gone = await rondo(h, ['ves', 'show', 'mem1']);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain('PoP mem1 has no VES agent configuration');
    expect(gone.stderr).toContain('rondo ves set mem1');
    // Polling stopped. `ves delete` answers once mem1's runner is stopped (a poll in progress
    // is awaited), so no event of mem1 is made after that; one made before may still be in
    // flight, which is why events are told apart by their own time, not by arrival. The
    // witness that polls went on is a second agent with the same 1 s heartbeat on another
    // PoP: by its second heartbeat made after the delete, mem1 would have polled too.
    const deletedAtMicros = Date.now() * 1000;
    const probeAuth = basic('probe', 'probe-secret');
    // Set up and removed over HTTP (the CLI side of `ves` is tested above; a CLI start costs seconds).
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${h.url}${path}`, { method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }) });
    expect((await api('POST', '/admin/v1/vims', { name: 'mem2', type: 'memory', endpoint: 'memory://mem2' })).status).toBe(201);
    const probe = await api('POST', '/api/multicloud/v0/mem2/vesagent', {
      vesagent_config: { ves_subscription: { endpoint: c.url, username: 'probe', password: 'probe-secret' }, poll_interval_default: 1, backlogs: [{ domain: 'heartbeat', type: 'vm' }] },
    });
    expect(probe.status, await probe.text()).toBe(201);
    const madeAfterDelete = (r: Received) => eventsOf(r).filter((e) => (e.commonEventHeader.lastEpochMicrosec ?? 0) > deletedAtMicros);
    await until('two heartbeats of the witness agent made after the delete', () => c.received.filter((r) => r.auth === probeAuth).flatMap(madeAfterDelete).length, (n) => n >= 2);
    expect(c.received.filter((r) => r.auth !== probeAuth).flatMap(madeAfterDelete)).toEqual([]);
    expect((await api('DELETE', '/api/multicloud/v0/mem2/vesagent')).status).toBe(200);
    expect((await api('DELETE', '/admin/v1/vims/mem2')).status).toBeLessThan(300);
  });

  it('ns lifecycle on a memory PoP streamed by "events --follow --json", across a server restart; "events" replays', { timeout: 400_000 }, async () => {
    const pkg = join(dir, 'chain.tgo');
    expect((await rondo(h, ['package', 'build', 'examples/tango-chain', '-o', pkg], { url: null })).code).toBe(0);
    const onboarded = await rondo(h, ['package', 'onboard', pkg]);
    expect(onboarded.code, onboarded.stderr).toBe(0);
    const nsdId = (JSON.parse((await rondo(h, ['nsd', 'list', '--json'])).stdout) as { id: string }[])[0]?.id ?? '';

    // With the replay of recent events, the stream misses nothing even if it connects late.
    const follow = background(h, ['events', '--follow', '--json', '--type', 'op.,vnf.']);
    const events = () => follow.lines().map((l) => JSON.parse(l) as { id: number; topic: string; nsInstanceId: string | null; payload: Record<string, unknown> });

    /** create → instantiate → show → terminate → delete on the memory PoP; returns the NS id and the ops. */
    const lifecycle = async (name: string) => {
      const created = await rondo(h, ['ns', 'create', '--nsd', nsdId, '--name', name, '--json']);
      expect(created.code, created.stderr).toBe(0);
      const nsId = (JSON.parse(created.stdout) as { id: string }).id;
      const inst = await rondo(h, ['ns', 'instantiate', nsId, '--wait']);
      expect(inst.code, inst.stderr).toBe(0);
      const instOp = /INSTANTIATE ([\w-]+): COMPLETED/.exec(inst.stdout)?.[1];
      expect(instOp, inst.stdout).toBeDefined();
      expect(inst.stdout).toMatch(/\[\d+\/\d+\] compute client on mem1 … done/);
      const shown = await rondo(h, ['ns', 'show', nsId]);
      expect(shown.stdout).toMatch(/state:\s+INSTANTIATED/);
      expect(shown.stdout).toMatch(/firewall\s+vnf\s+mem1\s+STARTED/);
      const term = await rondo(h, ['ns', 'terminate', nsId, '--wait']);
      expect(term.code, term.stderr).toBe(0);
      const termOp = /TERMINATE ([\w-]+): COMPLETED/.exec(term.stdout)?.[1];
      const del = await rondo(h, ['ns', 'delete', nsId]);
      expect(del.code, del.stderr).toBe(0);
      return { nsId, instOp, termOp };
    };
    const streamed = (ns: string, opId: string | undefined) =>
      until(`op ${opId} COMPLETED and the VNFs up on the stream`, events, (es) =>
        es.some((e) => e.topic === 'op.changed' && e.payload.opId === opId && e.payload.operationState === 'COMPLETED') &&
        ['client', 'firewall', 'server'].every((v) => es.some((e) => e.topic === 'vnf.up' && e.nsInstanceId === ns && e.payload.vnfId === v)),
      );

    const a = await lifecycle('cli-events-a');
    await streamed(a.nsId, a.instOp);
    await until('the termination on the stream', events, (es) => es.some((e) => e.payload.opId === a.termOp && e.payload.operationState === 'COMPLETED'));
    expect(events().every((e) => e.topic === 'op.changed' || e.topic.startsWith('vnf.'))).toBe(true);

    // The server restarts on the same port: the stream reconnects and goes on.
    const port = new URL(h.url).port;
    await server?.stop();
    await until('the follower to notice', () => follow.stderr(), (s) => s.includes('connection lost'));
    server = await startServer(h.env, dataDir, Number(port));
    const b = await lifecycle('cli-events-b');
    await streamed(b.nsId, b.instOp);
    expect(follow.stderr()).toContain('events: reconnected');
    expect(await follow.interrupt()).toBe(0);
    const ids = events().map((e) => e.id);
    console.log(`events --follow printed ${ids.length} events across the restart`);

    // Without --follow: the recent events the (restarted) server holds, filtered.
    const replay = await rondo(h, ['events', '--json', '--ns', b.nsId]);
    expect(replay.code, replay.stderr).toBe(0);
    const replayed = replay.stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { topic: string; nsInstanceId: string });
    expect(replayed.length).toBeGreaterThan(0);
    expect(replayed.every((e) => e.nsInstanceId === b.nsId)).toBe(true);
    expect(replayed.map((e) => e.topic)).toEqual(expect.arrayContaining(['op.changed', 'vnf.up']));
    const human = await rondo(h, ['events', '--type', 'vnf.']);
    expect(human.code, human.stderr).toBe(0);
    expect(human.stdout).toMatch(new RegExp(`^\\S+Z\\s+vnf\\.up\\s+${b.nsId.slice(0, 8)}\\s+firewall\\s+up\\s+pop mem1 compute \\S+$`, 'm'));
    expect((await rondo(h, ['events', '--ns', '00000000-0000-0000-0000-000000000000'])).stdout).toBe('');
    expect((await rondo(h, ['events'], { url: 'http://127.0.0.1:1' })).code).toBe(2);
  });

  it('doctor: server, store, Docker, VNF images and PoPs ok (exit 0); an unreachable server fails with a fix (exit 1)', { timeout: 120_000 }, async () => {
    const r = await rondo(h, ['doctor', '--json', '--data-dir', dataDir]);
    const checks = JSON.parse(r.stdout) as { name: string; status: string; detail: string; fix?: string }[];
    const status = Object.fromEntries(checks.map((c) => [c.name, c.status]));
    expect(status).toMatchObject({
      node: 'ok',
      server: 'ok',
      store: 'ok',
      docker: 'ok',
      'image vnf/busybox:latest': 'ok',
      'image vnf/sap:latest': 'ok',
      'PoP mem1': 'ok',
      'data dir': 'ok',
    });
    expect(['ok', 'warn']).toContain(status.chromium);
    expect(r.code, r.stdout).toBe(0);

    const human = await rondo(h, ['doctor', '--data-dir', dataDir]);
    expect(human.stdout).toMatch(/^ok\s+docker\s+Docker \S+ \(API [\d.]+\) at unix:\/\/\/var\/run\/docker\.sock$/m);
    expect(human.stdout).toMatch(/\d+ ok, \d+ warn, 0 fail/);

    const down = await rondo(h, ['doctor', '--json'], { url: 'http://127.0.0.1:1' });
    expect(down.code).toBe(1);
    const server = (JSON.parse(down.stdout) as { name: string; status: string; fix?: string }[]).find((c) => c.name === 'server');
    expect(server).toMatchObject({ status: 'fail', fix: expect.stringContaining('rondo serve') });
  });

  it('completion: bash registers "complete -F _rondo rondo" and completes verbs and options from the command tree', { timeout: 60_000 }, async () => {
    const script = await rondo(h, ['completion', 'bash'], { url: null });
    expect(script.code, script.stderr).toBe(0);
    const file = join(dir, 'rondo.bash');
    await writeFile(file, script.stdout);
    /** Sources the script in a real bash, drives `_rondo` for the words and returns COMPREPLY. */
    const complete = (words: string[]) =>
      new Promise<string[]>((resolve, reject) => {
        const quoted = words.map((w) => `'${w}'`).join(' ');
        const cmd = `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _rondo; printf '%s\\n' "\${COMPREPLY[@]}"`;
        execFile('bash', ['--norc', '--noprofile', '-c', cmd], (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(stdout.split('\n').filter((l) => l !== ''))));
      });

    const registered = await new Promise<string>((resolve, reject) =>
      execFile('bash', ['--norc', '--noprofile', '-c', `source '${file}'; complete -p rondo`], (err, stdout) => (err ? reject(err) : resolve(stdout.trim()))),
    );
    expect(registered).toBe('complete -o default -F _rondo rondo');

    const tree = buildProgram();
    const verbsOf = (noun: string) => tree.commands.find((c) => c.name() === noun)?.commands.map((c) => c.name()) ?? [];
    expect(verbsOf('ns').length).toBeGreaterThan(3);
    expect((await complete(['rondo', 'ns', ''])).sort()).toEqual(verbsOf('ns').sort());
    expect((await complete(['rondo', ''])).sort()).toEqual(tree.commands.map((c) => c.name()).sort());
    expect(await complete(['rondo', 'ns', 'cr'])).toEqual(['create']);
    expect((await complete(['rondo', '--url', 'http://x', 'ves', ''])).sort()).toEqual(['delete', 'set', 'show']);
    expect((await complete(['rondo', 'ns', 'create', '--n'])).sort()).toEqual(['--name', '--nsd']);
    expect(await complete(['rondo', 'alarm', 'list', '--j'])).toEqual(['--json']);
    expect(await complete(['rondo', 'events', '--fo'])).toEqual(['--follow']);
    expect(await complete(['rondo', 'completion', ''])).toEqual(['bash', 'zsh', 'fish']);
    // An option's value is not taken for a verb: `--nsd create` does not descend.
    expect(await complete(['rondo', 'ns', 'create', '--nsd', ''])).toEqual([]);

    const zsh = await rondo(h, ['completion', 'zsh'], { url: null });
    expect([zsh.code, zsh.stdout]).toEqual([0, expect.stringMatching(/^#compdef rondo[\s\S]*compdef _rondo rondo\n$/)]);
    const fish = await rondo(h, ['completion', 'fish'], { url: null });
    expect(fish.code).toBe(0);
    expect(fish.stdout).toContain("complete -c rondo -f -n '__rondo_at \\'ns\\'' -a 'create'");
    expect((await rondo(h, ['completion', 'tcsh'], { url: null })).code).toBe(2);
  });
});
