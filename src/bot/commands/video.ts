import { parseVideoArgs, type VideoArgs } from '../parse/video-args.js';
import { command } from './command.js';

export type VideoCommand = { type: 'video' } & VideoArgs;

export const video = command<VideoCommand>({
  names: ['video', '视频'],
  glued: ['video', '视频'],
  parse(args, mentions) {
    const r = parseVideoArgs(args, mentions);
    return 'type' in r ? r : { type: 'video', ...r };
  },
  // Checks, reserves and queues (or refuses); the progress card is the answer.
  handle: (cmd, ctx) => ctx.services.videos.request(ctx, cmd),
});
