// Public face of the HTTP API.
export { buildApp, RouteWithoutActionError } from './app.js';
export type { RondoApp, BuildAppOptions } from './app.js';
export type { AppDeps, AppServices, RoutePluginOptions } from './app-deps.js';
export { ROUTE_PLUGINS } from './route-plugins.js';
export { authRoutePlugins, INSECURE_MODE_PLUGIN, insecureModePlugin } from './http/auth-route-plugins.js';
export { callerOf, optionalCallerOf } from './http/caller.js';
export type { AuthMode } from './http/caller.js';
export type { RoutePlugin } from './route-plugins.js';
export { requestId, bindOpId } from './http/request-id.js';
export type { AdminPackage } from './admin/admin-package-routes.js';
export type { VnfPkgInfo } from './sol005/vnfpkgm/vnf-package-info.js';
export type { NsdInfo } from './sol005/nsd/nsd-info.js';
