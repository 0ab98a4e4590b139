/**
 * The dashboard's generated API types (src/web/src/api-schema.d.ts) match the routes: the
 * OpenAPI document of a freshly built app, through openapi-typescript, gives the committed
 * file byte for byte. When this fails, run `npx tsx scripts/gen-api-types.ts` and commit.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { API_SCHEMA_TYPES, apiSchemaSource, openApiDocument } from '../../scripts/gen-api-types.js';

describe('generated API types', () => {
  it('regenerating src/web/src/api-schema.d.ts from the OpenAPI document gives the committed file', async () => {
    const doc = await openApiDocument();
    expect(Object.keys(doc.paths ?? {})).toContain('/admin/v1/ns_descriptors/{nsdInfoId}/model');
    const fresh = await apiSchemaSource(doc);
    const committed = await readFile(API_SCHEMA_TYPES, 'utf8');
    // A plain boolean first: a 160 KB diff in the failure says less than the hint.
    const same = fresh === committed;
    expect(same, 'src/web/src/api-schema.d.ts is stale: run `npx tsx scripts/gen-api-types.ts` and commit it').toBe(true);
  });
});
