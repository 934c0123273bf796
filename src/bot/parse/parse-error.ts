/** What the parser can refuse, and what the words for each refusal are made from (texts/ renders them). */

export type QuotaSub = 'set' | 'add' | 'chat';

export interface ParseErrorParams {
  EMPTY_PROMPT: Record<string, never>;
  PROMPT_TOO_LONG: { length: number; max: number };
  UNKNOWN_OPTION: { option: string; valid: readonly string[]; suggestion?: string };
  MISSING_VALUE: { option: string };
  BAD_MODEL: { value: string; allowed: readonly string[] };
  BAD_DURATION: { value: string; allowed: readonly number[] };
  BAD_RATIO: { value: string; allowed: readonly string[] };
  BAD_SEED: { value: string; max: number };
  BAD_CAMERA: { value: string };
  BAD_STRENGTH: { value: string };
  MISSING_JOB_ID: Record<string, never>;
  BAD_JOB_ID: { value: string };
  BAD_QUOTA_ARGS: { sub: string };
  BAD_USER: { value: string; sub: QuotaSub };
  BAD_NUMBER: { value: string; min: number; max: number; sub: QuotaSub };
  BAD_RANGE: { value: string };
  UNKNOWN_COMMAND: { command: string; suggestion?: string };
}

export type ParseErrorCode = keyof ParseErrorParams;

export type ParseError = {
  [C in ParseErrorCode]: { type: 'error'; code: C; params: ParseErrorParams[C] };
}[ParseErrorCode];

export function parseError<C extends ParseErrorCode>(code: C, params: ParseErrorParams[C]): ParseError {
  return { type: 'error', code, params } as ParseError;
}
