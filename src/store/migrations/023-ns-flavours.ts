import { sql } from 'kysely';
import type { Kysely } from 'kysely';

/**
 * What an NS instance was instantiated with, on `ns_instances`:
 * - `flavour_id`: SOL005 `NsInstance.flavourId`, the NSD deployment flavour;
 * - `vnf_flavours`: member id → the VNF deployment flavour of its VNFD
 *   (`instantiatedVnfInfo.flavourId`).
 * Both null until an INSTANTIATE is accepted. Rows from before get `flavour_id` from their
 * NSD as the catalog keeps it (its first SOL006 df, its SOL001 NS node's flavour_id, or
 * `default` for a 5GTANGO NSD, whose top-level sections are the one flavour Rondo
 * deploys); `vnf_flavours` stays null there and is read from the VNFDs when shown.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ns_instances').addColumn('flavour_id', 'text').execute();
  await db.schema.alterTable('ns_instances').addColumn('vnf_flavours', 'jsonb').execute();
  await sql`
    update ns_instances ns set flavour_id = coalesce(
      d.descriptor #>> '{deploymentFlavours,0,id}',
      jsonb_path_query_first(d.descriptor, '$.source.topology_template.node_templates.* ? (@.type == "tosca.nodes.nfv.NS").properties.flavour_id') #>> '{}',
      'default')
    from nsds d
    where d.id = ns.nsd_info_id and d.descriptor is not null`.execute(db);
}

/** Drops both columns. */
export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('ns_instances').dropColumn('vnf_flavours').execute();
  await db.schema.alterTable('ns_instances').dropColumn('flavour_id').execute();
}
