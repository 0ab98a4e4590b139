// The VIM contract: the driver interface, its errors and labels, the driver registry and
// the VIM account service. No driver here: the composition root (`src/app`) registers
// them by type, so the lifecycle never loads dockerode or an OpenStack client.
export * from './vim-driver.js';
export { driverFactoryOf, accountSecret } from './vim-driver-factory.js';
export type { VimDriverFactory, VimDriverTypes } from './vim-driver-factory.js';
export { VimRegistry } from './vim-registry.js';
export type { VimAccountSource, VimRegistryOptions } from './vim-registry.js';
export { createVimAccountService, publicAccount } from './vim-account-service.js';
export type { VimAccountInput, VimAccountRepositoryPort, VimAccountService, VimAccountServiceDeps, VimAccountUpdate, VimCheck } from './vim-account-service.js';
