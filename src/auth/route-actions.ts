/**
 * Actions of routes that do not name one in `config.action` yet, keyed by
 * `METHOD <pattern>` with every `:param` written as `:` (so `:id` and `:nsInstanceId`
 * match alike). A route's own `config: { action }` always wins; this table lets the
 * policy cover routes written before auth existed without editing them.
 * HEAD uses the GET entry.
 */
export const ROUTE_ACTIONS: Readonly<Record<string, string>> = {
  'GET /healthz': 'health:read',
  'GET /readyz': 'health:read',
  'GET /metrics': 'metrics:read',
  'GET /api/docs': 'docs:read',
  'GET /api/docs/openapi.json': 'docs:read',
  'GET /api/events': 'events:read',
  'GET /ui': 'ui:read',
  'GET /ui/': 'ui:read',
  'GET /ui/*': 'ui:read',

  // 5GTANGO gatekeeper (also under /api/v2).
  'POST /packages': 'package:upload',
  'GET /packages': 'package:read',
  'POST /api/v2/packages': 'package:upload',
  'GET /api/v2/packages': 'package:read',
  'POST /instantiations': 'nslcm:instantiate',
  'GET /instantiations': 'nslcm:read',
  'POST /api/v2/instantiations': 'nslcm:instantiate',
  'GET /api/v2/instantiations': 'nslcm:read',
  'POST /api/v2/requests': 'nslcm:instantiate',
  'GET /api/v2/requests': 'nslcm:read',
  'GET /api/v2/requests/:': 'nslcm:read',
  'DELETE /instantiations': 'nslcm:terminate',
  'DELETE /api/v2/instantiations': 'nslcm:terminate',
  'DELETE /api/v2/requests': 'nslcm:terminate',
  'GET /api/v2/records/services': 'nslcm:read',
  'GET /api/v2/records/services/:': 'nslcm:read',
  'GET /api/v2/records/functions': 'nslcm:read',
  'GET /api/v2/records/functions/:': 'nslcm:read',

  // Admin.
  'GET /admin/v1/packages': 'package:read',
  'POST /admin/v1/packages': 'package:upload',
  'GET /admin/v1/packages/:': 'package:read',
  'DELETE /admin/v1/packages/:': 'package:delete',
  'GET /admin/v1/vims': 'vim:read',
  'POST /admin/v1/vims': 'vim:create',
  'GET /admin/v1/vims/:': 'vim:read',
  'PATCH /admin/v1/vims/:': 'vim:update',
  'PUT /admin/v1/vims/:': 'vim:update',
  'DELETE /admin/v1/vims/:': 'vim:delete',
  'POST /admin/v1/vims/:/check': 'vim:read',
  'POST /admin/v1/ns_instances/:/plan': 'nslcm:read',
  'GET /admin/v1/vims/:/vesagent': 'vesagent:read',
  'POST /admin/v1/vims/:/vesagent': 'vesagent:create',
  'PUT /admin/v1/vims/:/vesagent': 'vesagent:update',
  'DELETE /admin/v1/vims/:/vesagent': 'vesagent:delete',
  // ONAP multicloud VES agent API (seed 001).
  'GET /api/multicloud/v0/:/vesagent': 'vesagent:read',
  'POST /api/multicloud/v0/:/vesagent': 'vesagent:create',
  'DELETE /api/multicloud/v0/:/vesagent': 'vesagent:delete',

  // SOL005 VNF package management.
  'POST /vnfpkgm/v1/vnf_packages': 'vnfpkgm:create',
  'GET /vnfpkgm/v1/vnf_packages': 'vnfpkgm:read',
  'GET /vnfpkgm/v1/vnf_packages/:': 'vnfpkgm:read',
  'PATCH /vnfpkgm/v1/vnf_packages/:': 'vnfpkgm:update',
  'DELETE /vnfpkgm/v1/vnf_packages/:': 'vnfpkgm:delete',
  'GET /vnfpkgm/v1/vnf_packages/:/vnfd': 'vnfpkgm:read',
  'GET /vnfpkgm/v1/vnf_packages/:/package_content': 'vnfpkgm:read',
  'PUT /vnfpkgm/v1/vnf_packages/:/package_content': 'vnfpkgm:upload',
  'GET /vnfpkgm/v1/vnf_packages/:/artifacts/*': 'vnfpkgm:read',

  // SOL005 NSD management.
  'POST /nsd/v1/ns_descriptors': 'nsd:create',
  'GET /nsd/v1/ns_descriptors': 'nsd:read',
  'GET /nsd/v1/ns_descriptors/:': 'nsd:read',
  'PATCH /nsd/v1/ns_descriptors/:': 'nsd:update',
  'DELETE /nsd/v1/ns_descriptors/:': 'nsd:delete',
  'GET /nsd/v1/ns_descriptors/:/nsd_content': 'nsd:read',
  'PUT /nsd/v1/ns_descriptors/:/nsd_content': 'nsd:upload',

  // SOL005 NS lifecycle.
  'POST /nslcm/v1/ns_instances': 'nslcm:create',
  'GET /nslcm/v1/ns_instances': 'nslcm:read',
  'GET /nslcm/v1/ns_instances/:': 'nslcm:read',
  'DELETE /nslcm/v1/ns_instances/:': 'nslcm:delete',
  'POST /nslcm/v1/ns_instances/:/instantiate': 'nslcm:instantiate',
  'POST /nslcm/v1/ns_instances/:/terminate': 'nslcm:terminate',
  'POST /nslcm/v1/ns_instances/:/scale': 'nslcm:scale',
  'POST /nslcm/v1/ns_instances/:/heal': 'nslcm:heal',
  'POST /nslcm/v1/ns_instances/:/update': 'nslcm:update',
  'GET /nslcm/v1/ns_lcm_op_occs': 'nslcm:read',
  'GET /nslcm/v1/ns_lcm_op_occs/:': 'nslcm:read',
  'POST /nslcm/v1/ns_lcm_op_occs/:/retry': 'nslcm:retry',
  'POST /nslcm/v1/ns_lcm_op_occs/:/rollback': 'nslcm:rollback',
  'POST /nslcm/v1/ns_lcm_op_occs/:/fail': 'nslcm:fail',
  'POST /nslcm/v1/ns_lcm_op_occs/:/cancel': 'nslcm:cancel',
  'GET /nslcm/v1/subscriptions': 'subscription:read',
  'POST /nslcm/v1/subscriptions': 'subscription:create',
  'GET /nslcm/v1/subscriptions/:': 'subscription:read',
  'DELETE /nslcm/v1/subscriptions/:': 'subscription:delete',

  // SOL005 NS fault management.
  'GET /nsfm/v1/alarms': 'nsfm:read',
  'GET /nsfm/v1/alarms/:': 'nsfm:read',
  'PATCH /nsfm/v1/alarms/:': 'nsfm:ack',
  'GET /nsfm/v1/subscriptions': 'subscription:read',
  'POST /nsfm/v1/subscriptions': 'subscription:create',
  'GET /nsfm/v1/subscriptions/:': 'subscription:read',
  'DELETE /nsfm/v1/subscriptions/:': 'subscription:delete',
};

/** `GET /a/:id/b` → `GET /a/:/b`; HEAD reads as GET. */
export function routeKey(method: string, url: string): string {
  const m = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
  return `${m} ${url.replace(/:[^/]+/g, ':')}`;
}
