import { PackageInvalidError } from '../../../model/index.js';

/** Error code of a SOL001 construct the Heat translation does not support. */
export const HOT_UNSUPPORTED = 'HOT_UNSUPPORTED';

/**
 * Builds the error for a construct the translator cannot express in HOT without changing
 * its meaning: a {@link PackageInvalidError} with code `HOT_UNSUPPORTED` (422) whose one
 * issue names the file, the node (or policy) and the property path.
 */
export function hotUnsupported(file: string, node: string, property: string, message: string): PackageInvalidError {
  const path = `/topology_template/${node}${property ? `/${property.split('.').join('/')}` : ''}`;
  return new PackageInvalidError([{ file, path, message: `${node}${property ? ` ${property}` : ''}: ${message}` }], {
    code: HOT_UNSUPPORTED,
  });
}

/** Builds the error for an input that is not a readable SOL001 VNFD (code `HOT_INPUT_INVALID`, 422). */
export function hotInputInvalid(file: string, path: string, message: string): PackageInvalidError {
  return new PackageInvalidError([{ file, path, message }], { code: 'HOT_INPUT_INVALID' });
}
