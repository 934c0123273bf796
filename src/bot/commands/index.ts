import { cancel } from './cancel.js';
import type { Command } from './command.js';
import { help } from './help.js';
import { jobs } from './jobs.js';
import { models } from './models.js';
import { pause } from './pause.js';
import { quota } from './quota.js';
import { resume } from './resume.js';
import { usage } from './usage.js';
import { video } from './video.js';

type Input<C> = C extends Command<infer T> ? T : never;

/** What a message parses to when it is a command. */
export type CommandInput =
  | Input<typeof video>
  | Input<typeof help>
  | Input<typeof models>
  | Input<typeof quota>
  | Input<typeof jobs>
  | Input<typeof cancel>
  | Input<typeof usage>
  | Input<typeof pause>
  | Input<typeof resume>;

/** Every command the bot answers to. Adding one is adding a file and a line here (and above). */
export const COMMANDS: readonly Command<{ type: string }>[] = [
  video,
  help,
  models,
  quota,
  jobs,
  cancel,
  usage,
  pause,
  resume,
] as unknown as readonly Command<{ type: string }>[];
