/**
 * Which command a message is, if any: strips a leading @bot, matches the first word against every
 * command's names, and lets that command parse the rest. Pure: never throws, never does I/O, returns
 * codes and parameters (texts/ turns refusals into words).
 */
import type { Command } from './commands/command.js';
import { COMMANDS, type CommandInput } from './commands/index.js';
import { Mentions, type ParseContext } from './parse/mentions.js';
import { type ParseError, parseError } from './parse/parse-error.js';
import { cleanText, fold, isTransposition, nearest } from './parse/text.js';

export type { Mention } from '../lark/events.js';
export type { ParseContext } from './parse/mentions.js';
export { tokenize } from './parse/text.js';
export { MAX_PROMPT_CHARS, VIDEO_RATIOS } from './parse/video-args.js';

export type ParsedInput = { type: 'ignore' } | { type: 'mention_only' } | ParseError | CommandInput;

export interface Route {
  parsed: ParsedInput;
  /** The command that parsed it (set when `parsed` is a command). */
  command?: Command;
}

const BY_NAME = new Map<string, Command>();
for (const c of COMMANDS) for (const n of c.names) BY_NAME.set(n, c);
const GLUED = COMMANDS.flatMap((c) => (c.glued ?? []).map((name) => ({ name, command: c })));
const CANONICAL = COMMANDS.map((c) => c.names[0]!);

const isGroup = (chatType: string) => chatType !== 'p2p';

/** The command a token names, and any text glued to it (`/video橘猫`). */
function matchCommand(token: string): { command: Command; glued: string } | { unknown: string } | null {
  // Command names are short; a long token can only be a command glued to its text (`/视频橘猫…`).
  const s = fold(token.length > 64 ? token.slice(0, 64) : token);
  if (!s.startsWith('/') || s.length < 2) return null;
  const body = s.slice(1);
  if (/^[/\s]/u.test(body)) return null;
  const exact = token.length > 64 ? undefined : BY_NAME.get(body);
  if (exact) return { command: exact, glued: '' };
  for (const g of GLUED) {
    if (!body.startsWith(g.name) || body.length === g.name.length) continue;
    const next = body[g.name.length] ?? '';
    // `/videos` is not `/video` + `s`; `/video橘猫` is.
    if (/^[a-z0-9_-]$/.test(next) && /^[a-z]/.test(g.name)) continue;
    // Slice the *raw* token so the prompt keeps its original characters (full-width ones included).
    for (let k = 2; k <= token.length; k++)
      if (fold(token.slice(0, k)) === `/${g.name}`) return { command: g.command, glued: token.slice(k) };
    return { unknown: token.slice(0, 40) };
  }
  return { unknown: token.slice(0, 40) };
}

function route(rawText: string, ctx: ParseContext): Route {
  const mentions = new Mentions(ctx);
  const group = isGroup(typeof ctx.chatType === 'string' ? ctx.chatType : 'group');
  const { rest, stripped } = mentions.stripLeadingBot(cleanText(rawText));
  const mentionedBot = stripped || mentions.mentionsBot(rawText);
  const firstMatch = /\S+/u.exec(rest);
  const first = firstMatch
    ? { text: firstMatch[0], end: firstMatch.index + firstMatch[0].length }
    : undefined;
  const cmd = first ? matchCommand(first.text) : null;
  if (!cmd) return { parsed: group && !mentionedBot ? { type: 'ignore' } : { type: 'mention_only' } };
  if ('unknown' in cmd) {
    const typed = fold(cmd.unknown.replace(/^\//, ''));
    const suggestion = nearest(typed, CANONICAL);
    // A group is shared with people and other bots: an unknown command not addressed to us is answered
    // only when it is surely a slip on one of ours (a near miss of /video that is not another word built
    // on it like /videos, two letters swapped in the others), so `/quote` for another bot stays silent while `/vidoe` and `/vedio` get a hint.
    const surelyOurs =
      suggestion !== undefined &&
      ((suggestion === 'video' && !typed.startsWith('video')) || isTransposition(typed, suggestion));
    if (group && !mentionedBot && !surelyOurs) return { parsed: { type: 'ignore' } };
    return {
      parsed: parseError('UNKNOWN_COMMAND', {
        command: cmd.unknown,
        ...(suggestion ? { suggestion: `/${suggestion}` } : {}),
      }),
    };
  }
  // Arguments: the glued remainder (if any) followed by the rest of the text.
  const args = cmd.glued + (first ? rest.slice(first.end) : '');
  const parsed = cmd.command.parse(args, mentions) as CommandInput | ParseError;
  return parsed.type === 'error' ? { parsed: echoed(parsed, mentions) } : { parsed, command: cmd.command };
}

/** What a refusal quotes back reads as the user saw it: `@小王`, never the `@_user_2` placeholder. */
function echoed(e: ParseError, mentions: Mentions): ParseError {
  const params: Record<string, unknown> = { ...e.params };
  for (const [k, v] of Object.entries(params)) if (typeof v === 'string') params[k] = mentions.resolve(v);
  return { ...e, params } as ParseError;
}

/**
 * Parses one chat message. Never throws: anything unexpected becomes `ignore`, `mention_only` or an
 * `error` with a code and the parameters its words need.
 */
export function routeMessage(text: string, ctx: ParseContext): Route {
  try {
    return route(typeof text === 'string' ? text : '', ctx);
  } catch {
    // Defensive: the parser is total by construction; this keeps a bug from killing the event handler.
    return { parsed: isGroup(ctx?.chatType ?? 'group') ? { type: 'ignore' } : { type: 'mention_only' } };
  }
}

/** The parsed form of a message (what the tests and the receiver's quick check look at). */
export function parseCommand(text: string, ctx: ParseContext): ParsedInput {
  return routeMessage(text, ctx).parsed;
}
