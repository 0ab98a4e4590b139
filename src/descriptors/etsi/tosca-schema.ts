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
    metadata: { type: 'object' },
    imports: { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object', required: ['file'], properties: { file: { type: 'string' } } }] } },
    node_types: { type: 'object', additionalProperties: { type: 'object', properties: { derived_from: { type: 'string' }, properties: { type: 'object' } } } },
    topology_template: {
      type: 'object',
      properties: {
        substitution_mappings: {
          type: 'object',
          properties: {
            node_type: { type: 'string' },
            requirements: {
              oneOf: [
                { type: 'object', additionalProperties: { type: 'array', minItems: 2, maxItems: 2, items: { type: 'string' } } },
                { type: 'array', items: { type: 'object' } },
              ],
            },
          },
        },
        node_templates: {
          type: 'object',
          additionalProperties: {
            type: 'object',
            required: ['type'],
            properties: {
              type: { type: 'string', minLength: 1 },
              properties: { type: 'object' },
              capabilities: { type: 'object' },
              requirements: { type: 'array', items: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: requirementValue } },
            },
          },
        },
        policies: {
          oneOf: [
            { type: 'array', items: { type: 'object', minProperties: 1, maxProperties: 1, additionalProperties: { type: 'object', required: ['type'] } } },
            { type: 'object', additionalProperties: { type: 'object', required: ['type'] } },
          ],
        },
      },
    },
  },
};
