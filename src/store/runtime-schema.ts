import type { ColumnType, Generated } from 'kysely';

/** timestamptz: read as Date, written as Date or ISO text. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** jsonb: read parsed, written as JSON text (same on pg and PGlite). */
type Json<T> = ColumnType<T, string, string>;

export interface VimAccountsTable {
  id: string;
  name: string;
  type: string;
  endpoint: string;
  capacity_cpu: number | null;
  capacity_memory_mib: number | null;
  config: Json<Record<string, unknown>>;
  tenant: Generated<string>;
  created_at: Timestamp;
  /** `SecretBox.seal` of the credentials (JSON); null: none. Never the clear text. */
  secret_sealed: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface NsInstancesTable {
  id: string;
  name: string;
  description: string;
  nsd_id: string;
  nsd_info_id: string;
  state: string;
  tenant: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  /** SOL005 flavourId (023); null until an INSTANTIATE is accepted. */
  flavour_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Member id → VNF flavour id (023); null like flavour_id, and on rows from before. */
  vnf_flavours: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
}

export interface VnfInstancesTable {
  id: string;
  ns_instance_id: string;
  member_id: string;
  kind: string;
  vnfd_id: string | null;
  vnfd_ref: string | null;
  /** VnfPkgInfo id of the VNFD (009); null for SAPs and rows from before. */
  vnf_pkg_id: ColumnType<string | null, string | null | undefined, string | null>;
  pop_id: string;
  compute_ids: Json<string[]>;
  interfaces: Json<unknown[]>;
  /** VNFC instances (017); null for rows from before. */
  vnfcs: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  /** SOL005 scaleStatus (017); null for rows from before and SAPs. */
  scale_status: ColumnType<unknown[] | null, string | null | undefined, string | null>;
  state: string;
  cpu: number;
  memory_mib: number;
  created_at: Timestamp;
}

export interface LcmOpOccsTable {
  id: string;
  ns_instance_id: string;
  lcm_operation_type: string;
  operation_state: string;
  status_entered_time: Timestamp;
  start_time: Timestamp;
  is_automatic_invocation: boolean;
  /** SOL005 `operationParams`: the operation's request as received. */
  operation_params: Json<Record<string, unknown>>;
  /** The worker's parameters (placement, autoRollback) (009); null in rows from before, which kept them in operation_params. */
  internal_params: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  is_cancel_pending: boolean;
  cancel_mode: string | null;
  error: Json<Record<string, unknown> | null> | null;
  tenant: Generated<string>;
  owner: string | null;
  lease_expires_at: Timestamp | null;
  attempts: Generated<number>;
  deadline: Timestamp | null;
}

export interface OpStepsTable {
  id: string;
  op_id: string;
  seq: number;
  phase: number;
  kind: string;
  target: string;
  pop_id: string;
  params: Json<Record<string, unknown>>;
  state: string;
  result: Json<Record<string, unknown> | null> | null;
  error: Json<Record<string, unknown> | null> | null;
  started_at: Timestamp | null;
  ended_at: Timestamp | null;
}

export interface IpAllocationsTable {
  pool: string;
  subnet: string;
  subnet_index: number;
  ns_instance_id: string;
  link_id: string;
  allocated_at: Timestamp;
}

/** Tables of the runtime (VIM accounts, NS/VNF instances, operations, steps, IPAM). */
export interface RuntimeTables {
  vim_accounts: VimAccountsTable;
  ns_instances: NsInstancesTable;
  vnf_instances: VnfInstancesTable;
  lcm_op_occs: LcmOpOccsTable;
  op_steps: OpStepsTable;
  ip_allocations: IpAllocationsTable;
}
