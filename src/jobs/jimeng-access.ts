import type { JimengClient } from '../jimeng/client.js';
import type { SubmitAccount } from '../store/port.js';

/** The Jimeng accounts the jobs may use, and the client signed with each (a task belongs to its account). */
export interface JimengAccess {
  /** Every account with its slots and models now (an account out of rotation: 0 slots). */
  accounts(): readonly SubmitAccount[];
  client(account: string | undefined): Pick<JimengClient, 'submit' | 'getResult'>;
  /**
   * With several accounts: models no account may run now, each with the code its jobs fail with. An
   * account's refusal (credentials, model not enabled) sends the job back to the queue while another
   * account may still run its model. Absent: one account, whose refusals fail the job.
   */
  unrunnable?(): ReadonlyMap<string, string>;
}
