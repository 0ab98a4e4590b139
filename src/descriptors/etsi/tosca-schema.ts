import type { JsonSchema } from '../schema-check.js';

const requirementValue: JsonSchema = {
  oneOf: [{ type: 'string' }, { type: 'object', properties: { node: { type: 'string' }, capability: { type: 'string' }, relationship: {} } }],
};

/** JSON schema of the TOSCA service-template skeleton Rondo reads (SOL001 §6, TOSCA 1.3 §3.10). */
export const toscaTemplateSchema: JsonSchema = {
  type: 'object',
  required: ['tosca_definitions_version'],
  properties: {
    tosca_definitions_version: { type: 'string', pattern: '^tosca_simple_(yaml|profile_for_nfv)_1_[0-3]$' },
    description: { type: 'string' },
    metadata: { type: ['object', 'null'] },
    imports: { type: ['array', 'null'], items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['file'], properties: { file: { type: 'string' } } }] } },
    node_types: { type: ['object', 'null'], additionalProperties: { type: 'object', properties: { derived_from: { type: 'string' }, properties: { type: ['object', 'null'] } } } },
    topology_template: {
      type: ['object', 'null'],
      properties: {
        substitution_mappings: {
          type: ['object', 'null'],
          properties: {
            node_type: { type: 'string' },
            properties: { type: ['object', 'null'] },
            requirements: {
              oneOf: [
                // `name: []` is an external requirement mapped nowhere (Tacker's flavour files write
                // `virtual_link_external: []`); tosca-parser accepts it, so Rondo does too.
                { type: 'object', additionalProperties: { anyOf: [{ type: 'array', maxItems: 0 }, { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string' } }] } },
                { type: 'array', items: { type: 'object' } },
              ],
            },
          },
        },
        node_templates: {
          type: ['object', 'null'],
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { type: 'string', minLength: 1 },
              properties: { type: ['object', 'null'] },
              capabilities: { type: ['object', 'null'] },
              interfaces: { type: ['object', 'null'] },
              artifacts: { type: ['object', 'null'] },
              attributes: { type: ['object', 'null'] },
              requirements: { type: ['array', 'null'], items: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: requirementValue } },
            },
          },
        },
        policies: {
          oneOf: [
            { type: 'null' },
            { type: 'array', items: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'object', required: ['type'] } } },
            { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
          ],
        },
      },
    },
  },
};
