import { CAMERA_TEMPLATES } from '../../../jimeng/camera-templates.js';
import type { Refusal } from '../../../store/port.js';
import type { ParseError } from '../../parse/parse-error.js';
import { formatYuan } from '../format.js';
import type { HelpParams, ModelRow, Texts } from '../texts.js';

/** Each mode: its name and how to ask for it. */
const MODE: Record<ModelRow['mode'], { name: string; how: string }> = {
  text: { name: 'Text to video', how: '/video a ginger cat yawning' },
  first_frame: { name: 'Image to video (first frame)', how: 'reply to an image: /video make it move' },
  first_last_frame: {
    name: 'First + last frame',
    how: 'reply to a message with two images (or send two images with the command): /video day turns to night',
  },
  camera: { name: 'Camera motion', how: 'reply to an image: /video --camera hitchcock_dolly_in close-up' },
};

const quotaExample = (sub: string, user: string) =>
  sub === 'chat' ? '/quota chat 100' : sub === 'set' ? `/quota set ${user} 20` : `/quota add ${user} 5`;
const exampleValue = (option: string) =>
  option.includes('model')
    ? '1080p'
    : option.includes('duration')
      ? '10'
      : option.includes('ratio')
        ? '9:16'
        : '42';

function parseError(e: ParseError): string {
  switch (e.code) {
    case 'EMPTY_PROMPT':
      return 'Please describe the video after the command, e.g. /video a ginger cat yawning\nWith options: /video --ratio 9:16 -d 10 sunset timelapse';
    case 'PROMPT_TOO_LONG':
      return `The description is too long (${e.params.length} characters, at most ${e.params.max}). Please shorten it.`;
    case 'UNKNOWN_OPTION':
      return `Unknown option ${e.params.option}.${e.params.suggestion ? ` Did you mean ${e.params.suggestion}?` : ''} Valid options: ${e.params.valid.join(', ')}\nE.g. /video --ratio 9:16 -d 10 sunset timelapse`;
    case 'MISSING_VALUE':
      return `${e.params.option} needs a value, e.g. /video ${e.params.option} ${exampleValue(e.params.option)} a ginger cat yawning`;
    case 'BAD_MODEL':
      return `There is no model "${e.params.value}". Choose ${e.params.allowed.join(', ')}\nE.g. /video --model 1080p a ginger cat yawning (/models shows prices)`;
    case 'BAD_DURATION':
      return `Duration "${e.params.value}" is not supported: ${e.params.allowed.join(' or ')} seconds only\nE.g. /video -d 10 a ginger cat yawning`;
    case 'BAD_RATIO':
      return `Aspect ratio "${e.params.value}" is not supported. Choose ${e.params.allowed.join(', ')}\nE.g. /video --ratio 9:16 a ginger cat yawning`;
    case 'BAD_SEED':
      return `Seed "${e.params.value}" is invalid: use an integer from 0 to ${e.params.max} (-1 = random), e.g. /video --seed 42 a cat`;
    case 'BAD_CAMERA':
      return `There is no camera motion "${e.params.value}". Send /help for the list.`;
    case 'BAD_STRENGTH':
      return `Camera strength "${e.params.value}" is not supported: weak, medium or strong.`;
    case 'MISSING_JOB_ID':
      return 'Which job? E.g. /cancel J0008 (send /jobs to see yours)';
    case 'BAD_JOB_ID':
      return `"${e.params.value}" is not a job ID. Send /jobs to see yours, then e.g. /cancel J0008`;
    case 'BAD_QUOTA_ARGS':
      return `/quota does not take "${e.params.sub}". Usage: /quota, /quota set @member 20, /quota add @member 5, /quota chat 100`;
    case 'BAD_USER':
      return `${e.params.value ? `"${e.params.value}" is not a member. ` : ''}Please @mention the member, e.g. /quota ${e.params.sub} @alice ${e.params.sub === 'set' ? 20 : 5}`;
    case 'BAD_NUMBER':
      return `${e.params.value ? `"${e.params.value}" is not a valid number. ` : 'The number is missing. '}Use an integer from ${e.params.min} to ${e.params.max}, e.g. ${quotaExample(e.params.sub, '@alice')}`;
    case 'BAD_RANGE':
      return `Unknown range "${e.params.value}": use today or 7d, e.g. /usage 7d`;
    case 'UNKNOWN_COMMAND':
      return `There is no command ${e.params.command}.${e.params.suggestion ? ` Did you mean ${e.params.suggestion}?` : ''} Send /help for the list.`;
  }
}

