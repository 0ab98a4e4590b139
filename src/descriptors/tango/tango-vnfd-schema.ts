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

/**
 * Top-level VNFD fields of son-schema's and tng-schema's vnfd-schema.yml together (plus
 * `descriptor_type`, as for NSDs); both schemas set
 * `additionalProperties: false` (son-validate refuses `virtual_linksX`).
 */
const VNFD_TOP_LEVEL = [
  'author', 'cloudnative_deployment_units', 'connection_points', 'deployment_flavours', 'description', 'descriptor_schema', 'descriptor_version', 'function_specific_managers',
  // Not in either schema, but written by vim-emu's examples and Rondo's own (kept accepted, as before).
  'descriptor_type',
  'licenses', 'lifecycle_events', 'logo', 'monitoring_rules', 'name', 'physical_deployment_units', 'vendor', 'version', 'virtual_deployment_units', 'virtual_links',
];

const unitConnectionPoints: JsonSchema = { type: 'array', items: { type: 'object', required: ['id'], properties: { id: nameField } } };

/**
 * JSON schema of a 5GTANGO/SONATA VNFD (the fields Rondo reads checked; other known fields
 * pass, unknown ones do not). As in tng-schema, a VNF has virtual (VM/container), cloud-native
 * (CNF) or physical deployment units, or a mix (hybrid).
 */
export const tangoVnfdSchema: JsonSchema = {
  type: 'object',
  required: ['vendor', 'name', 'version'],
  anyOf: [{ required: ['virtual_deployment_units'] }, { required: ['cloudnative_deployment_units'] }, { required: ['physical_deployment_units'] }],
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(VNFD_TOP_LEVEL.map((k) => [k, {}])),
    cloudnative_deployment_units: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['id', 'image'], properties: { id: nameField, image: nameField, connection_points: unitConnectionPoints } },
    },
    physical_deployment_units: {
      type: 'array',
      minItems: 1,
      items: { type: 'object', required: ['id'], properties: { id: nameField, connection_points: unitConnectionPoints } },
    },
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
