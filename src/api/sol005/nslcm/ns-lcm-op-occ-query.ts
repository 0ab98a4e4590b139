import type { OpOccCondition, OpOccField, OpOccQuery } from '../../../lifecycle/index.js';
import { OP_OCC_FIELDS } from '../../../lifecycle/index.js';
import { BadRequestError } from '../../../model/index.js';
import { decodePageMarker, droppedAttributes, parseFilter } from '../../http/sol013-query.js';
import type { FilterTerm } from '../../http/sol013-query.js';
import type { ListQueryValues } from '../../http/list-response.js';
import { OP_OCC_ATTRIBUTES, OP_OCC_DEFAULT_EXCLUDED } from './ns-lcm-op-occ-view.js';

const isField = (s: string): s is OpOccField => (OP_OCC_FIELDS as readonly string[]).includes(s);

/** One SOL013 term as a store condition; `error` needs a member (`error/status`), the others none. */
function conditionOf(t: FilterTerm): OpOccCondition {
  const [attr, ...path] = t.path as [string, ...string[]];
  if (!isField(attr) || (attr === 'error') !== path.length > 0) {
    throw new BadRequestError(`filter attribute ${t.path.join('/')} cannot be filtered on; use one of ${OP_OCC_FIELDS.map((f) => (f === 'error' ? 'error/<member>' : f)).join(', ')}`, {
      code: 'INVALID_FILTER',
    });
  }
  return { field: attr, op: t.op, values: t.values, ...(path.length > 0 ? { path } : {}) };
}

/** What an operation list asks of the store, and whether it must load steps. */
export interface OpOccListPlan {
  readonly query: OpOccQuery;
  /** Attributes left out of each item. */
  readonly drop: ReadonlySet<string>;
  readonly loadSteps: boolean;
}

/**
 * Translates a SOL013 list query of `/ns_lcm_op_occs` into the store's query (see
 * `nsInstanceListPlan`). Steps (Rondo's extension) come with `all_fields` or when named
 * in `fields`, as before.
 */
export function opOccListPlan(q: ListQueryValues, tenant: string | undefined, pageSize: number): OpOccListPlan {
  const terms = q.filter ? parseFilter(q.filter, OP_OCC_ATTRIBUTES) : [];
  const drop = droppedAttributes(q, OP_OCC_DEFAULT_EXCLUDED);
  const query: OpOccQuery = {
    tenant,
    where: terms.map(conditionOf),
    ...(q.nextpage_opaque_marker !== undefined ? { after: decodePageMarker(q.nextpage_opaque_marker) } : {}),
    limit: pageSize,
  };
  const loadSteps = q.all_fields !== undefined || (q.fields ?? '').split(',').includes('steps');
  return { query, drop, loadSteps };
}
