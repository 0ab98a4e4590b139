import type { JsonSchema } from '../descriptors/schema-check.js';

/** 5GTANGO NAPD (tng-schema `package-specification/napd-schema.yml`), the fields Rondo reads. */
export const napdSchema: JsonSchema = {
  type: 'object',
  required: ['vendor', 'name', 'version', 'package_content'],
  properties: {
    descriptor_version: { type: ['string', 'number'] },
    descriptor_schema: { type: 'string' },
    vendor: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    version: { type: ['string', 'number'] },
    package_type: { type: 'string' },
    description: { type: 'string' },
    package_content: {
      type: 'array',
      items: {
        type: 'object',
        required: ['source', 'content-type', 'algorithm', 'hash'],
        properties: {
          source: { type: 'string', minLength: 1 },
          'content-type': { type: 'string', minLength: 1 },
          algorithm: { type: 'string' },
          hash: { type: 'string', pattern: '^[A-Fa-f0-9]+$' },
        },
      },
    },
  },
};

/** SONATA package descriptor (`META-INF/MANIFEST.MF`, tng-schema `package-descriptor/pd-schema.yml`). */
export const sonataManifestSchema: JsonSchema = {
  type: 'object',
  required: ['vendor', 'name', 'version', 'package_content'],
  properties: {
    descriptor_version: { type: ['string', 'number'] },
    vendor: { type: 'string', minLength: 1 },
    name: { type: 'string', minLength: 1 },
    version: { type: ['string', 'number'] },
    description: { type: 'string' },
    entry_service_template: { type: 'string' },
    package_content: {
      type: 'array',
      items: {
        type: 'object',
        required: ['name', 'content-type'],
        properties: { name: { type: 'string', minLength: 1 }, 'content-type': { type: 'string' }, md5: { type: 'string', pattern: '^[A-Fa-f0-9]{32}$' } },
      },
    },
  },
};
