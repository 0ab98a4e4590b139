import { ERROR_CODE_LIST, ERROR_CODES } from '../../model/index.js';

/** The OpenAPI document as this module reads and extends it. */
interface OpenApiDoc {
  components?: { schemas?: Record<string, unknown>; [k: string]: unknown };
  paths?: Record<string, Record<string, unknown>>;
  [k: string]: unknown;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);

const PROBLEM_RESPONSE = {
  description: 'Error: RFC 7807 ProblemDetails; `code` is one of ErrorCode and fixes the status (see x-error-codes)',
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/ProblemDetails' } } },
};

/**
 * Adds the error table to an OpenAPI 3 document, in the forms client generators read:
 * `components.schemas.ErrorCode` (a string enum of every code), `ProblemDetails` (RFC 7807
 * with `code: ErrorCode`), a `default` response of every operation that has none
 * referencing it (so openapi-typescript and openapi-generator type the error bodies), and
 * the vendor extension `x-error-codes` listing `{code, status, retryable, title}` for
 * docs and for clients that decide on retrying by code. Returns a new document.
 */
export function withErrorCodes<T extends object>(source: T): T {
  const doc = source as OpenApiDoc;
  const paths = Object.fromEntries(
    Object.entries(doc.paths ?? {}).map(([path, item]) => [
      path,
      Object.fromEntries(
        Object.entries(item).map(([method, op]) => {
          if (!HTTP_METHODS.has(method) || typeof op !== 'object' || op === null) return [method, op];
          const o = op as { responses?: Record<string, unknown> };
          return [method, o.responses?.['default'] ? o : { ...o, responses: { ...o.responses, default: PROBLEM_RESPONSE } }];
        }),
      ),
    ]),
  );
  return {
    ...doc,
    paths,
    components: {
      ...doc.components,
      schemas: {
        ...doc.components?.schemas,
        ErrorCode: { type: 'string', enum: [...ERROR_CODE_LIST], description: 'Stable error code; its HTTP status, retryability and title are listed in x-error-codes' },
        ProblemDetails: {
          type: 'object',
          description: 'RFC 7807 problem details with Rondo`s code; extras such as issues, vim, vimKind, vimDetail (and tlsProblem, tlsSide for VIM_TLS) may follow',
          required: ['status', 'detail'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            instance: { type: 'string' },
            code: { $ref: '#/components/schemas/ErrorCode' },
          },
          additionalProperties: true,
        },
      },
    },
    'x-error-codes': ERROR_CODE_LIST.map((code) => ({ code, ...ERROR_CODES[code] })),
  } as T;
}
