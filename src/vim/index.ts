export * from './vim-driver.js';
export { createMemoryVimDriver, MemoryVimDriver } from './memory/memory-vim-driver.js';
export type { MemoryVerb, MemoryVimOptions } from './memory/memory-vim-driver.js';
export type { MemoryExecContext, MemoryExecHandler, MemoryExecRecord } from './memory/memory-exec.js';
export { createDockerVimDriver, DockerVimDriver } from './docker/docker-vim-driver.js';
export type { DockerVimOptions } from './docker/docker-vim-driver.js';
export type { DockerLike } from './docker/docker-like.js';
export { cpuCfs } from './docker/docker-compute-spec.js';
export { createVimDriver } from './vim-driver-factory.js';
