/**
 * The error table as API clients get it: every code in the OpenAPI document in a form a
 * client generator types (checked with openapi-typescript, which builds the dashboard's
 * client types), and real error answers whose status and title are the table's.
 */
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODE_LIST, ERROR_CODES } from '../../src/model/index.js';
import { openTestApp } from '../support/app.js';
import type { TestApp } from '../support/app.js';

describe('error codes in the API', () => {
  let t: TestApp;
  let doc: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  beforeAll(async () => {
    t = await openTestApp('pglite', 'error-codes-api');
    const r = await t.app.inject({ method: 'GET', url: '/api/docs/openapi.json' });
    expect(r.statusCode).toBe(200);
    doc = r.json();
  });
  afterAll(async () => t?.close());

  it('lists every code of the table in GET /api/docs/openapi.json', () => {
    expect([...doc.components.schemas.ErrorCode.enum].sort()).toEqual([...ERROR_CODE_LIST].sort());
    expect(doc.components.schemas.ProblemDetails.properties.code).toEqual({ $ref: '#/components/schemas/ErrorCode' });
    expect(doc['x-error-codes']).toEqual(ERROR_CODE_LIST.map((code) => ({ code, ...ERROR_CODES[code] })));
    for (const entry of doc['x-error-codes'] as { code: string; status: number }[]) {
      if (entry.code.startsWith('VIM_')) expect([401, 404], entry.code).not.toContain(entry.status);
    }
  });

  it('gives every operation a default ProblemDetails response', () => {
    const ops = Object.entries(doc.paths as Record<string, Record<string, { responses?: Record<string, any> }>>).flatMap(([path, item]) => // eslint-disable-line @typescript-eslint/no-explicit-any
      Object.entries(item).map(([method, op]) => [`${method} ${path}`, op] as const),
    );
    expect(ops.length).toBeGreaterThan(20);
    for (const [name, op] of ops) {
      expect(op.responses?.['default']?.content?.['application/problem+json']?.schema, name).toEqual({ $ref: '#/components/schemas/ProblemDetails' });
    }
  });

  it('is typed by a client generator: openapi-typescript emits the ErrorCode union and a typed ProblemDetails', async () => {
    const ts = astToString(await openapiTS(doc as never));
    expect(ts).toMatch(/ErrorCode: "BAD_REQUEST" \| /);
    for (const code of ERROR_CODE_LIST) expect(ts).toContain(`"${code}"`);
    expect(ts).toMatch(/code\?: components\["schemas"\]\["ErrorCode"\]/);
  });

  it('answers errors with the status and title of the table', async () => {
    const r = await t.app.inject({ method: 'GET', url: '/nslcm/v1/no-such-thing' });
    expect(r.statusCode).toBe(ERROR_CODES.ROUTE_NOT_FOUND.status);
    expect(r.json()).toMatchObject({ code: 'ROUTE_NOT_FOUND', status: 404, title: ERROR_CODES.ROUTE_NOT_FOUND.title });
    const ns = await t.app.inject({ method: 'GET', url: '/nslcm/v1/ns_instances/00000000-0000-4000-8000-999999999999' });
    expect(ns.json()).toMatchObject({ code: 'NOT_FOUND', status: 404, title: ERROR_CODES.NOT_FOUND.title });
    const bad = await t.app.inject({ method: 'POST', url: '/admin/v1/vims', payload: { name: 'bad name!', type: 'memory', endpoint: 'memory://x' } });
    expect(bad.json()).toMatchObject({ code: 'VIM_ACCOUNT_INVALID', status: 400, title: ERROR_CODES.VIM_ACCOUNT_INVALID.title });
  });
});
