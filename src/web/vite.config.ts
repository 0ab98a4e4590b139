import { defineConfig, loadEnv } from 'vite';
import react from '@vitejs/plugin-react';

// The dashboard is served by the API at /ui (src/api/system/ui-routes.ts), so every asset
// URL carries that base. `vite --config src/web/vite.config.ts` runs a dev server that
// proxies the API to RONDO_URL (default http://127.0.0.1:5000).
const here = new URL('.', import.meta.url).pathname;
const proxied = ['/api', '/nsd', '/vnfpkgm', '/nslcm', '/nsfm', '/admin', '/packages'];

export default defineConfig(({ mode }) => {
  const api = loadEnv(mode, here, 'RONDO_').RONDO_URL ?? 'http://127.0.0.1:5000';
  return {
    root: here,
    base: '/ui/',
    plugins: [react()],
    build: {
      outDir: `${here}../../dist/web`,
      emptyOutDir: true,
      // Pages are lazy chunks and Cytoscape (~435 KB minified) loads with the topology only,
      // so the first page stays under 250 KB of JavaScript (test/e2e/dashboard-ui.test.ts).
      // The warning is set for the Cytoscape chunk, the largest.
      chunkSizeWarningLimit: 500,
    },
    server: { proxy: Object.fromEntries(proxied.map((p) => [p, { target: api }])) },
  };
});
