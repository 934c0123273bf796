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
  videoInChat: (openId, jobId) =>
    `${atUser(openId)} your video (job ${jobId}) is ready; the message was recalled, so it is posted here.`,
  linkOnly: (url) =>
    `✅ The video is ready but could not be uploaded to Feishu; download it here:\n${url}\n⚠️ The link expires within 1 hour.`,
};
