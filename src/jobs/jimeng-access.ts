import type { JimengClient } from '../jimeng/client.js';
import type { SubmitAccount } from '../store/port.js';

/** The Jimeng accounts the jobs may use, and the client signed with each (a task belongs to its account). */
export interface JimengAccess {
  accounts(): readonly SubmitAccount[];
  client(account: string | undefined): Pick<JimengClient, 'submit' | 'getResult'>;
}

/** One account: every job goes to it. */
export function singleAccount(
  client: Pick<JimengClient, 'submit' | 'getResult'>,
  maxInFlight: number,
): JimengAccess {
  const accounts = [{ name: 'default', maxInFlight }];
  return { accounts: () => accounts, client: () => client };
}
