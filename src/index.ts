// Rondo as a library: the composition root, its configuration, and the public faces of its layers.
export { compose, startServer, createLogger } from './app/index.js';
export type { ComposeOptions, Composition, RunningServer } from './app/index.js';
export { loadConfig } from './config/index.js';
export type { RondoConfig } from './config/index.js';
export { buildApp } from './api/index.js';
export { createCatalogService, useNsd, releaseNsd } from './catalog/index.js';
export * from './model/index.js';
// The plugin SDK (docs/plugins.md).
export * from './sdk/index.js';
