import type { Condition, MemberCondition, NsInstanceField, NsInstanceQuery, VnfInstanceField } from '../../../lifecycle/index.js';
import { BadRequestError } from '../../../model/index.js';
import { decodePageMarker, droppedAttributes, parseFilter } from '../../http/sol013-query.js';
import type { FilterTerm } from '../../http/sol013-query.js';
import type { ListQueryValues } from '../../http/list-response.js';
import { NS_INSTANCE_ATTRIBUTES, NS_INSTANCE_DEFAULT_EXCLUDED } from './ns-instance-view.js';

/** NsInstance attribute → NS record field. */
const NS_FIELDS: Readonly<Record<string, NsInstanceField>> = {
  id: 'id', nsInstanceName: 'name', nsInstanceDescription: 'description', nsdId: 'nsdId', nsdInfoId: 'nsdInfoId', nsState: 'state',
  // The stored flavour while INSTANTIATED, absent otherwise, as the view shows it (the store tests it so).
  flavourId: 'flavourId',
};
/** `vnfInstance/<attr>` → VNF record field (the view's `toVnfInstanceView`). */
const VNF_FIELDS: Readonly<Record<string, VnfInstanceField>> = {
  id: 'id', vnfInstanceName: 'memberId', memberId: 'memberId', vnfdId: 'vnfdId', vnfProvider: 'vnfdProvider', vnfProductName: 'vnfdName',
  vnfSoftwareVersion: 'vnfdVersion', vnfdVersion: 'vnfdVersion', popId: 'popId', state: 'state',
};
/** `sapInfo/<attr>` → SAP record field (the view's `toSapInfoView`). */
const SAP_FIELDS: Readonly<Record<string, VnfInstanceField>> = { id: 'id', sapdId: 'memberId', sapName: 'memberId', memberId: 'memberId', popId: 'popId', state: 'state' };

const unsupported = (t: FilterTerm, supported: string) =>
  new BadRequestError(`filter attribute ${t.path.join('/')} cannot be filtered on; use one of ${supported}`, { code: 'INVALID_FILTER' });

/** One SOL013 term as store conditions (none: always true). */
function conditionsOf(t: FilterTerm): (Condition<NsInstanceField> | MemberCondition)[] {
  const [attr, sub, ...deeper] = t.path as [string, ...string[]];
  const { op, values } = t;
  if (attr === 'vnfInstance' || attr === 'sapInfo') {
    const fields = attr === 'vnfInstance' ? VNF_FIELDS : SAP_FIELDS;
    const field = sub !== undefined && deeper.length === 0 ? fields[sub] : undefined;
    if (!field) throw unsupported(t, Object.keys(fields).map((f) => `${attr}/${f}`).join(', '));
    return [{ member: attr === 'vnfInstance' ? 'vnf' : 'sap', field, op, values }];
  }
  const field = sub === undefined ? NS_FIELDS[attr] : undefined;
  if (!field) throw unsupported(t, [...Object.keys(NS_FIELDS), 'vnfInstance/…', 'sapInfo/…'].join(', '));
  return [{ field, op, values }];
}

/** What an NS instance list asks of the store, and which members it must load. */
export interface NsInstanceListPlan {
  readonly query: NsInstanceQuery;
  /** Attributes left out of each item. */
  readonly drop: ReadonlySet<string>;
  readonly loadVnfs: boolean;
  readonly loadSaps: boolean;
}

/**
 * Translates a SOL013 list query of `/ns_instances` into the store's query: filter terms
 * into conditions (BadRequestError `INVALID_FILTER` for unknown or unsupported
 * attributes), the marker into the page key (`INVALID_MARKER`), the caller's tenant
 * (undefined for admins) into the scope. VNF instances and SAPs, excluded by default
 * (SOL005 §6.4.2.3.2), are loaded only when the selectors keep them.
 */
export function nsInstanceListPlan(q: ListQueryValues, tenant: string | undefined, pageSize: number): NsInstanceListPlan {
  const terms = q.filter ? parseFilter(q.filter, NS_INSTANCE_ATTRIBUTES) : [];
  const drop = droppedAttributes(q, NS_INSTANCE_DEFAULT_EXCLUDED);
  const query: NsInstanceQuery = {
    tenant,
    where: terms.flatMap(conditionsOf),
    ...(q.nextpage_opaque_marker !== undefined ? { after: decodePageMarker(q.nextpage_opaque_marker) } : {}),
    limit: pageSize,
  };
  return { query, drop, loadVnfs: !drop.has('vnfInstance'), loadSaps: !drop.has('sapInfo') };
}
