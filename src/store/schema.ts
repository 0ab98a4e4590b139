import type { CatalogTables } from './catalog-schema.js';
import type { MonitoringTables } from './monitoring-schema.js';
import type { RuntimeTables } from './runtime-schema.js';
import type { AuthTables } from './auth-schema.js';
import type { OutboxTables } from './outbox-schema.js';
import type { PmTables } from './pm-schema.js';
import type { PnfdTables } from './pnfd-repository.js';
import type { PluginTables } from './plugin-repository.js';
import type { NsPolicyTables } from './ns-policy-repository.js';

/** Every table Rondo keeps, as Kysely sees them. */
export interface Database extends CatalogTables, RuntimeTables, MonitoringTables, AuthTables, PmTables, PnfdTables, OutboxTables, NsPolicyTables, PluginTables {}
