// The composition root: the only place that knows every layer and registers the VIM drivers.
export { compose, packageReader } from './compose.js';
export type { ComposeOptions, Composition, ComposedServices, StartParts } from './compose.js';
export { startServer } from './serve.js';
export type { RunningServer, StartServerOptions } from './serve.js';
export { createLogger, redactUrl, REDACT_PATHS } from './logger.js';
export type { CrashPointsPort, LifecycleOptions, RuntimeServices } from './lifecycle-wiring.js';
export { BUS_GROUPS, openBus } from './bus-wiring.js';
export type { MonitoringServices, MonitoringServicesDeps } from './monitoring-wiring.js';
export { createVimDriver, defaultVimDrivers, dockerDriverFactory, memoryAccountDriverFactory, memoryDriverFactory, openStackDriverFactory } from './vim-drivers.js';
