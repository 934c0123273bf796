import { getCameraTemplate } from '../../../jimeng/camera-templates.js';
import { formatYuan } from '../format.js';
import type { CardTexts } from '../texts.js';
import { jobError } from './errors.js';

const STRENGTH = { weak: '弱', medium: '中', strong: '强' } as const;
const BUTTONS = {
  reroll: '再来一个',
  hd: '高清版',
  long: '10 秒版',
  edit: '改提示词',
  retry: '重试',
  cancel: '取消',
};

export const zhCard: CardTexts = {
  title: {
    queued: '🎬 已排队',
    generating: '⏳ 生成中',
    done: '✅ 视频已生成',
    failed: '❌ 生成失败',
    cancelled: '🚫 已取消',
  },
  prompt: '提示词',
  model: '模型',
  duration: '时长',
  ratio: '比例',
  image: '参考图',
  imageYes: '有（图生视频）',
  job: '任务',
  seed: '种子',
  cost: '费用',
  estimate: '预计费用',
  mode: '模式',
  modeName: (mode, camera) =>
    mode === 'camera'
      ? `运镜：${getCameraTemplate(camera?.template ?? '')?.zh ?? camera?.template}（${STRENGTH[camera?.strength ?? 'medium']}）`
      : { text: '文生视频', first_frame: '图生视频（首帧）', first_last_frame: '首尾帧视频', camera: '运镜' }[
          mode
        ],
  derived: (id, fromJob, action) =>
    `${id}（由 ${fromJob} 的「${BUTTONS[action as keyof typeof BUTTONS] ?? action}」生成）`,
  button: BUTTONS,
  priced: (label, yuan) => `${label} · ¥${formatYuan(yuan)}`,
  pressed: (label) => `${label} · 已加入队列`,
  editPlaceholder: '修改提示词后点提交，会生成新的视频',
  auto: '自动',
  fact: (label, value) => `**${label}**：${value}`,
  pair: (a, b) => `${a}　${b}`,
  modelName: (tier, reqKey) => `${tier.toUpperCase()}（${reqKey}）`,
  queued: (position) => `${position ? `${position}。` : ''}生成通常需要 1–3 分钟，完成后视频会发在本话题中。`,
  seconds: (n) => `${n} 秒`,
  yuan: (n) => `约 ${n.toFixed(2)} 元`,
  position: (n) => (n <= 1 ? '下一个提交' : `队列第 ${n} 位`),
  busy: '⏳ 即梦当前繁忙（并发或频率已达上限），机器人会自动重试，无需重新发送。',
  inQueueHint: '已提交，正在即梦排队，完成后视频会发在本话题中。',
  generatingHint: '即梦正在生成，完成后视频会发在本话题中。',
  cancelHint: (id) => `发送 /cancel ${id} 可取消排队中的任务`,
  link: (url, only) =>
    only
      ? `[下载链接](${url})（⚠️ 链接 1 小时内有效，请尽快保存）`
      : `[原始链接](${url})（1 小时内有效；视频已保存在本话题）`,
  failed: (job) => {
    const reason = jobError(job.error?.code ?? 'UNKNOWN');
    const money = job.charge === 'refunded' ? '额度和费用已退回。' : '视频已生成并计费，额度未退回。';
    return `${reason}\n${money}`;
  },
  cancelled: '任务已取消，额度和费用已退回。',
};
