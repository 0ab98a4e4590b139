import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen once released: literal values only (test/unit/migrations-frozen.test.ts).

/**
 * Auto-scale policies (issue #16) on `ns_policies`: the thresholds, window and cooldown an
 * operator overrode for one NS instance (`scaleOutThreshold`, `scaleInThreshold`,
 * `windowSeconds`, `cooldownSeconds`; a key absent takes the descriptor's). The firing
 * state reuses `attempts` (scales started since the policy was set) and `last_fired_at`
 * (the cooldown runs from it).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ns_policies').addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`)).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ns_policies').dropColumn('params').execute();
}
