import { describe, expect, it } from 'vitest';
import { parseArgs } from '../../src/cli/args.js';
import { nearest } from '../../src/cli/suggest.js';
import { UsageError } from '../../src/cli/usage-error.js';

function usage(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error('expected a UsageError');
}

describe('parseArgs', () => {
  it('takes options anywhere, --name=value, short names, and -- to end options', () => {
    expect(parseArgs(['t2v', '-m', '1080p', '橘猫', '--seed=-1', '-w', '--', '--not-an-option'])).toEqual({
      command: 't2v',
      positionals: ['橘猫', '--not-an-option'],
      values: { model: '1080p', seed: '-1', wait: true },
    });
    expect(parseArgs(['t2v', '--seed', '-5']).values.seed).toBe('-5');
    expect(parseArgs(['t2v', '-1']).positionals).toEqual(['-1']);
  });

  it('names the unknown option and its nearest known one', () => {
    expect(usage(['t2v', '--modle', 'x'])).toMatchObject({
      code: 'UNKNOWN_OPTION',
      details: { option: '--modle', suggestion: '--model' },
      command: 't2v',
    });
    expect(usage(['t2v', '--duraton', '5']).details.suggestion).toBe('--duration');
    expect(usage(['t2v', '--frobnicate']).details.suggestion).toBeUndefined();
    expect(usage(['t2v', '-x']).code).toBe('UNKNOWN_OPTION');
    expect(usage(['t2v', '--model'])).toMatchObject({
      code: 'MISSING_VALUE',
      details: { option: '--model' },
    });
    expect(usage(['t2v', '--wait=yes']).code).toBe('UNEXPECTED_VALUE');
  });
});

describe('nearest', () => {
  it('suggests within a third of the length, swaps count once, prefixes count', () => {
    const commands = ['models', 'check', 't2v', 'i2v', 'status', 'wait'];
    expect(nearest('stauts', commands)).toBe('status');
    expect(nearest('chekc', commands)).toBe('check');
    expect(nearest('t2', commands)).toBe('t2v');
    expect(nearest('stat', commands)).toBe('status');
    expect(nearest('frobnicate', commands)).toBeUndefined();
  });
});
