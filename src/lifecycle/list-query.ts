/**
 * Typed list queries of the lifecycle's records: what the API asks a repository for once
 * it has parsed a SOL013 query (attribute filter, paging). The repositories turn them
 * into one SQL statement each; nothing here knows HTTP or SQL.
 */

/** Comparison operators of a condition (the SOL013 §5.2.2 set). */
export const CONDITION_OPS = ['eq', 'neq', 'in', 'nin', 'gt', 'gte', 'lt', 'lte', 'cont', 'ncont'] as const;
export type ConditionOp = (typeof CONDITION_OPS)[number];

/**
 * Operators that hold when no value matches (`neq`, `nin`, `ncont`): a missing value
 * (SQL NULL) satisfies them, as SOL013 reads "not equal to any" on an absent attribute.
 */
export const NEGATIVE_CONDITION_OPS: readonly ConditionOp[] = ['neq', 'nin', 'ncont'];

/**
 * One condition on a field: true when some value of the field compares as `op` with one
 * of `values` (eq/in/cont: any value; neq/nin/ncont: none equal/contain any; gt…lte:
 * the first value). Text compares exactly and case-sensitively; `cont` is a substring
 * test. An empty `values` never matches (negative operators: always match).
 */
export interface Condition<F extends string> {
  readonly field: F;
  readonly op: ConditionOp;
  readonly values: readonly string[];
}

/**
 * Where a page starts: the sort key of the last row of the previous page. The order is
 * `(at, id)` ascending, so it is stable under inserts and deletes (keyset paging).
 * `at` is an ISO 8601 timestamp with microseconds, exactly as the repository gave it.
 */
export interface PageKey {
  readonly at: string;
  readonly id: string;
}

/** One page of records and the key to ask for the next one (null on the last page). */
export interface RecordPage<T> {
  readonly items: readonly T[];
  readonly next: PageKey | null;
}

/** Who may be seen: one tenant's records, or (undefined, admins) every tenant's. */
export interface TenantScope {
  readonly tenant?: string | undefined;
}

/** NS instance fields a condition may test. */
export const NS_INSTANCE_FIELDS = ['id', 'name', 'description', 'nsdId', 'nsdInfoId', 'state', 'flavourId'] as const;
export type NsInstanceField = (typeof NS_INSTANCE_FIELDS)[number];

/**
 * VNF/SAP record fields a member condition may test. `vnfdProvider`, `vnfdName` and
 * `vnfdVersion` are the parts of `vnfdRef` (`provider/name/version`, '' when missing).
 */
export const VNF_INSTANCE_FIELDS = ['id', 'memberId', 'vnfdId', 'vnfdProvider', 'vnfdName', 'vnfdVersion', 'popId', 'state'] as const;
export type VnfInstanceField = (typeof VNF_INSTANCE_FIELDS)[number];

/**
 * A condition on the NS's members of one kind (VNFs or SAPs): as for an array attribute
 * in SOL013, positive operators hold when some member matches, negative ones when none
 * does.
 */
export interface MemberCondition extends Condition<VnfInstanceField> {
  readonly member: 'vnf' | 'sap';
}

/** A page of NS instances: conditions ANDed, in `(createdAt, id)` order. */
export interface NsInstanceQuery extends TenantScope {
  readonly where?: readonly (Condition<NsInstanceField> | MemberCondition)[];
  readonly after?: PageKey;
  /** Page size (at least 1). */
  readonly limit: number;
}

/** Operation occurrence fields a condition may test (`error` needs a `path` into the ProblemDetails). */
export const OP_OCC_FIELDS = [
  'id', 'operationState', 'statusEnteredTime', 'nsInstanceId', 'lcmOperationType', 'startTime', 'isAutomaticInvocation', 'isCancelPending', 'cancelMode', 'error',
] as const;
export type OpOccField = (typeof OP_OCC_FIELDS)[number];

/**
 * A condition on an operation field. Times compare as timestamps for gt…lte (the value
 * must be a valid ISO 8601 time) and as their ISO text (`…T…:…:….mmmZ`) otherwise;
 * booleans as `true`/`false`; `error` reads the text at `path`.
 */
export interface OpOccCondition extends Condition<OpOccField> {
  readonly path?: readonly string[];
}

/** A page of operation occurrences: conditions ANDed, in `(startTime, id)` order. */
export interface OpOccQuery extends TenantScope {
  readonly where?: readonly OpOccCondition[];
  readonly after?: PageKey;
  /** Page size (at least 1). */
  readonly limit: number;
}
