import type { Kysely } from 'kysely';
import type { AuthRepositories } from '../auth/index.js';
import type { Database } from './schema.js';
import { apiKeyRepository } from './api-key-repository.js';
import { auditLogRepository } from './audit-log-repository.js';
import { userRepository } from './user-repository.js';
import { vimShareRepository } from './vim-share-repository.js';

/** Authentication's store port over one database (or transaction). */
export function authRepositories(db: Kysely<Database>): AuthRepositories {
  return { users: userRepository(db), apiKeys: apiKeyRepository(db), auditLog: auditLogRepository(db), shares: vimShareRepository(db) };
}
