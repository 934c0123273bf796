import { type Clock, systemClock, type TimerHandle } from '../clock.js';
import type { ModelCatalog } from '../jimeng/models.js';
import { KeyedQueue } from '../jobs/keyed-queue.js';
import type { ChatEvent, ChatEventHandler, ChatMessage } from '../lark/events.js';
import type { Messenger } from '../lark/messenger.js';
import { type Logger, silentLogger } from '../log.js';
import type { Metrics } from '../metrics.js';
import type { QuotaPolicy, StorePort } from '../store/port.js';
import { takeCardAction } from './card-actions.js';
import type { BotServices } from './commands/command.js';
import { DropLog } from './drop-log.js';
import { handleMessage } from './handle-message.js';
import type { BotPresenter } from './presenter.js';
import { onRecalled } from './recalls.js';
import { type Route, routeMessage } from './router.js';
import type { Texts } from './texts/texts.js';

export interface BotOptions {
  store: StorePort;
  presenter: BotPresenter;
  catalog: ModelCatalog;
  messenger: Pick<Messenger, 'replyText' | 'replyCard'>;
  services: BotServices;
  texts: Texts;
  policy: QuotaPolicy;
  timezone: string;
  admins: readonly string[];
  /** Jobs changed (created, cancelled): the runner looks again. */
  onJobsChanged(): void;
  botOpenId?: string;
  logger?: Logger;
  metrics?: Metrics;
  clock?: Clock;
  /** Messages handled at once (each may fetch an image from Feishu). Default 16. */
  concurrency?: number;
  /**
   * Deliveries created longer ago than this (ms) are dropped as replays. Feishu re-pushes for ~7.1 h; the
   * store remembers message ids for longer (the config checks), so anything older cannot be told from a
   * replay once its dedup record is gone. Default 12 h.
   */
  maxEventAgeMs?: number;
  /** How often the inbox is looked at again (failed items, items a dead replica held). Default 30 s. */
  drainMs?: number;
}

/** How long a handler holds an inbox item before another may take it (a crash mid-handling). */
const INBOX_LEASE_MS = 60_000;
const MAX_ATTEMPTS = 3;
/** How often the inbox is looked at again by default (items whose handling failed, or another process left). */
const DRAIN_MS = 30_000;

/**
 * The product's entrance; knows nothing of HTTP. `onEvent` is what a receiver calls: it decides quickly
 * whether a message is for the bot, persists it (deduplicated on its message id) and acknowledges, then
 * handles it from the inbox in the background; after a restart the inbox is drained again. A card click
 * is answered with a toast within Feishu's deadline.
 */
export class Bot {
  botOpenId: string | undefined;
  private readonly o: BotOptions;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly work: KeyedQueue;
  private readonly drops: DropLog;
  private readonly maxAgeMs: number;
  private drainTimer: TimerHandle | undefined;
  /** Timers of later work (a pressed card put back), cleared at stop. */
  private readonly timers = new Set<TimerHandle>();
  private stopped = false;

  constructor(options: BotOptions) {
    this.o = options;
    this.log = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.botOpenId = options.botOpenId;
    this.maxAgeMs = options.maxEventAgeMs ?? 12 * 3_600_000;
    this.drops = new DropLog(this.log, () => this.clock.now());
    this.work = new KeyedQueue({
      concurrency: options.concurrency ?? 16,
      onError: (err, key) => this.log.error({ err, messageId: key }, 'handling a message failed'),
    });
  }

