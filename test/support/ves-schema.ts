import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * A validator for the published VES 7.2.1 CommonEventFormat 30.2.1 schema in
 * `test/fixtures/ves/`. It is draft-04; Ajv 8 speaks draft-07, and the keywords the
 * schema uses mean the same in both, so only `$schema` is dropped.
 */
export function vesSchemaValidator() {
  const path = new URL('../fixtures/ves/CommonEventFormat_30.2.1_ONAP.json', import.meta.url);
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true });
  (addFormats as unknown as (a: Ajv) => void)(ajv);
  return ajv.compile(schema);
}
