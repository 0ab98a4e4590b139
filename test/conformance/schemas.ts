import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

/**
 * The response schemas the replay checks against: the SOL005 v2.6.1 schemas already
 * transcribed for Rondo's tests (test/fixtures/sol005-schemas/), plus the few small
 * structures they lack, written here from the SOL005/SOL013 clauses named beside each.
 */
const SCHEMA_DIR = join(process.cwd(), 'test/fixtures/sol005-schemas');

const link = { type: 'object', required: ['href'], properties: { href: { type: 'string' } } };
const OWN: Record<string, object> = {
  // SOL013 §9.3.3.4.2 ApiVersionInformation.
  ApiVersionInformation: {
    type: 'object',
    required: ['uriPrefix', 'apiVersions'],
    properties: {
      uriPrefix: { type: 'string' },
      apiVersions: { type: 'array', minItems: 1, items: { type: 'object', required: ['version'], properties: { version: { type: 'string' }, isDeprecated: { type: 'boolean' }, retirementDate: { type: 'string' } } } },
    },
  },
  // SOL005 §5.5.2.6 NsdInfoModifications: at least one of the two attributes.
  NsdInfoModification: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: { nsdOperationalState: { enum: ['ENABLED', 'DISABLED'] }, userDefinedData: { type: 'object' } },
  },
  // SOL005 §5.5.2.4 PnfdInfoModifications: userDefinedData is mandatory.
  PnfdInfoModification: { type: 'object', required: ['userDefinedData'], additionalProperties: false, properties: { userDefinedData: { type: 'object' } } },
  // SOL005 §9.5.2.3 PkgmInfoModifications.
  VnfPkgInfoModification: {
    type: 'object',
    minProperties: 1,
    additionalProperties: false,
    properties: { operationalState: { enum: ['ENABLED', 'DISABLED'] }, userDefinedData: { type: 'object' } },
  },
  // SOL005 §8.5.2.5 AlarmModifications.
  AlarmModifications: { type: 'object', required: ['ackState'], additionalProperties: false, properties: { ackState: { enum: ['ACKNOWLEDGED', 'UNACKNOWLEDGED'] } } },
  // SOL005 §8.5.2.6 AlarmClearedNotification.
  AlarmClearedNotification: {
    type: 'object',
    required: ['id', 'notificationType', 'subscriptionId', 'timeStamp', 'alarmId', 'alarmClearedTime', '_links'],
    properties: {
      id: { type: 'string' }, notificationType: { const: 'AlarmClearedNotification' }, subscriptionId: { type: 'string' }, timeStamp: { type: 'string', format: 'date-time' },
      alarmId: { type: 'string' }, alarmClearedTime: { type: 'string', format: 'date-time' },
      _links: { type: 'object', required: ['subscription', 'alarm'], properties: { subscription: link, alarm: link } },
    },
  },
  // SOL005 §6.5.2.4 LccnSubscription.
  LccnSubscription: {
    type: 'object',
    required: ['id', 'callbackUri', '_links'],
    properties: { id: { type: 'string' }, filter: { type: 'object' }, callbackUri: { type: 'string' }, _links: { type: 'object', required: ['self'], properties: { self: link } } },
  },
  // SOL005 §8.5.2.3 FmSubscription.
  FmSubscription: {
    type: 'object',
    required: ['id', 'callbackUri', '_links'],
    properties: { id: { type: 'string' }, filter: { type: 'object' }, callbackUri: { type: 'string' }, _links: { type: 'object', required: ['self'], properties: { self: link } } },
  },
};

