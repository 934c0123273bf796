import type { Locale } from '../config.js';

const zh = {
  submitUncertain:
    '提交时服务中断，无法确认任务是否已在即梦创建。为避免重复扣费，本任务不再自动重试，额度已退回，请重新发送命令。',
  imageLost: '参考图丢失（服务器数据目录被清理？），请重新回复图片发送命令。额度已退回。',
  timeout: '生成超时：即梦长时间没有返回结果。额度已退回，请稍后重试。',
  unknownFailure: '生成失败，原因未知。额度已退回。',
  tellAdmin: '请联系管理员处理。',
  busy: '⏳ 即梦当前繁忙（并发或频率已达上限），机器人会自动重试，无需重新发送。',
  linkOnly: (url: string) =>
    `✅ 视频已生成，但无法上传到飞书，请通过链接下载：\n${url}\n⚠️ 该链接 1 小时内有效，请尽快保存。`,
};

export type JobTexts = typeof zh;

const en: JobTexts = {
  submitUncertain:
    'The service was interrupted while submitting, so it is unknown whether Jimeng created the task. To avoid paying twice it is not retried automatically; your quota was refunded, please send the command again.',
  imageLost:
    'The reference image was lost (data directory cleaned?); please reply to the image again. Quota refunded.',
  timeout: 'Generation timed out: Jimeng did not return a result. Quota refunded; please try again later.',
  unknownFailure: 'Generation failed for an unknown reason. Quota refunded.',
  tellAdmin: 'Please tell an admin.',
  busy: '⏳ Jimeng is busy (rate or concurrency limit); the bot retries automatically, no need to resend.',
  linkOnly: (url: string) =>
    `✅ The video is ready but could not be uploaded to Feishu; download it here:\n${url}\n⚠️ The link expires within 1 hour.`,
};

export function jobTexts(locale: Locale): JobTexts {
  return locale === 'en' ? en : zh;
}
