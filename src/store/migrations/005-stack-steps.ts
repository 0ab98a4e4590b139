import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// Frozen: the step kinds as this migration was released with them, never the live
// STEP_KINDS (editing a constant must not change what an old migration does; a new kind
// needs a new migration). test/unit/migrations-frozen.test.ts keeps this folder free of
// imports other than kysely.
const BEFORE = ['network', 'compute', 'route', 'start', 'stop'];
const STEP_KINDS = [...BEFORE, 'stack'];

// PostgreSQL names an unnamed column CHECK `<table>_<column>_check`; 002 created it that way.
const CONSTRAINT = 'op_steps_kind_check';

/**
 * Lets `op_steps.kind` take `stack` (one Heat stack per VNF on an OpenStack PoP): the
 * CHECK of 002 is replaced by one that also allows `stack`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(STEP_KINDS.map((k) => sql.lit(k)))}))`.execute(db);
}

/** Back to the kinds 002 knew; fails if `stack` steps are still stored. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(BEFORE.map((k) => sql.lit(k)))}))`.execute(db);
}
