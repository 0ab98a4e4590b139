// Public face of the descriptor readers: each format's document → the one model.
export { readTangoNsd, parseTangoCpRef } from './tango/tango-nsd-reader.js';
export { readTangoVnfd } from './tango/tango-vnfd-reader.js';
export { readSol001Vnfd } from './etsi/sol001-vnfd-reader.js';
export { readSol001Nsd, detectSol001Kind } from './etsi/sol001-nsd-reader.js';
export { readSol001Pnfd } from './etsi/sol001-pnfd-reader.js';
export type { PnfdSummary } from './etsi/sol001-pnfd-reader.js';
export { isWellKnownImport, checkToscaDefinitions } from './etsi/tosca-template-set.js';
export type { ImportResolver } from './etsi/tosca-template-set.js';
export { validateNsdAgainstVnfds, vnfdMatches, describeVnfdRef } from './nsd-vnfd-check.js';
export type { NsdVnfdCheckOptions } from './nsd-vnfd-check.js';
export { parseYamlSafe, DEFAULT_YAML_LIMITS } from './safe-yaml.js';
export type { YamlLimits } from './safe-yaml.js';
export { sizeToBytes, parseScalarSize, SIZE_UNITS } from './size-units.js';
export { readSol006Vnfd } from './osm/sol006-vnfd-reader.js';
export type { Sol006ReadOptions } from './osm/sol006-vnfd-reader.js';
export { readSol006Nsd } from './osm/sol006-nsd-reader.js';
export { openSol006Document, isSol006Document } from './osm/sol006-document.js';
export type { Sol006Document } from './osm/sol006-document.js';