function refusal(r: Refusal): string {
  switch (r.code) {
    case 'PAUSED':
      return `⏸ Video generation is paused by an admin${r.reason ? `: ${r.reason}` : ''}. Try again later.`;
    case 'USER_DAILY':
      return `⚠️ You have used today's video quota (${r.used}/${r.limit}). It resets at midnight; ask an admin for more.`;
    case 'CHAT_DAILY':
      return `⚠️ This chat has used today's video quota (${r.used}/${r.limit}). Try tomorrow, or ask an admin to change /quota chat.`;
    case 'BUDGET':
      return `⚠️ Today's budget is nearly spent (¥${r.spent} of ¥${r.budget}; this video ≈ ¥${r.cost}). New jobs resume tomorrow.`;
    case 'IN_FLIGHT':
      return `⚠️ You already have ${r.limit} job(s) in progress; wait for them to finish (/jobs).`;
  }
}

function help(p: HelpParams): string {
  const pr = p.prices;
  const d = p.defaults;
  const lines = [
    '🎬 Jimeng video bot · help',
    '',
    'Make a video',
    '/video a ginger cat yawning',
    '/video --ratio 9:16 -d 10 timelapse of a sunset by the sea',
    'Reply to an image with: /video make it move (image to video)',
    '',
    'More',
    'First + last frame: reply to a message with two images (or send two images and the command in one message): /video day turns to night. The first image is the first frame, the second the last; both must have the same aspect ratio.',
    'Camera motion: reply to an image with /video --camera hitchcock_dolly_in --strength strong close-up (strength weak | medium | strong, default medium)',
    `Camera templates: ${CAMERA_TEMPLATES.map((c) => c.id).join(', ')}`,
    'Several shots: write the description on several lines, e.g. "Shot 1: the city at dawn", then "Shot 2: steaming coffee"',
    'When a video is done, the buttons on its card make another one in one tap: Again, HD, 10 s, Edit prompt',
    '',
    'Options (before the description, all optional)',
    `-m, --model 720p | 1080p | pro  quality (default ${d.model})`,
    `-d, --duration 5 | 10  seconds (default ${d.duration}); "10s" works too`,
    `-r, --ratio 16:9 | 9:16 | 4:3 | 3:4 | 1:1 | 21:9  aspect ratio (default ${d.ratio}); "9:16" works too`,
    '-s, --seed N  random seed (random when left out; the card shows it)',
    'Up to 800 characters; describe the subject, action, scene and camera.',
    '',
    `Prices: about 720p ¥${formatYuan(pr['720p'])} · 1080p ¥${formatYuan(pr['1080p'])} · pro ¥${formatYuan(pr.pro)} per second`,
    `(5 s at 720p ≈ ¥${formatYuan(pr['720p'] * 5)})`,
    '',
    'Other commands',
    '/models  models and prices',
    '/quota  how many videos you have left today',
    '/jobs  your jobs',
    '/cancel J0008  cancel a queued job by its id',
    '/help  this help',
  ];
  if (p.showAdmin)
    lines.push(
      '',
      'Admins',
      '/quota set @member 20  daily videos for a member',
      '/quota add @member 5  extra videos for today',
      '/quota chat 100  daily videos for this chat (0 = no limit)',
      '/usage [today | 7d]  usage and spend',
      '/pause [reason]  pause generation  ·  /resume  resume',
    );
  return lines.join('\n');
}

export const enCommands: Pick<
  Texts,
  'help' | 'mentionOnly' | 'models' | 'parseError' | 'refusal' | 'imageUnreadable' | 'internalError'
> = {
  help,
  mentionOnly: (p) =>
    [
      '👋 I turn a sentence into a video.',
      `${p.chatType !== 'p2p' ? '@mention me and send' : 'Send'}: /video a ginger cat yawning`,
      'Reply to an image with /video make it move to animate it.',
      'Send /help for more.',
    ].join('\n'),
  models(rows) {
    if (rows.length === 0) return 'No models are available right now.';
    const lines = ['🎞 Models (approximate prices: 5 s / 10 s)'];
    for (const mode of Object.keys(MODE) as ModelRow['mode'][]) {
      const of = rows.filter((r) => r.mode === mode);
      if (of.length === 0) continue;
      lines.push('', `${MODE[mode].name}: ${MODE[mode].how}`);
      for (const r of of)
        lines.push(
          `• ${r.tier}  ${r.resolution}  ¥${formatYuan(r.price5)} / ¥${formatYuan(r.price10)}  ${r.reqKey}`,
        );
    }
    lines.push(
      '',
      'Pick the quality with -m and 10 s with -d 10, e.g. /video -m 1080p -d 10 sunset timelapse',
    );
    return lines.join('\n');
  },
  parseError,
  refusal,
  imageUnreadable:
    '⚠️ Could not read the image you replied to (recalled, or the bot lacks permission to read group messages). Send the image again, or ask an admin to check the im:message.group_msg and im:resource scopes.',
  internalError: (incident) =>
    `😵 Something went wrong with this message; please try again later. If it keeps happening, tell an admin the code ${incident}.`,
};
