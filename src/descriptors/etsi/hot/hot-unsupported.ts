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

/** One construct the translation dropped or filled in instead of refusing (`unsupported: 'warn'`). */
export interface HotWarning {
  readonly file: string;
  readonly path: string;
  readonly message: string;
}

/**
 * What to do with a construct heat-translator translates with a warning (dropping it, or
 * leaving a value out) where Rondo's own mapping refuses it: `refuse` throws the
 * `HOT_UNSUPPORTED` error, `warn` records its issue and lets the caller apply the
 * heat-translator-compatible fallback.
 */
export class Lenience {
  readonly warnings: HotWarning[] = [];
  constructor(readonly mode: 'refuse' | 'warn') {}

  /**
   * Throws `err` in `refuse` mode; in `warn` mode records it as a warning whose message
   * ends with `fallback`, what the translation does instead.
   */
  soften(err: PackageInvalidError, fallback: string): void {
    if (this.mode === 'refuse') throw err;
    for (const i of err.issues) this.warnings.push({ file: i.file ?? '', path: i.path ?? '', message: `${i.message}; ${fallback}` });
  }
}
