import type { JsonSchema } from '../schema-check.js';

/** Shared pieces of the 5GTANGO/SONATA descriptor schemas (tng-schema, descriptor_version 0.9). */
export const nameField: JsonSchema = { type: 'string', minLength: 1 };
/** YAML readers turn an unquoted `0.1` into a number; both are accepted and kept as text. */
export const versionField: JsonSchema = { type: ['string', 'number'] };
export const cpTypes = ['internal', 'external', 'management', 'serviceendpoint'];
export const cpInterfaces = ['ethernet', 'ipv4', 'ipv6'];
export const linkTypes = ['E-Line', 'E-LAN', 'E-Tree'];

export const connectionPointsSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id'],
    properties: {
      id: nameField,
      interface: { enum: cpInterfaces },
      type: { enum: cpTypes },
    },
  },
};

export const virtualLinksSchema: JsonSchema = {
  type: 'array',
  items: {
    type: 'object',
    required: ['id', 'connectivity_type', 'connection_points_reference'],
    properties: {
      id: nameField,
      connectivity_type: { enum: linkTypes },
      connection_points_reference: { type: 'array', minItems: 1, items: nameField },
    },
  },
};

/**
 * Top-level NSD fields of son-schema's and tng-schema's nsd-schema.yml together; both set
 * `additionalProperties: false`, so son-validate and tng-sdk-validate refuse any other key
 * (a misspelt `network_functionsX` must not pass as an NSD without members).
 */
const NSD_TOP_LEVEL = [
  'author', 'auto_scale_policy', 'connection_points', 'deployment_flavours', 'description', 'descriptor_schema', 'descriptor_version', 'descriptor_type',
  'forwarding_graphs', 'licences', 'lifecycle_events', 'logo', 'monitoring_parameters', 'name', 'network_functions', 'network_services', 'service_platforms',
  'service_specific_managers', 'services_depedency', 'soft_constraints', 'testing_tags', 'vendor', 'version', 'virtual_links', 'vnf_depedency',
];

/** JSON schema of a 5GTANGO/SONATA NSD (the fields Rondo reads checked; other known fields pass, unknown ones do not). */
export const tangoNsdSchema: JsonSchema = {
  type: 'object',
  required: ['vendor', 'name', 'version'],
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(NSD_TOP_LEVEL.map((k) => [k, {}])),
    descriptor_schema: { type: 'string' },
    descriptor_version: versionField,
    descriptor_type: { type: 'string' },
    vendor: nameField,
    name: nameField,
    version: versionField,
    author: { type: 'string' },
    description: { type: 'string' },
    network_functions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['vnf_id', 'vnf_vendor', 'vnf_name', 'vnf_version'],
        properties: { vnf_id: nameField, vnf_vendor: nameField, vnf_name: nameField, vnf_version: versionField },
      },
    },
    network_services: {
      type: 'array',
      items: { type: 'object', required: ['ns_id'], properties: { ns_id: nameField } },
    },
    connection_points: connectionPointsSchema,
    virtual_links: virtualLinksSchema,
    forwarding_graphs: {
      type: 'array',
      items: {
        type: 'object',
        required: ['fg_id'],
        properties: {
          fg_id: nameField,
          number_of_endpoints: { type: 'integer', minimum: 0 },
          number_of_virtual_links: { type: 'integer', minimum: 0 },
          constituent_virtual_links: { type: 'array', items: nameField },
          constituent_vnfs: { type: 'array', items: nameField },
          network_forwarding_paths: {
            type: 'array',
            items: {
              type: 'object',
              required: ['fp_id', 'connection_points'],
              properties: {
                fp_id: nameField,
                policy: { type: 'string' },
                connection_points: {
                  type: 'array',
                  minItems: 2,
                  items: {
                    type: 'object',
                    required: ['connection_point_ref', 'position'],
                    properties: { connection_point_ref: nameField, position: { type: 'integer', minimum: 0 } },
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
