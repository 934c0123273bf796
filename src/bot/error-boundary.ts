import { randomBytes } from 'node:crypto';
import type { Logger } from '../log.js';

/**
 * The one place a handler failure ends: logged with its stack and code under an incident id (the
 * whole error, never `String(err)`), and turned into a polite answer that carries the id. The answer
 * itself failing is logged too; nothing escapes to kill the process or the queue.
 */
export async function withBoundary(
  log: Logger,
  context: Record<string, unknown>,
  fn: () => Promise<void>,
  apologise: (incident: string) => Promise<unknown>,
): Promise<boolean> {
  try {
    await fn();
    return true;
  } catch (err) {
    const incident = `E${randomBytes(3).toString('hex').toUpperCase()}`;
    log.error({ err, incident, ...context }, 'handling failed; answering with an apology');
    await apologise(incident).catch((answerErr: unknown) =>
      log.error({ err: answerErr, incident, ...context }, 'could not send the apology either'),
    );
    return false;
  }
}
