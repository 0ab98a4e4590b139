/**
 * Extra Docker engines on this machine. `rondo pop up/down` starts a PoP's own engine,
 * registers it and removes it all again. A Docker PoP over mutual TLS: a second engine of our own listens on TCP with
 * `--tlsverify` and certificates this file makes with openssl. The VIM compliance suite
 * runs over the TLS driver; the API stores the certificates sealed and never answers
 * them; certificate problems (client certificate from another CA, expired, engine
 * certificate for another host or from a CA the account does not trust) are VIM_TLS 502
 * with a `tlsProblem` that says which.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VimAccount } from '../../src/model/index.js';
import { createVimDriver } from '../../src/app/index.js';
import { runCli } from '../../src/cli/program.js';
import { LocalEngine } from '../../src/vim/docker/local-engine.js';
import { localPopBridge } from '../../src/vim/docker/local-pop.js';
import { runVimCompliance } from '../vim-compliance.js';
import { openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';
import { makeCa, makeLeaf, pkiIn } from '../support/tls-certs.js';

const PORT = 23760;
const pki = pkiIn(mkdtempSync(join(tmpdir(), 'rondo-docker-tls-')));
// Two loopback listeners: the engine's certificate names 127.0.0.1 only, so 127.0.0.2 is "another host".
const engine = new LocalEngine({
  name: 'tls', bridge: 'rondotls0', bridgeAddress: '172.31.253.1/24',
  tls: { listen: [`127.0.0.1:${PORT}`, `127.0.0.2:${PORT}`], caFile: pki.file('good-ca.pem'), certFile: pki.file('engine.pem'), keyFile: pki.file('engine.key') },
});
const ENDPOINT = `tcp://127.0.0.1:${PORT}`;

/** Credentials as the API takes them: PEM text of the CA, the client certificate and its key. */
const creds = (ca: string, client: string) => ({ tlsCaCert: pki.pem(`${ca}-ca.pem`), tlsCert: pki.pem(`${client}.pem`), tlsKey: pki.pem(`${client}.key`) });
const account = (name: string, endpoint = ENDPOINT, secret: Record<string, string> = creds('good', 'client')): VimAccount => ({
  id: name, name, type: 'docker', endpoint, capacity: null, config: { secret }, tenant: 'default', createdAt: new Date(0).toISOString(),
});

let t: TestApp;

beforeAll(async () => {
  t = await openTestApp('postgres', 'docker-engines.test.ts');
  makeCa(pki.dir, 'good');
  makeCa(pki.dir, 'wrong');
  makeLeaf(pki.dir, 'good', 'engine', { usage: 'serverAuth', sans: ['IP:127.0.0.1'] });
  makeLeaf(pki.dir, 'good', 'client', { usage: 'clientAuth' });
  makeLeaf(pki.dir, 'wrong', 'stranger', { usage: 'clientAuth' });
  makeLeaf(pki.dir, 'good', 'expired', { usage: 'clientAuth', days: -1 });
  await engine.start();
  await engine.wipe();
  await engine.importVnfImages();
});

afterAll(async () => {
  await t?.close();
  await engine.remove();
  rmSync(pki.dir, { recursive: true, force: true });
});

runVimCompliance('docker over mutual TLS (tcp://127.0.0.1, dockerd --tlsverify)', async () => ({
  // The driver the app builds for a stored account: the shipped docker factory.
  driver: createVimDriver(account('tls-pop')),
  image: 'vnf/busybox:latest',
  cleanup: async () => undefined,
  kill: async (id) => {
    await engine.client.getContainer(id).kill();
  },
}));

