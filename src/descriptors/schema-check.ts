import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { ValidationIssue } from '../model/index.js';

/** A JSON schema (draft-07 subset) as a plain object. */
export type JsonSchema = Record<string, unknown>;

// One Ajv for all descriptor schemas: allErrors so every problem is reported at once;
// strict off because the schemas use `description` texts and open objects on purpose.
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

/**
 * Validates `doc` against `schema` and returns one issue per problem (empty when valid),
 * each with the JSON-pointer path of the offending field.
 */
export const checkSchema = (schema: JsonSchema, doc: unknown, file: string): ValidationIssue[] => {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  if (validate(doc)) return [];
  return (validate.errors ?? []).map((e) => toIssue(e, file));
};

const toIssue = (e: ErrorObject, file: string): ValidationIssue => {
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'required') {
    return { file, path: `${e.instancePath}/${String(params['missingProperty'])}`, message: `required field ${String(params['missingProperty'])} is missing` };
  }
  if (e.keyword === 'additionalProperties') {
    return { file, path: `${e.instancePath}/${String(params['additionalProperty'])}`, message: 'unknown field; remove it or check its spelling' };
  }
  if (e.keyword === 'enum') {
    const allowed = (params['allowedValues'] as unknown[] | undefined)?.map(String).join(', ') ?? '';
    return { file, path: e.instancePath, message: `must be one of: ${allowed}` };
  }
  return { file, path: e.instancePath, message: e.message ?? `fails ${e.keyword}` };
};
