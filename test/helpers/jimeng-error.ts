import { isJimengError, type JimengError } from '../../src/jimeng/errors.js';

/** The JimengError `fn` throws (anything else it throws goes on; not throwing at all fails the test). */
export function thrown(fn: () => unknown): JimengError {
  try {
    fn();
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a JimengError');
}