describe('Docker VIM accounts with TLS certificates (API)', () => {
  const post = (body: unknown) => t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: body as object });

  it('adds a PoP over mutual TLS after checking it; the certificates are sealed at rest and never answered', async () => {
    const key = pki.pem('client.key');
    const keyBody = key.split('\n')[1] as string;
    const added = await post({ name: 'remote1', type: 'docker', endpoint: ENDPOINT, credentials: creds('good', 'client') });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ id: 'remote1', endpoint: ENDPOINT, hasCredentials: true, version: expect.stringContaining('API') });
    expect(added.body).not.toContain(keyBody);
    for (const url of ['/admin/v1/vims', '/admin/v1/vims/remote1']) {
      const r = await t.app.inject({ method: 'GET', url });
      expect(r.statusCode).toBe(200);
      expect(r.body).toContain('remote1');
      expect(r.body).not.toContain(keyBody);
      expect(r.body).not.toContain('BEGIN');
    }
    const row = await t.store.db.selectFrom('vim_accounts').selectAll().where('id', '=', 'remote1').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(keyBody);
    expect(row.config).not.toHaveProperty('secret');
    expect(row.secret_sealed).toMatch(/^v2\./);
    // The check builds the driver from the stored account: the certificates open for it.
    const checked = await t.app.inject({ method: 'POST', url: '/admin/v1/vims/remote1/check' });
    expect(checked.statusCode, checked.body).toBe(200);
    expect(checked.json()).toMatchObject({ reachable: true, version: expect.stringContaining('API') });
  });

  it.each([
    // The certificates exist once beforeAll ran: each case reads them when it runs.
    ['a client certificate from another CA', () => ({ credentials: creds('good', 'stranger') }), 'UNKNOWN_CA', 'client'],
    ['an expired client certificate', () => ({ credentials: creds('good', 'expired') }), 'EXPIRED', 'client'],
    ["the engine's certificate checked against another CA", () => ({ credentials: { ...creds('good', 'client'), tlsCaCert: pki.pem('wrong-ca.pem') } }), 'UNKNOWN_CA', 'server'],
    ['an engine whose certificate names another host', () => ({ endpoint: `tcp://127.0.0.2:${PORT}`, credentials: creds('good', 'client') }), 'HOSTNAME_MISMATCH', 'server'],
  ])('refuses %s: 502 VIM_TLS naming the problem, nothing stored', async (_what, change, tlsProblem, tlsSide) => {
    const name = `bad-${tlsSide}-${tlsProblem.toLowerCase().replace(/_/g, '-')}`;
    const r = await post({ name, type: 'docker', endpoint: ENDPOINT, ...change() });
    expect(r.statusCode, r.body).toBe(502);
    expect(r.headers['content-type']).toContain('application/problem+json');
    expect(r.json()).toMatchObject({ code: 'VIM_TLS', vimKind: 'TLS', tlsProblem, tlsSide, vim: name });
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/vims/${name}` })).statusCode).toBe(404);
  });

  it('refuses unusable certificates before connecting: 400 without all three, 502 INVALID_PEM for a key of another certificate', async () => {
    const { tlsKey: _key, ...partial } = creds('good', 'client');
    const missing = await post({ name: 'partial', type: 'docker', endpoint: ENDPOINT, credentials: partial });
    expect(missing.statusCode).toBe(400);
    const unix = await post({ name: 'unix-tls', type: 'docker', endpoint: 'unix:///var/run/docker.sock', credentials: creds('good', 'client') });
    expect(unix.json()).toMatchObject({ status: 400, code: 'VIM_ACCOUNT_INVALID' });
    const mismatch = await post({ name: 'mismatch', type: 'docker', endpoint: ENDPOINT, credentials: { ...creds('good', 'client'), tlsKey: pki.pem('stranger.key') } });
    expect(mismatch.json()).toMatchObject({ status: 502, code: 'VIM_TLS', tlsProblem: 'INVALID_PEM', tlsSide: 'client' });
  });
});

describe('the CLI: rondo vim add with TLS files; rondo pop up / pop down (a local lab PoP on an engine of its own)', () => {
  const POP = 'lab7';
  let url = '';
  const cli = async (args: readonly string[]) => {
    const lines = { out: [] as string[], err: [] as string[] };
    const code = await runCli(['node', 'rondo', ...args, '--url', url], { out: (l) => lines.out.push(l), err: (l) => lines.err.push(l) });
    return { code, stdout: lines.out.join('\n'), stderr: lines.err.join('\n') };
  };
  beforeAll(async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  it('vim add --docker-host tcp://… --tls-ca/--tls-cert/--tls-key reads the PEM files and adds the PoP; a wrong-CA client certificate fails with VIM_TLS', async () => {
    const tlsArgs = (client: string) => ['--tls-ca', pki.file('good-ca.pem'), '--tls-cert', pki.file(`${client}.pem`), '--tls-key', pki.file(`${client}.key`)];
    const added = await cli(['vim', 'add', 'cli-tls', '--type', 'docker', '--docker-host', ENDPOINT, ...tlsArgs('client'), '--json']);
    expect(added.code, added.stderr).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ id: 'cli-tls', endpoint: ENDPOINT, hasCredentials: true });
    const refused = await cli(['vim', 'add', 'cli-stranger', '--type', 'docker', '--docker-host', ENDPOINT, ...tlsArgs('stranger')]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('502 VIM_TLS');
    expect(refused.stderr).toContain('not by the CA the account trusts');
    const partial = await cli(['vim', 'add', 'cli-partial', '--type', 'docker', '--docker-host', ENDPOINT, '--tls-ca', pki.file('good-ca.pem')]);
    expect(partial.code).toBe(2);
  });

  it('up starts a dockerd with its own socket, roots and bridge, builds the VNF images in it and registers the PoP; down removes all of it', async () => {
    const up = await cli(['pop', 'up', POP, '--json']);
    expect(up.code, up.stderr).toBe(0);
    const info = JSON.parse(up.stdout) as { endpoint: string; socket: string; dataRoot: string; execRoot: string; pidfile: string; bridge: string; pid: number };
    expect(info).toMatchObject({ endpoint: `unix:///run/rondo-pop-${POP}/docker.sock`, bridge: localPopBridge(POP), registered: true });
    const lab = new LocalEngine({ name: `pop-${POP}`, bridge: info.bridge, bridgeAddress: '0.0.0.0/32' });
    expect(await lab.answers()).toBe(true);
    expect((await lab.client.info()).DockerRootDir).toBe(info.dataRoot);
    expect((await lab.client.listImages({ filters: { reference: ['vnf/busybox:latest', 'vnf/sap:latest'] } })).length).toBe(2);
    const account = await t.app.inject({ method: 'GET', url: `/admin/v1/vims/${POP}` });
    expect(account.json()).toMatchObject({ id: POP, type: 'docker', endpoint: info.endpoint });
    // The registered PoP is usable: its driver reaches the new engine, not the shared one.
    expect((await t.app.inject({ method: 'POST', url: `/admin/v1/vims/${POP}/check` })).json()).toMatchObject({ reachable: true });
    // A second up keeps the running engine and the account.
    const again = await cli(['pop', 'up', POP, '--json', '--no-images']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ pid: info.pid, registered: false });

    const down = await cli(['pop', 'down', POP, '--json']);
    expect(down.code, down.stderr).toBe(0);
    expect(JSON.parse(down.stdout)).toMatchObject({ deregistered: true, removed: true });
    expect((await t.app.inject({ method: 'GET', url: `/admin/v1/vims/${POP}` })).statusCode).toBe(404);
    expect(lab.pid).toBeNull();
    expect(() => process.kill(info.pid, 0)).toThrow();
    for (const path of [info.socket, info.dataRoot, info.execRoot, info.pidfile]) expect(existsSync(path), path).toBe(false);
    expect(execFileSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8' })).not.toContain(info.bridge);
  });
});
