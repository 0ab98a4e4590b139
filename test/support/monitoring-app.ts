import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installProblemDetails } from '../../src/api/http/problem-details.js';
import { insecureModePlugin } from '../../src/api/http/auth-route-plugins.js';

/**
 * A bare Fastify app with the real error handler (ProblemDetails) and JSON merge patch
 * parsing, for testing the monitoring route plugins one by one with `inject()`. No auth
 * plugin: it opts into insecure mode (every caller is an admin of `default`).
 */
export async function monitoringTestApp(register: (app: ReturnType<typeof bare>) => Promise<void>) {
  const app = bare();
  installProblemDetails(app);
  await app.register(insecureModePlugin);
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  await register(app);
  await app.ready();
  return app;
}

const bare = () => Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
