import type { AccountView } from '../../jobs/pool-access.js';
import type { ChatMessage } from '../../lark/events.js';
import type { Logger } from '../../log.js';
import type { QuotaPolicy, StorePort } from '../../store/port.js';
import type { Job } from '../../store/records.js';
import type { Mentions } from '../parse/mentions.js';
import type { ParseError } from '../parse/parse-error.js';
import type { VideoArgs } from '../parse/video-args.js';
import type { ModelRow, Texts, Tier } from '../texts/texts.js';

/** What a command answers with: a text or a card in the thread, or nothing (it answers some other way). */
export type Reply = { text: string } | { card: object } | undefined;

export type CancelResult =
  | { ok: true; job: Job }
  | { ok: false; reason: 'not_found' }
  | { ok: false; reason: 'not_yours' | 'too_late'; job: Job };

/** What the bot offers its commands beyond the store. */
export interface BotServices {
  defaults: { model: Tier; duration: 5 | 10; ratio: string };
  pricesByTier(): Record<Tier, number>;
  modelRows(): ModelRow[];
  videos: { request(ctx: CommandContext, args: VideoArgs): Promise<Reply> };
  /** Cancels a queued job (owner or admin), refunding it. */
  cancelJob(jobId: string, by: string, isAdmin: boolean): Promise<CancelResult>;
  /** A chat's name for admin views (cached), or its id when unknown. */
  chatName(chatId: string): Promise<string>;
  /** The Jimeng accounts: up or out and why, tasks in flight (for /usage). */
  jimengAccounts(): Promise<AccountView[]>;
}

/** Everything a command handler may use; no Feishu wire types, no HTTP. */
export interface CommandContext {
  msg: ChatMessage;
  t: Texts;
  store: StorePort;
  policy: QuotaPolicy;
  timezone: string;
  isAdmin: boolean;
  now: number;
  log: Logger;
  services: BotServices;
}

/** One command: the names it answers to, its pure parser, and its handler. */
export interface Command<T extends { type: string } = { type: string }> {
  /** Canonical name first, then aliases (no slash; matched after NFKC + lower case). */
  names: readonly string[];
  /** May be glued to its text (`/video橘猫`, `/视频橘猫`): the names listed here. */
  glued?: readonly string[];
  adminOnly?: boolean;
  parse(args: string, mentions: Mentions): T | ParseError;
  handle(cmd: T, ctx: CommandContext): Promise<Reply>;
}

/** Helper so each command file gets its parsed type checked against its handler. */
export function command<T extends { type: string }>(c: Command<T>): Command<T> {
  return c;
}
