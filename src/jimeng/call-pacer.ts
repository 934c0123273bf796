/**
 * What spaces an account's HTTP calls: every call (submit and get-result) first waits for its slot.
 * RateBudget is one, for this process alone; a pacer shared by several processes (the PostgreSQL store's,
 * one row per account) keeps one account's calls within its QPS across a whole deployment.
 */
export interface CallPacer {
  /** Resolves when the next call may leave; an aborted signal rejects. */
  takeCallSlot(signal?: AbortSignal): Promise<void>;
}
