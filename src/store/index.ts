export { FileStore, type FileStoreOptions } from './file/file-store.js';
export { MemoryStore, type MemoryStoreOptions } from './memory/memory-store.js';
export type * from './port.js';
export { SUBMIT_LEASE_MS } from './port.js';
export { PgStore, type PgStoreOptions } from './postgres/pg-store.js';
export { PgStoreError, type PgStoreErrorCode } from './postgres/pg-store-error.js';
export { chatLimitOf, refusalFor, userLimitOf } from './quota-rule.js';
export * from './records.js';
export { StoreError, type StoreErrorCode } from './store-error.js';
