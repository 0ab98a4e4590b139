export type { HotOutput, HotParameter, HotResource, HotTemplate, HotTranslation } from './hot-template.js';
export { HOT_VERSION } from './hot-template.js';
export { HOT_UNSUPPORTED } from './hot-unsupported.js';
export { rondoFlavorName } from './hot-compute.js';
export type { FlavorSpec } from './hot-compute.js';
export { translateVnfdToHot } from './translate-vnfd-to-hot.js';
export type { HotTranslateOptions } from './translate-vnfd-to-hot.js';
export { hotToYaml, translateVnfdFile } from './translate-vnfd-file.js';
