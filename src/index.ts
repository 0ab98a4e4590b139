// Rondo as a library: the server, its configuration, and the public faces of its layers.
export { startServer, createServices, createLogger } from './server.js';
export type { RunningServer } from './server.js';
export { loadConfig } from './config/index.js';
export type { RondoConfig } from './config/index.js';
export { buildApp } from './api/index.js';
export { createCatalogService, useNsd, releaseNsd } from './catalog/index.js';
export * from './model/index.js';
