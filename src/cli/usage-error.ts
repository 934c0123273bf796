/** A mistake in the command line or the environment: a stable code and what the words need (texts/usage.ts). */

export type UsageErrorCode =
  | 'UNKNOWN_COMMAND'
  | 'UNKNOWN_OPTION'
  | 'MISSING_VALUE'
  | 'UNEXPECTED_VALUE'
  | 'MISSING_PROMPT'
  | 'MISSING_IMAGE'
  | 'IMAGE_WITH_T2V'
  | 'NOT_AN_INTEGER'
  | 'UNREADABLE_FILE'
  | 'MISSING_MODEL'
  | 'UNKNOWN_MODEL'
  | 'BAD_TASK_ARGS'
  | 'MISSING_ENV'
  | 'BAD_ENV'
  | 'BAD_ACCOUNTS'
  | 'UNKNOWN_ACCOUNT';

export type UsageDetails = Record<string, string | number>;

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    readonly code: UsageErrorCode,
    readonly details: UsageDetails = {},
    /** The command whose usage line to show, if any. */
    readonly command?: string,
  ) {
    super(`${code} ${JSON.stringify(details)}`);
  }

  /** Configuration (environment) rather than the command line. */
  get isConfig(): boolean {
    return this.code === 'MISSING_ENV' || this.code === 'BAD_ENV' || this.code === 'BAD_ACCOUNTS';
  }
}
