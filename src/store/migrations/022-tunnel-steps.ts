import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: the step kinds as this migration was released with them, never the live
// STEP_KINDS (see 005-stack-steps.ts).
const BEFORE = ['network', 'compute', 'route', 'start', 'stop', 'stack'];
const STEP_KINDS = [...BEFORE, 'tunnel'];

const CONSTRAINT = 'op_steps_kind_check';

/**
 * Lets `op_steps.kind` take `tunnel`: one step per inter-PoP link, making its tunnel
 * endpoints on every PoP the link spans and pointing them at each other.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(STEP_KINDS.map((k) => sql.lit(k)))}))`.execute(db);
}

/** Back to the kinds 005 knew; fails if `tunnel` steps are still stored. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(BEFORE.map((k) => sql.lit(k)))}))`.execute(db);
}
