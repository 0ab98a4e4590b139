import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { installProblemDetails } from '../../src/api/http/problem-details.js';

/**
 * A bare Fastify app with the real error handler (ProblemDetails) and JSON merge patch
 * parsing, for testing the monitoring route plugins one by one with `inject()`.
 */
export async function monitoringTestApp(register: (app: ReturnType<typeof bare>) => Promise<void>) {
  const app = bare();
  installProblemDetails(app);
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  await register(app);
  await app.ready();
  return app;
}

const bare = () => Fastify({ logger: false }).withTypeProvider<TypeBoxTypeProvider>();
