import { atUser } from '../format.js';
import type { Texts } from '../texts.js';
import { enAdmin } from './admin.js';
import { enCard } from './card.js';
import { enCommands } from './commands.js';
import { invalidRequest, jobError } from './errors.js';

export const en: Texts = {
  locale: 'en',
  ...enCommands,
  ...enAdmin,
  invalidRequest,
  jobError,
  card: enCard,
  imagesUsed: (total, used) =>
    `${total} images; using the first ${used}${used === 2 ? ' (first frame, then last frame)' : ''}.`,
  actions: {
    queued: (id, pos) => `Queued, #${pos} (job ${id})`,
    duplicate: (id, pos) => `Already queued (job ${id}, #${pos}); not making it twice`,
    duplicateRunning: (id) => `You just clicked this: job ${id} is under way; not making it twice`,
    duplicateDone: (id) => `You just clicked this: job ${id} is already done`,
    notReady: 'This button works once the video is done',
    gone: (id) => `Job ${id} no longer exists (old jobs are cleaned up); send /video again`,
    alreadyHd: 'This video is already HD',
    alreadyLong: 'This video is already 10 seconds',
    notAvailable: 'This mode does not offer that',
    cannotRetry:
      'Trying again would fail the same way (content review or invalid input): change the prompt or image and send /video again',
    emptyPrompt: 'The prompt cannot be empty',
    promptTooLong: 'The prompt is at most 800 characters',
    unknown: 'Unknown action; refresh the card or send the command again',
  },
  videoInChat: (openId, jobId) =>
    `${atUser(openId)} your video (job ${jobId}) is ready; the message was recalled, so it is posted here.`,
  linkOnly: (url) =>
    `✅ The video is ready but could not be uploaded to Feishu; download it here:\n${url}\n⚠️ The link expires within 1 hour.`,
};
