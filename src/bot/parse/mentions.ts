import type { Mention } from '../../lark/events.js';
import { escapeRe } from './text.js';

export interface ParseContext {
  mentions: readonly Mention[];
  botOpenId?: string;
  chatType: string;
}

/** The mentions of one message: finding them in the text, the bot's own, and turning them into names. */
export class Mentions {
  readonly list: Mention[];

  constructor(readonly ctx: ParseContext) {
    // Longest key first so `@_user_1` never matches the start of `@_user_10`.
    this.list = (Array.isArray(ctx.mentions) ? ctx.mentions : [])
      .filter((m): m is Mention => !!m && typeof m.key === 'string' && m.key.length > 0)
      .sort((a, b) => b.key.length - a.key.length);
  }

  isBot(m: Mention): boolean {
    return !!this.ctx.botOpenId && m.openId === this.ctx.botOpenId;
  }

  /** The mention whose key starts `text` at `at` (followed by a non-word character), if any. */
  at(text: string, at: number): Mention | undefined {
    for (const m of this.list) {
      if (!text.startsWith(m.key, at)) continue;
      const next = text[at + m.key.length];
      if (next === undefined || !/[0-9A-Za-z_]/.test(next)) return m;
    }
    return undefined;
  }

  /** Strips leading mentions of the bot; returns the rest and whether one was stripped. */
  stripLeadingBot(text: string): { rest: string; stripped: boolean } {
    let rest = text.trimStart();
    let stripped = false;
    for (let i = 0; i < 20; i++) {
      const m = this.at(rest, 0);
      if (!m) break;
      // Without the bot's own id, the first leading mention is taken to be the bot.
      const isBot = this.ctx.botOpenId ? this.isBot(m) : !stripped;
      if (!isBot) break;
      rest = rest.slice(m.key.length).trimStart();
      stripped = true;
    }
    return { rest, stripped };
  }

  /** Whether the bot is mentioned anywhere in `raw`. */
  mentionsBot(raw: string): boolean {
    return !!this.ctx.botOpenId && this.list.some((m) => this.isBot(m) && raw.includes(m.key));
  }

  /** Placeholders → `@name` (mentions of the bot itself are dropped). */
  resolve(text: string): string {
    if (this.list.length === 0) return text;
    const re = new RegExp(`(${this.list.map((m) => escapeRe(m.key)).join('|')})(?![0-9A-Za-z_])`, 'g');
    const byKey = new Map(this.list.map((m) => [m.key, m] as const));
    return text.replace(re, (key: string) => {
      const m = byKey.get(key);
      if (!m) return key;
      if (this.isBot(m)) return '';
      const name = typeof m.name === 'string' && m.name.trim() ? m.name.trim() : '';
      return name ? `@${name}` : key;
    });
  }

  /** A mention placeholder (`@_user_2`) → its open_id; a raw `ou_…` open_id is taken as is. */
  user(token: string): string | undefined {
    const m = this.list.find((x) => x.key === token);
    if (m) return typeof m.openId === 'string' && m.openId ? m.openId : undefined;
    if (/^ou_[0-9A-Za-z_-]{1,100}$/.test(token)) return token;
    return undefined;
  }
}
