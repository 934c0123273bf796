/** Words for UsageErrors: one sentence, then the usage line of the command (or the pointer to --help). */
import type { UsageError } from '../usage-error.js';
import { USAGE } from './help.js';

type D = Record<string, string | number | undefined>;

const SENTENCE: Record<UsageError['code'], (d: D) => string> = {
  UNKNOWN_COMMAND: (d) =>
    d.suggestion
      ? `未知命令 ${d.command}，你是不是想用 ${d.suggestion}？`
      : `未知命令 ${d.command} (unknown command)。`,
  UNKNOWN_OPTION: (d) =>
    d.suggestion
      ? `未知选项 ${d.option}，你是不是想用 ${d.suggestion}？`
      : `未知选项 ${d.option} (unknown option)。`,
  MISSING_VALUE: (d) => `选项 ${d.option} 需要一个值 (missing value)。`,
  UNEXPECTED_VALUE: (d) => `选项 ${d.option} 不带值 (takes no value)。`,
  MISSING_PROMPT: () => '缺少视频描述 (missing prompt)。',
  MISSING_IMAGE: () => 'i2v 需要 --image <文件路径或链接> (missing --image)。',
  IMAGE_WITH_T2V: () => 't2v 不接受图片或运镜，请用 i2v (use i2v for images and camera motion)。',
  NOT_AN_INTEGER: (d) => `${d.option} 需要整数 (expects an integer)，收到 "${d.value}"。`,
  UNREADABLE_FILE: (d) => `读不到文件 ${d.path} (cannot read: ${d.reason})。`,
  MISSING_MODEL: () => '需要 --model（720p、1080p、pro 或提交时的 req_key）(missing --model)。',
  UNKNOWN_MODEL: (d) => `不认识的模型「${d.model}」(unknown model)；可选 720p、1080p、pro 或 req_key。`,
  BAD_TASK_ARGS: () => '需要且只需要一个 task_id (exactly one task id)。',
  MISSING_ENV: (d) => `缺少环境变量 ${d.name}，请先设置：export ${d.name}=... (missing ${d.name})`,
  BAD_ENV: (d) => `${d.name} 的值无效 (invalid): ${d.value}；${d.expected}`,
  BAD_ACCOUNTS: (d) => `账号配置有误 (accounts): ${d.problem}`,
  UNKNOWN_ACCOUNT: (d) => `没有名为「${d.account}」的账号 (unknown account)；已配置：${d.known}。`,
};

export function usageErrorText(e: UsageError): string {
  const sentence = SENTENCE[e.code](e.details);
  if (e.isConfig) return `配置错误 (config): ${sentence}`;
  const usage = e.command ? USAGE[e.command] : undefined;
  const tail = usage ? `用法 (usage): ${usage}` : '运行 jimeng --help 查看用法 (see jimeng --help)。';
  return `用法错误 (usage): ${sentence}\n${tail}`;
}
