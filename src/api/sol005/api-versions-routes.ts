import { Type } from 'typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { RoutePluginOptions } from '../app-deps.js';
import { SOL005_APIS } from '../http/sol005-apis.js';

/** SOL013 §9.3.3.2 ApiVersionInformation. */
export const ApiVersionInformation = Type.Object({
  uriPrefix: Type.String({ description: '/{apiName}/{apiMajorVersion}' }),
  apiVersions: Type.Array(
    Type.Object({
      version: Type.String(),
      isDeprecated: Type.Optional(Type.Boolean()),
      retirementDate: Type.Optional(Type.String({ format: 'date-time' })),
    }),
    { minItems: 1 },
  ),
});

/**
 * SOL013 §9.3 API versions of every SOL005 API: `GET /{apiName}/api_versions` and
 * `GET /{apiName}/{apiMajorVersion}/api_versions`, public (a client asks before it holds
 * a token, SOL013 §9.3.1). NFV-TST010 v2.6.1 calls them `api_version` (no s); those
 * spellings answer the same, hidden from the OpenAPI document.
 */
export const apiVersionsRoutes: FastifyPluginAsyncTypebox<RoutePluginOptions> = async (app) => {
  for (const api of SOL005_APIS) {
    const body = { uriPrefix: api.uriPrefix, apiVersions: [{ version: api.version, isDeprecated: false }] };
    for (const [url, hide] of [
      [`/${api.name}/api_versions`, false],
      [`${api.uriPrefix}/api_versions`, false],
      [`/${api.name}/api_version`, true],
      [`${api.uriPrefix}/api_version`, true],
    ] as const) {
      app.get(url, { schema: { tags: [api.name], summary: `API versions of ${api.uriPrefix} (SOL013 §9.3)`, hide, response: { 200: ApiVersionInformation } }, config: { action: 'apiversions:read', public: true } }, async () => body);
    }
  }
};
