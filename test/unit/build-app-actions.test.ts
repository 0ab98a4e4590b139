import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { buildApp, RouteWithoutActionError } from '../../src/api/app.js';
import type { AppDeps } from '../../src/api/app-deps.js';
import type { RoutePlugin } from '../../src/api/route-plugins.js';
import { callerOf, optionalCallerOf } from '../../src/api/http/caller.js';
import { INSECURE_MODE_PLUGIN } from '../../src/api/http/auth-route-plugins.js';
import { loadConfig } from '../../src/config/index.js';
import { counterIds } from '../support/app.js';

/** What buildApp itself reads; these plugins need no services. */
const deps = (): AppDeps =>
  ({ config: loadConfig({}, { logLevel: 'silent' }), logger: pino({ level: 'silent' }), ids: counterIds(), services: {} }) as unknown as AppDeps;

const whoAmI: RoutePlugin = {
  name: 'who-am-i',
  plugin: async (app) => {
    app.get('/who', { config: { action: 'user:self' } }, async (request) => ({ user: callerOf(request).user }));
    app.get('/maybe', { config: { action: 'health:read' } }, async (request) => ({ user: optionalCallerOf(request)?.user ?? null }));
  },
};

describe('buildApp and route actions', () => {
  it('refuses a route without an action, naming its method and URL', async () => {
    const bad: RoutePlugin = {
      name: 'bad',
      plugin: async (app) => {
        app.get('/fine', { config: { action: 'health:read' } }, async () => 'ok');
        app.post('/forgot/:id', async () => 'no action');
      },
    };
    const built = buildApp(deps(), { plugins: [INSECURE_MODE_PLUGIN, bad] });
    await expect(built).rejects.toBeInstanceOf(RouteWithoutActionError);
    await expect(buildApp(deps(), { plugins: [INSECURE_MODE_PLUGIN, bad] })).rejects.toMatchObject({ code: 'ROUTE_WITHOUT_ACTION', routes: ['POST /forgot/:id'] });
    await expect(buildApp(deps(), { plugins: [bad] })).rejects.toThrow(/POST \/forgot\/:id: no policy action/);
  });

  it('an empty action counts as none', async () => {
    const empty: RoutePlugin = { name: 'empty', plugin: async (app) => void app.get('/empty', { config: { action: '' } }, async () => 'x') };
    await expect(buildApp(deps(), { plugins: [empty] })).rejects.toMatchObject({ routes: ['GET /empty'] });
  });

  it('without the auth plugin and without opting into insecure mode, nobody is a caller: 401 AUTH_REQUIRED, never admin', async () => {
    const app = await buildApp(deps(), { plugins: [whoAmI] });
    try {
      const r = await app.inject({ method: 'GET', url: '/who' });
      expect(r.statusCode).toBe(401);
      expect(r.json()).toMatchObject({ code: 'AUTH_REQUIRED' });
      // A route that needs no caller works without one.
      expect((await app.inject({ method: 'GET', url: '/maybe' })).json()).toEqual({ user: null });
    } finally {
      await app.close();
    }
  });

  it('INSECURE_MODE_PLUGIN opts in explicitly: every caller is the insecure admin', async () => {
    const app = await buildApp(deps(), { plugins: [INSECURE_MODE_PLUGIN, whoAmI] });
    try {
      expect(app.authMode).toBe('insecure');
      expect((await app.inject({ method: 'GET', url: '/who' })).json()).toEqual({ user: 'insecure-no-auth' });
      expect((await app.inject({ method: 'GET', url: '/maybe' })).json()).toEqual({ user: 'insecure-no-auth' });
    } finally {
      await app.close();
    }
  });
});
