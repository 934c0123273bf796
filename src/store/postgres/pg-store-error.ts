export type PgStoreErrorCode =
  /** DATABASE_URL is empty or not a postgres:// URL. */
  | 'DATABASE_URL_INVALID'
  /** Nothing answered at the URL's host and port (refused, unknown host, timed out). */
  | 'DATABASE_UNREACHABLE'
  /** The server answered but refused the login (password, role, pg_hba). */
  | 'DATABASE_AUTH'
  /** The server has no database of that name. */
  | 'DATABASE_MISSING'
  /** A schema migration failed (nothing of it was applied). */
  | 'DATABASE_MIGRATION';

/**
 * The PostgreSQL store cannot open: `message` is one line naming DATABASE_URL, what went wrong and what to
 * do. It never contains the URL's password (`target` is the URL without it).
 */
export class PgStoreError extends Error {
  override readonly name = 'PgStoreError';
  constructor(
    readonly code: PgStoreErrorCode,
    /** user@host:port/database, for logs. */
    readonly target: string,
    message: string,
  ) {
    super(message);
  }
}
