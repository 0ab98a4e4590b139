import type { Migration } from 'kysely';
import * as catalog from './001-catalog.js';
import * as runtime from './002-runtime.js';
import * as monitoring from './003-monitoring.js';
import * as auth from './004-auth.js';
import * as stackSteps from './005-stack-steps.js';
import * as vimSecretSealed from './006-vim-secret-sealed.js';
import * as subscriptionScope from './007-subscription-scope.js';
import * as listIndexes from './008-list-indexes.js';
import * as sol005Records from './009-sol005-records.js';
import * as memberFilterIndexes from './010-member-filter-indexes.js';
import * as subscriptionApis from './011-subscription-apis.js';
import * as sol006Formats from './012-sol006-formats.js';
import * as outbox from './014-outbox.js';
import * as nsPerformance from './015-ns-performance.js';
import * as pnfds from './016-pnfds.js';
import * as vnfcScaleStatus from './017-vnfc-scale-status.js';
import * as nsPolicies from './018-ns-policies.js';
import * as plugins from './019-plugins.js';
import * as scalePolicyParams from './020-scale-policy-params.js';
import * as tunnelSteps from './022-tunnel-steps.js';
import * as nsFlavours from './023-ns-flavours.js';

/** All migrations, in order. Names never change once released. */
export const MIGRATIONS: Record<string, Migration> = {
  '001-catalog': catalog,
  '002-runtime': runtime,
  '003-monitoring': monitoring,
  '004-auth': auth,
  '005-stack-steps': stackSteps,
  '006-vim-secret-sealed': vimSecretSealed,
  '007-subscription-scope': subscriptionScope,
  '008-list-indexes': listIndexes,
  '009-sol005-records': sol005Records,
  '010-member-filter-indexes': memberFilterIndexes,
  '011-subscription-apis': subscriptionApis,
  '012-sol006-formats': sol006Formats,
  '014-outbox': outbox,
  '015-ns-performance': nsPerformance,
  '016-pnfds': pnfds,
  '017-vnfc-scale-status': vnfcScaleStatus,
  '018-ns-policies': nsPolicies,
  '019-plugins': plugins,
  '020-scale-policy-params': scalePolicyParams,
  '022-tunnel-steps': tunnelSteps,
  '023-ns-flavours': nsFlavours,
};
