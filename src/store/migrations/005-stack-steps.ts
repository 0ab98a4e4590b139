import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { STEP_KINDS } from '../../model/index.js';

// PostgreSQL names an unnamed column CHECK `<table>_<column>_check`; 002 created it that way.
const CONSTRAINT = 'op_steps_kind_check';

/**
 * Lets `op_steps.kind` take `stack` (one Heat stack per VNF on an OpenStack PoP): the
 * CHECK of 002 is replaced by one built from today's STEP_KINDS, so the names stay
 * identical in TypeScript and SQL.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(STEP_KINDS.map((k) => sql.lit(k)))}))`.execute(db);
}

/** Back to the kinds 002 knew; fails if `stack` steps are still stored. */
export async function down(db: Kysely<unknown>): Promise<void> {
  const before = STEP_KINDS.filter((k) => k !== 'stack');
  await sql`alter table op_steps drop constraint if exists ${sql.id(CONSTRAINT)}`.execute(db);
  await sql`alter table op_steps add constraint ${sql.id(CONSTRAINT)} check (kind in (${sql.join(before.map((k) => sql.lit(k)))}))`.execute(db);
}