  /** The receiver's handler: quick (one group-committed write), never waits for Jimeng. */
  onEvent: ChatEventHandler = async (evt: ChatEvent) => {
    const count = (outcome: string) => this.o.metrics?.events.inc({ outcome });
    const now = this.clock.now();
    if (evt.type === 'other') {
      count(evt.reason);
      if (evt.ageMs !== undefined)
        this.drops.drop(
          evt.reason,
          { ageHours: Math.round(evt.ageMs / 36e5) },
          'dropped a replayed delivery (its signature time is too old)',
        );
      evt.ack();
      return;
    }
    const created =
      evt.type === 'message'
        ? evt.message.createTime
        : evt.type === 'cardAction'
          ? evt.action.createTime
          : now;
    if (created > 0 && now - created > this.maxAgeMs) {
      // Older than Feishu ever re-delivers, so older than the dedup window may remember: a replay.
      count('stale');
      this.drops.drop(
        'stale',
        { type: evt.type, ageHours: Math.round((now - created) / 36e5) },
        'dropped a delivery older than Feishu re-pushes (a replay?)',
      );
      evt.ack();
      return;
    }
    if (evt.type === 'recalled') {
      count('recalled');
      if (await onRecalled(this.o.store, evt.messageId, now, this.log)) this.o.onJobsChanged();
      evt.ack();
      return;
    }
    if (evt.type === 'cardAction') {
      const answer = await takeCardAction(
        {
          store: this.o.store,
          texts: this.o.texts,
          presenter: this.o.presenter,
          catalog: this.o.catalog,
          policy: this.o.policy,
          timezone: this.o.timezone,
          admins: this.o.admins,
          log: this.log,
          now: () => this.clock.now(),
          later: (fn, ms) => this.later(fn, ms),
          onChange: this.o.onJobsChanged,
        },
        evt.action,
      );
      count(answer ? 'card_action' : 'duplicate');
      evt.ack(answer ?? undefined);
      return;
    }
    const msg = evt.message;
    const route = this.routeOf(msg);
    if (!route) {
      count('ignored');
      evt.ack();
      return;
    }
    // Claimed at once: this process handles it now (another replica's drain must not take it too).
    const fresh = await this.o.store.accept(
      { id: msg.messageId, kind: 'message', receivedAt: now, payload: msg },
      { now, leaseMs: INBOX_LEASE_MS },
    );
    if (!fresh) {
      count('duplicate');
      evt.ack();
      return;
    }
    evt.ack();
    count('accepted');
    this.schedule(msg, route);
  };

  /** Handles what a previous process left in the inbox, then keeps draining it. */
  async start(): Promise<void> {
    this.stopped = false;
    await this.drain();
  }

  private async drain(): Promise<void> {
    this.clock.clearTimeout(this.drainTimer);
    if (this.stopped) return;
    this.drainTimer = this.clock.setTimeout(() => {
      this.drain().catch((err) => this.log.error({ err }, 'draining the inbox failed'));
    }, this.o.drainMs ?? DRAIN_MS);
    this.drainTimer.unref?.();
    const items = await this.o.store.claimInbox({
      now: this.clock.now(),
      limit: 1000,
      leaseMs: INBOX_LEASE_MS,
      maxAttempts: MAX_ATTEMPTS,
    });
    for (const item of items) {
      if (item.kind === 'message') this.schedule(item.payload as ChatMessage);
      // A click interrupted by a crash was never answered; Feishu showed an error and the user can click again.
      else await this.o.store.finishInbox(item.id);
    }
  }

  /** The message's route, or undefined when it is not for the bot (chatter: acknowledged, not kept). */
  private routeOf(msg: ChatMessage): Route | undefined {
    // Most of a group's traffic: no mention and no slash (`/`, or full-width `／`, the only characters whose
    // NFKC form starts with one) cannot be for the bot, so the router need not see it.
    if (msg.chatType !== 'p2p' && !msg.mentions.length && !/[/／]/.test(msg.text)) return undefined;
    const route = routeMessage(msg.text, {
      mentions: msg.mentions,
      chatType: msg.chatType,
      ...(this.botOpenId ? { botOpenId: this.botOpenId } : {}),
    });
    return route.parsed.type === 'ignore' ? undefined : route;
  }

  /** `route`: what the quick check before the ack found (handled as routed then); a drained message is routed again. */
  private schedule(msg: ChatMessage, route?: Route): void {
    this.work.add(msg.messageId, () =>
      handleMessage(
        {
          ...this.o,
          log: this.log,
          now: () => this.clock.now(),
          botOpenId: () => this.botOpenId,
        },
        msg,
        route,
      ).catch(async (err) => {
        // Only the store failing gets here (the boundary answers everything else): try again later.
        this.log.error(
          { err, messageId: msg.messageId },
          'could not finish a message; it stays in the inbox',
        );
        await this.o.store.failInbox(msg.messageId).catch(() => {});
      }),
    );
  }

  /** Resolves when every message taken so far has been handled (tests and shutdown use it). */
  idle(): Promise<void> {
    return this.work.onIdle();
  }

  /** Stops taking work; unhandled messages stay in the inbox for the next start. */
  private later(fn: () => void, ms: number): void {
    if (this.stopped) return;
    const h = this.clock.setTimeout(() => {
      this.timers.delete(h);
      if (!this.stopped) fn();
    }, ms);
    h.unref?.();
    this.timers.add(h);
  }

  async stop(): Promise<void> {
    for (const h of this.timers) this.clock.clearTimeout(h);
    this.timers.clear();
    this.stopped = true;
    this.clock.clearTimeout(this.drainTimer);
    await this.work.stop();
  }
}