/** Names the cases use → schema references in the registry. */
const NAMES: Record<string, string> = {
  ProblemDetails: 'common.schema.json#/definitions/ProblemDetails',
  NsdInfo: 'NsdInfo.schema.json',
  PnfdInfo: 'PnfdInfo.schema.json',
  VnfPkgInfo: 'VnfPkgInfo.schema.json',
  VnfPkgInfoListed: 'VnfPkgInfoListed.schema.json',
  NsdmSubscription: 'NsdmNotifications.schema.json#/definitions/NsdmSubscription',
  PkgmSubscription: 'PkgmNotifications.schema.json#/definitions/PkgmSubscription',
  NsInstance: 'NsInstance.schema.json',
  NsLcmOpOcc: 'NsLcmOpOcc.schema.json',
  Alarm: 'Alarm.schema.json#/definitions/Alarm',
  PmJob: 'NsPm.schema.json#/definitions/PmJob',
  PerformanceReport: 'NsPm.schema.json#/definitions/PerformanceReport',
  Threshold: 'NsPm.schema.json#/definitions/Threshold',
  PmSubscription: 'NsPm.schema.json#/definitions/PmSubscription',
  ...Object.fromEntries(Object.keys(OWN).map((k) => [k, `own:${k}`])),
  ...Object.fromEntries(
    (
      [
        ['NsdmNotifications', ['NsdOnBoardingNotification', 'NsdOnboardingFailureNotification', 'NsdChangeNotification', 'NsdDeletionNotification', 'PnfdOnBoardingNotification', 'PnfdOnBoardingFailureNotification', 'PnfdDeletionNotification']],
        ['PkgmNotifications', ['VnfPackageOnboardingNotification', 'VnfPackageChangeNotification']],
        ['NsLcmNotifications', ['NsLcmOperationOccurrenceNotification', 'NsIdentifierCreationNotification', 'NsIdentifierDeletionNotification']],
        ['Alarm', ['AlarmNotification']],
        ['NsPm', ['PerformanceInformationAvailableNotification', 'ThresholdCrossedNotification']],
      ] as const
    ).flatMap(([file, defs]) => defs.map((d) => [d, `${file}.schema.json#/definitions/${d}`])),
  ),
};

/** Validates bodies by schema name; `Name[]` is an array of `Name`. */
export interface SchemaRegistry {
  /** The violations of `body` against the named schema (empty when it passes). */
  violations(name: string, body: unknown): string[];
}

export async function loadSchemas(): Promise<SchemaRegistry> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  // ajv-formats is CommonJS: its default export arrives wrapped under ESM.
  const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => Ajv;
  addFormats(ajv);
  for (const f of (await readdir(SCHEMA_DIR)).filter((n) => n.endsWith('.schema.json'))) ajv.addSchema(JSON.parse(await readFile(join(SCHEMA_DIR, f), 'utf8')) as object);
  for (const [k, s] of Object.entries(OWN)) ajv.addSchema(s, `own:${k}`);
  // SOL005 §9.4.2.3.2 leaves checksum (with softwareImages, additionalArtifacts, …) out of a
  // list unless asked for, so a listed VnfPkgInfo may lack the checksum the record schema
  // requires once ONBOARDED: the spec text wins over the record schema for lists.
  const pkg = JSON.parse(await readFile(join(SCHEMA_DIR, 'VnfPkgInfo.schema.json'), 'utf8')) as { $id: string; then: { required: string[] } };
  ajv.addSchema({ ...pkg, $id: 'VnfPkgInfoListed.schema.json', then: { required: pkg.then.required.filter((r) => r !== 'checksum') } });
  const compiled = new Map<string, ValidateFunction>();
  const validator = (name: string): ValidateFunction => {
    const hit = compiled.get(name);
    if (hit) return hit;
    const ref = NAMES[name];
    if (!ref) throw new Error(`no schema named ${name}`);
    const v = ajv.getSchema(ref);
    if (!v) throw new Error(`schema ${ref} not loaded`);
    compiled.set(name, v);
    return v;
  };
  return {
    violations(name, body) {
      const many = name.endsWith('[]');
      const v = validator(many ? name.slice(0, -2) : name);
      if (many && !Array.isArray(body)) return ['/ is not an array'];
      const items = many ? (body as unknown[]) : [body];
      const out: string[] = [];
      items.forEach((item, i) => {
        if (!v(item)) for (const e of v.errors ?? []) out.push(`${many ? `/${i}` : ''}${e.instancePath} ${e.message ?? ''}`);
      });
      return out;
    },
  };
}
