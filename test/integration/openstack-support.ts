/**
 * Shared set-up of the OpenStack integration tests: admin credentials from the CI
 * OpenStack's openrc (`/var/lib/os-ci/admin-openrc`, written by shared/openstack/setup.sh;
 * `OS_CI_OPENRC` overrides the path), a probe that fails loudly when Keystone is down, and a
 * small raw image uploaded to Glance.
 */
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { KeystoneSession, glance } from '../../src/vim/openstack/index.js';
import type { OpenStackApi, OpenStackCredentials } from '../../src/vim/openstack/index.js';

/** Admin credentials of the CI OpenStack. */
export function adminCredentials(): OpenStackCredentials {
  const path = process.env.OS_CI_OPENRC ?? '/var/lib/os-ci/admin-openrc';
  const env: Record<string, string> = {};
  if (existsSync(path)) {
    for (const line of readFileSync(path, 'utf8').split('\n')) {
      const m = /^\s*(?:export\s+)?(OS_[A-Z_]+)=["']?([^"'\n]*)["']?\s*$/.exec(line);
      if (m) env[m[1] as string] = m[2] as string;
    }
  }
  const authUrl = (env.OS_AUTH_URL ?? 'http://127.0.0.1:5000/v3').replace(/\/?$/, '');
  return {
    authUrl: authUrl.endsWith('/v3') ? authUrl : `${authUrl}/v3`,
    username: env.OS_USERNAME ?? 'admin',
    password: env.OS_PASSWORD ?? process.env.OS_CI_PASS ?? 'secret',
    userDomain: env.OS_USER_DOMAIN_NAME ?? 'Default',
    projectName: env.OS_PROJECT_NAME ?? 'admin',
    projectDomain: env.OS_PROJECT_DOMAIN_NAME ?? 'Default',
    region: env.OS_REGION_NAME ?? 'RegionOne',
  };
}

/**
 * An authenticated admin session. Throws with a clear message when Keystone does not answer
 * (the tests must fail loudly, not skip): run scripts/ensure-openstack.sh first.
 */
export async function adminSession(vim = 'openstack-it'): Promise<KeystoneSession> {
  const session = new KeystoneSession(vim, adminCredentials());
  try {
    await session.authenticate();
  } catch (e) {
    throw new Error(`OpenStack is not reachable at ${adminCredentials().authUrl}: run scripts/ensure-openstack.sh (${(e as Error).message})`, { cause: e });
  }
  return session;
}

/** A random run id for names and tags. */
export const runId = (): string => randomBytes(3).toString('hex');

/** Uploads a 1 MiB raw blob as an image with `tags`; returns its id and name. */
export async function uploadTestImage(api: OpenStackApi, name: string, tags: readonly string[]): Promise<{ id: string; name: string }> {
  const data = new Uint8Array(1024 * 1024);
  data.set(Buffer.from('rondo test image'));
  const img = await glance.createImage(api, { name, diskFormat: 'raw', containerFormat: 'bare', tags, data });
  return { id: img.id, name: img.name };
}

/** Creates a project in the Default domain and gives the admin user the admin role on it. */
export async function createProject(api: KeystoneSession, name: string): Promise<string> {
  const p = await api.call<{ project: { id: string } }>('identity', { method: 'POST', path: '/projects', what: 'create project', body: { project: { name, domain_id: 'default' } } });
  const roles = await api.call<{ roles: { id: string }[] }>('identity', { method: 'GET', path: '/roles?name=admin', what: 'find admin role' });
  const users = await api.call<{ users: { id: string }[] }>('identity', { method: 'GET', path: `/users?name=${encodeURIComponent(adminCredentials().username)}`, what: 'find admin user' });
  const role = roles.body.roles[0]?.id;
  const user = users.body.users[0]?.id;
  if (!role || !user) throw new Error('admin role or user not found in Keystone');
  await api.call('identity', { method: 'PUT', path: `/projects/${p.body.project.id}/users/${user}/roles/${role}`, what: 'grant admin on test project' });
  return p.body.project.id;
}
