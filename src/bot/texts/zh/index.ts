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
  imagesUsed: (total, used) =>
    `共 ${total} 张图片，这次用前 ${used} 张${used === 2 ? '（第 1 张为首帧，第 2 张为尾帧）' : ''}。`,
  actions: {
    queued: (id, pos) => `已加入队列，第 ${pos} 位（任务 ${id}）`,
    duplicate: (id, pos) => `已经在队列中了（任务 ${id}，第 ${pos} 位），不会重复生成`,
    duplicateRunning: (id) => `刚才已经点过了，任务 ${id} 正在生成，不会重复生成`,
    duplicateDone: (id) => `刚才已经点过了，任务 ${id} 已经生成好了`,
    notReady: '视频生成好以后才能用这个按钮',
    gone: (id) => `任务 ${id} 已不存在（太久以前的任务会被清理），请重新发送 /video`,
    alreadyHd: '这个视频已经是高清的了',
    alreadyLong: '这个视频已经是 10 秒的了',
    notAvailable: '这个模式不支持该选项',
    cannotRetry: '这次失败重试也不会变（内容审核或参数问题），请修改描述或图片后重新发送 /video',
    emptyPrompt: '提示词不能为空',
    promptTooLong: '提示词最多 800 字',
    unknown: '不认识这个操作，请更新卡片或重新发送命令',
  },
  videoInChat: (openId, jobId) =>
    `${atUser(openId)} 你的视频（任务 ${jobId}）生成好了，原消息已撤回，所以发在这里。`,
  linkOnly: (url) =>
    `✅ 视频已生成，但无法上传到飞书，请通过链接下载：\n${url}\n⚠️ 该链接 1 小时内有效，请尽快保存。`,
};
