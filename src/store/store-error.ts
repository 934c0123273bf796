export type StoreErrorCode = 'STORE_CORRUPT' | 'STORE_UNREADABLE';

/**
 * The store cannot open: `message` is one line naming the file, where it is broken and what to do.
 * Nothing was overwritten.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    readonly file: string,
    message: string,
  ) {
    super(message);
  }
}
