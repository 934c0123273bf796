/** One setting that is missing or malformed: the setting's name and a line saying how to fix it. */
export interface ConfigProblem {
  setting: string;
  message: string;
}

/**
 * The configuration cannot be used: every problem found, one line each (naming the setting and the fix),
 * so an operator learns them all from one start. Secret values never appear in the text.
 */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly setting: string;

  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map((p) => p.message).join('\n'));
    this.name = 'ConfigError';
    this.setting = problems[0]?.setting ?? '';
  }
}
