import { existsSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync } from 'fastify';
import fastifyStatic from '@fastify/static';
import { RondoError, NotFoundError } from '../../model/index.js';
import type { RoutePluginOptions } from '../app-deps.js';

/** Options of {@link uiRoutes}. */
export interface UiRoutesOptions {
  /** The built dashboard (Vite's output); default: `dist/web` found from this module. */
  readonly root?: string;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Where `npm run build` puts the dashboard, seen from this module: `dist/api/system/` in
 * the built package, `src/api/system/` when run from source with tsx.
 */
export function defaultDashboardRoot(): string {
  // Never `src/web` itself: its index.html is Vite's source, not the build.
  return basename(resolve(here, '../..')) === 'dist' ? join(here, '../../web') : join(here, '../../../dist/web');
}

const notBuilt = (root: string): RondoError =>
  new RondoError('DASHBOARD_NOT_BUILT', `dashboard not built: run npm run build (looked for ${join(root, 'index.html')})`, { details: { root } });

/**
 * Serves the dashboard at `/ui/`: the files of the Vite build, and `index.html` for any
 * other page path so the browser's router can handle deep links (`/ui/ns/<id>`). Asset
 * paths that do not exist stay 404. Without a build every `/ui` path answers 503
 * `DASHBOARD_NOT_BUILT`; the check happens at start-up, so restart after building.
 */
export const uiRoutes: FastifyPluginAsync<UiRoutesOptions> = async (app, opts) => {
  const root = opts.root ?? defaultDashboardRoot();
  const built = existsSync(join(root, 'index.html'));

  await app.register(
    async (ui) => {
      // @fastify/static's routes take no `config`: they get their action here, in this scope only.
      ui.addHook('onRoute', (route) => {
        if (route.config?.action === undefined) route.config = { ...route.config, action: 'ui:read' };
      });
      ui.get('', { schema: { hide: true }, config: { action: 'ui:read' } }, async (_req, reply) => reply.redirect('/ui/', 302));
      if (!built) {
        ui.get('/*', { schema: { hide: true }, config: { action: 'ui:read' } }, async () => {
          throw notBuilt(root);
        });
        // 'slash': `/ui` itself is the redirect above (the default 'both' would declare it twice).
        ui.get('/', { schema: { hide: true }, config: { action: 'ui:read' }, prefixTrailingSlash: 'slash' }, async () => {
          throw notBuilt(root);
        });
        return;
      }
      await ui.register(fastifyStatic, {
        root,
        prefix: '/',
        index: 'index.html',
        schemaHide: true,
        // Our own cache headers below; the plugin's default would overwrite them.
        cacheControl: false,
        setHeaders(res, path) {
          // Vite hashes asset names: cache them for good; index.html must always revalidate.
          res.setHeader('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
        },
      });
      ui.setNotFoundHandler(async (request, reply) => {
        const path = request.url.split('?')[0] ?? '';
        const looksLikeFile = /\.[a-z0-9]+$/i.test(path);
        if ((request.method === 'GET' || request.method === 'HEAD') && !looksLikeFile) {
          return reply.header('cache-control', 'no-cache').sendFile('index.html', root);
        }
        throw new NotFoundError('dashboard file', path);
      });
    },
    { prefix: '/ui' },
  );
};

/** The dashboard ({@link uiRoutes}) from the default build folder. */
export const dashboardPlugin: FastifyPluginAsync<RoutePluginOptions> = async (app) => {
  await app.register(uiRoutes);
};
