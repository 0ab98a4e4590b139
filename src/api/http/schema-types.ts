import { Type } from 'typebox';
import type { TUnsafe } from 'typebox';
import { ERROR_CODE_LIST } from '../../model/index.js';

/** A string schema limited to a const array's values (`enum` in OpenAPI). */
export const StringEnum = <const T extends readonly string[]>(values: T, opts: { description?: string } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...opts });

/** SOL013 Link: `{ href }`. */
export const Link = Type.Object({ href: Type.String() });

/** Free-form JSON object (userDefinedData, ProblemDetails extras). */
export const KeyValuePairs = Type.Record(Type.String(), Type.Unknown());

/** RFC 7807 ProblemDetails with Rondo's `code` and any extras. */
export const ProblemDetailsSchema = Type.Object(
  {
    type: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.Optional(Type.String()),
    code: Type.Optional(StringEnum(ERROR_CODE_LIST)),
  },
  { additionalProperties: true },
);

/** SOL013 attribute-based filtering, selection and paging parameters. */
export const ListQuery = Type.Object({
  filter: Type.Optional(Type.String({ description: 'SOL013 filter, e.g. (eq,onboardingState,ONBOARDED);(cont,vnfProvider,acme)' })),
  all_fields: Type.Optional(Type.String()),
  fields: Type.Optional(Type.String()),
  exclude_fields: Type.Optional(Type.String()),
  exclude_default: Type.Optional(Type.String()),
  nextpage_opaque_marker: Type.Optional(Type.String()),
});

/** `{ id }` path parameter. */
export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 128 }) });
