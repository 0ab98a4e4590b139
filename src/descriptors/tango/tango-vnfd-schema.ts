import type { JsonSchema } from '../schema-check.js';
import { SIZE_UNITS } from '../size-units.js';
import { connectionPointsSchema, nameField, versionField, virtualLinksSchema } from './tango-nsd-schema.js';

const sizeSchema = (required: boolean): JsonSchema => ({
  type: 'object',
  required: required ? ['size'] : ['size'],
  properties: { size: { type: 'number', exclusiveMinimum: 0 }, size_unit: { enum: SIZE_UNITS } },
});

const envSchema: JsonSchema = {
  oneOf: [
    { type: 'object', additionalProperties: { type: ['string', 'number', 'boolean'] } },
    { type: 'array', items: { type: 'string' } },
  ],
};

/** JSON schema of a 5GTANGO/SONATA VNFD (the fields Rondo reads; other fields pass). */
export const tangoVnfdSchema: JsonSchema = {
  type: 'object',
  required: ['vendor', 'name', 'version', 'virtual_deployment_units'],
  properties: {
    descriptor_schema: { type: 'string' },
    descriptor_version: versionField,
    vendor: nameField,
    name: nameField,
    version: versionField,
    author: { type: 'string' },
    description: { type: 'string' },
    virtual_deployment_units: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['id', 'vm_image', 'resource_requirements'],
        properties: {
          id: nameField,
          vm_image: nameField,
          vm_image_format: { enum: ['raw', 'vhd', 'vmdk', 'vdi', 'iso', 'qcow2', 'docker', 'ova', 'ovf', 'bare'] },
          resource_requirements: {
            type: 'object',
            required: ['cpu', 'memory'],
            properties: {
              cpu: {
                type: 'object',
                required: ['vcpus'],
                properties: { vcpus: { type: 'integer', minimum: 1 }, cpu_bw: { type: 'number', exclusiveMinimum: 0 } },
              },
              memory: sizeSchema(true),
              storage: sizeSchema(false),
            },
          },
          connection_points: connectionPointsSchema,
          monitoring_parameters: { type: 'array', items: { type: 'object', required: ['name'], properties: { name: nameField, unit: { type: 'string' } } } },
          environment: envSchema,
          scale_in_out: { type: 'object', properties: { minimum: { type: 'integer', minimum: 0 }, maximum: { type: 'integer', minimum: 1 } } },
        },
      },
    },
    connection_points: connectionPointsSchema,
    virtual_links: virtualLinksSchema,
    lifecycle_events: { type: 'array', items: { type: 'object' } },
  },
};
