/**
 * What spaces an account's HTTP calls: every call (submit and get-result) first waits for its slot.
 * RateBudget is one, for this process alone; a pacer shared by several processes (the PostgreSQL store's,
 * one row per account) keeps one account's calls within its QPS across a whole deployment.
 */
export type CallLane = 'submit' | 'poll';

export interface CallPacer {
  /**
   * Resolves when the next call may leave; an aborted signal rejects. `lane` says what kind of call it
   * is: a pacer may let the kinds take turns (see call-lanes.ts), or ignore it.
   */
  takeCallSlot(signal?: AbortSignal, lane?: CallLane): Promise<void>;
}
