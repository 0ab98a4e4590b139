/**
 * The default policy: one rule per API action, in the rule language of
 * {@link parseRule}. A YAML file (`RONDO_POLICY_FILE`) overrides single entries.
 * Actions nobody wrote a rule for fall to `default`, which denies: a forgotten rule is
 * a 403 found in testing, never an open door.
 *
 * Two layers decide a call. The auth plugin checks the route's rule before the handler
 * runs, when the target is not loaded yet: it evaluates with the caller's own tenant as
 * `%(tenant)s`, so a rule there is about roles (403 `POLICY_DENIED`). Ownership — the
 * `admin_or_owner` part, with the real resource's tenant — is checked by every handler
 * once it has loaded the resource (`assertVisible`, `assertVimVisible`, tenant-filtered
 * lists), and answers 404 like a missing resource so another tenant's ids never leak.
 * Keep both: an override like `nslcm:terminate: rule:admin_or_owner` only drops the role
 * requirement, never the tenant boundary.
 */
export const DEFAULT_POLICY: Readonly<Record<string, string>> = {
  // Building blocks.
  default: '!',
  admin: 'role:admin',
  operator: 'role:operator or rule:admin',
  reader: 'role:viewer or rule:operator',
  admin_or_owner: 'rule:admin or tenant:%(tenant)s',

  // Public or self-service.
  'health:read': '@',
  'docs:read': '@',
  // SOL013 §9.3 API versions of the SOL005 APIs.
  'apiversions:read': '@',
  'token:create': '@',
  // Series are labelled with every tenant's NS and VNF ids: only admins (or their API keys) scrape.
  'metrics:read': 'rule:admin',
  'events:read': 'rule:reader',
  'ui:read': '@',
  // API keys: anyone manages their own; handlers show others' keys to admins only.
  'apikey:create': '@',
  'apikey:read': '@',
  'apikey:delete': '@',

  // Administration.
  'user:self': '@',
  'user:read': 'rule:admin',
  'user:create': 'rule:admin',
  'user:update': 'rule:admin',
  'user:delete': 'rule:admin',
  'audit:read': 'rule:admin',

  // Packages (SOL005 VNF packages, 5GTANGO /packages, admin listing).
  'vnfpkgm:read': 'rule:reader',
  'vnfpkgm:create': 'rule:operator',
  'vnfpkgm:upload': 'rule:operator',
  'vnfpkgm:update': 'rule:operator',
  'vnfpkgm:delete': 'rule:operator',
  'package:read': 'rule:reader',
  'package:upload': 'rule:operator',
  'package:delete': 'rule:operator',

  // NSDs.
  'nsd:read': 'rule:reader',
  'nsd:create': 'rule:operator',
  'nsd:upload': 'rule:operator',
  'nsd:update': 'rule:operator',
  'nsd:delete': 'rule:operator',

  // NS lifecycle and its operations. Only actions some route declares: a test fails on a
  // rule no route uses.
  'nslcm:read': 'rule:reader',
  'nslcm:create': 'rule:operator',
  'nslcm:instantiate': 'rule:operator',
  'nslcm:terminate': 'rule:operator',
  'nslcm:heal': 'rule:operator',
  'nslcm:scale': 'rule:operator',
  'nslcm:update': 'rule:operator',
  'nslcm:delete': 'rule:operator',
  'nslcm:retry': 'rule:operator',
  'nslcm:continue': 'rule:operator',
  'nslcm:rollback': 'rule:operator',
  'nslcm:fail': 'rule:operator',
  'nslcm:cancel': 'rule:operator',

  // Faults and subscriptions.
  'nsfm:read': 'rule:reader',
  'nsfm:ack': 'rule:operator',
  'nspm:read': 'rule:reader',
  'nspm:create': 'rule:operator',
  'nspm:update': 'rule:operator',
  'nspm:delete': 'rule:operator',
  'subscription:read': 'rule:reader',
  'subscription:create': 'rule:operator',
  'subscription:delete': 'rule:operator',

  // VIM accounts (PoPs) and their VES agents: credentials, so admins change them.
  'vim:read': 'rule:reader',
  'vim:create': 'rule:admin',
  'vim:update': 'rule:admin',
  'vim:delete': 'rule:admin',
  'vim:share': 'rule:admin',
  'vesagent:read': 'rule:reader',
  'vesagent:create': 'rule:admin',
  'vesagent:delete': 'rule:admin',

  // NS policies (auto-heal): operators set them for their NS instances (handlers check the tenant).
  'policy:read': 'rule:reader',
  'policy:update': 'rule:operator',

  // Reconciliation deletes VIM resources on every PoP: admins only.
  'reconcile:run': 'rule:admin',

  // Plugins (SSMs, FSMs, MANO plugins) are deployment-wide, no tenant's: admins only.
  'plugin:read': 'rule:admin',
  'plugin:deregister': 'rule:admin',
};
