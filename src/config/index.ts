export * from './config.js';
export { DEFAULT_PUBLIC_ROUTES } from './auth-settings.js';
export type { AuthConfig, PublicRoute } from './auth-settings.js';
export { envReader } from './env-reader.js';
export type { EnvReader } from './env-reader.js';
