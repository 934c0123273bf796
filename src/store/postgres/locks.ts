/**
 * Advisory lock keys (the two-int form: a class id for this application, then the key), so they cannot
 * collide with another application's locks in a shared database.
 */
export const LOCK_CLASS = 0x4a4d; // "JM"
/** Held (session lock) while migrations run: replicas starting together migrate once. */
export const MIGRATE_KEY = 1;
/** Held (transaction lock) by claimSubmits: the deployment's slot count changes one claim at a time. */
export const SUBMIT_KEY = 2;
/** Held (session try-lock) by the retention sweep: one replica sweeps at a time. */
export const RETENTION_KEY = 3;
/** Class of the per-user transaction locks createJob takes (key: hashtext(open_id)). */
export const USER_LOCK_CLASS = 0x4a4e;
