import { atUser } from '../format.js';
import type { Texts } from '../texts.js';
import { zhAdmin } from './admin.js';
import { zhCard } from './card.js';
import { zhCommands } from './commands.js';
import { invalidRequest, jobError } from './errors.js';

export const zh: Texts = {
  locale: 'zh',
  ...zhCommands,
  ...zhAdmin,
  invalidRequest,
  jobError,
  card: zhCard,
  videoInChat: (openId, jobId) =>
    `${atUser(openId)} 你的视频（任务 ${jobId}）生成好了，原消息已撤回，所以发在这里。`,
  linkOnly: (url) =>
    `✅ 视频已生成，但无法上传到飞书，请通过链接下载：\n${url}\n⚠️ 该链接 1 小时内有效，请尽快保存。`,
};
