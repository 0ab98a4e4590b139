/**
 * The subset of the Heat Orchestration Template (HOT) format the translator emits, and the
 * intrinsic functions it uses. Values stay plain JSON so templates serialise to YAML as-is.
 */

/** heat-translator emits this version for SOL001 VNFDs; Heat still accepts it. */
export const HOT_VERSION = '2013-05-23';

/** One HOT resource. */
export interface HotResource {
  type: string;
  properties?: Record<string, unknown>;
  depends_on?: string[];
}

/** One HOT input parameter. */
export interface HotParameter {
  type: 'string' | 'number' | 'json' | 'comma_delimited_list' | 'boolean';
  description?: string;
  default?: unknown;
}

/** One HOT output. */
export interface HotOutput {
  description?: string;
  value: unknown;
}

/** A HOT document. */
export interface HotTemplate {
  heat_template_version: string;
  description?: string;
  parameters: Record<string, HotParameter>;
  resources: Record<string, HotResource>;
  outputs: Record<string, HotOutput>;
}

/** The translation: a main template plus nested templates by file name (`files` for Heat). */
export interface HotTranslation {
  readonly main: HotTemplate;
  readonly nested: Record<string, HotTemplate>;
  /**
   * What the translation dropped or filled in with a parameter, heat-translator style
   * (only with the option `unsupported: 'warn'`): file, `/topology_template/...` path, message.
   */
  readonly warnings?: readonly { readonly file: string; readonly path: string; readonly message: string }[];
}

/** `{ get_resource: name }` */
export const getResource = (name: string): { get_resource: string } => ({ get_resource: name });

/** `{ get_param: name }` */
export const getParam = (name: string): { get_param: string } => ({ get_param: name });

/** `{ get_attr: [name, ...path] }` */
export const getAttr = (name: string, ...path: (string | number)[]): { get_attr: (string | number)[] } => ({
  get_attr: [name, ...path],
});

/** An empty template with the version heat-translator uses. */
export const emptyHot = (description?: string): HotTemplate => ({
  heat_template_version: HOT_VERSION,
  ...(description === undefined ? {} : { description }),
  parameters: {},
  resources: {},
  outputs: {},
});
