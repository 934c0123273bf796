/** The help page and one usage line per command (operator-facing: Chinese with English in parentheses). */
import { RATIOS } from '../../jimeng/models.js';

export const USAGE: Readonly<Record<string, string>> = {
  models: 'jimeng models [--json]',
  check: 'jimeng check [--model M] [--account NAME] [--json]',
  t2v: 'jimeng t2v "<prompt>" [--model M] [--duration 5|10] [--ratio R] [--seed N] [--wait] [--out file.mp4] [--json]',
  i2v: 'jimeng i2v --image <path|url> [--last <path|url> | --camera <template> [--strength S]] "<prompt>" [--model M] [--duration 5|10] [--seed N] [--wait] [--out file.mp4] [--json]',
  status: 'jimeng status <task_id> --model <M> [--account NAME] [--json]',
  wait: 'jimeng wait <task_id> --model <M> [--account NAME] [--out file.mp4] [--timeout s] [--json]',
};

export const HELP = `jimeng — 即梦 (Volcengine Jimeng) video generation CLI

用法 Usage:
  jimeng models                              列出模型 / list models and prices
  jimeng check [--model M]                   检查每个账号的密钥、连通性和可用模型 / every account: credentials, connectivity, usable models
  jimeng t2v "<prompt>" [options]            文生视频 / text to video
  jimeng i2v --image <path|url> "<prompt>"   图生视频（首帧）/ image to video (first frame)
  jimeng i2v --image A --last B "<prompt>"   首尾帧 / first + last frame (720p, 1080p)
  jimeng i2v --image A --camera <template>   运镜 / camera motion (720p; templates: jimeng models)
  jimeng status <task_id> --model <M>        查询任务 / one status query
  jimeng wait <task_id> --model <M>          等待任务完成 / wait until finished

选项 Options:
  --model, -m <M>     720p | 1080p | pro 或完整 req_key (default 720p)
  --duration, -d <s>  5 | 10 秒 (default 5)
  --ratio, -r <R>     ${RATIOS.join(' | ')} (default 16:9; ignored with an image)
  --seed <N>          随机种子 0–2147483647, -1 = 随机 / random
  --image, -i <x>     图片文件路径或 http(s) 链接 (JPEG/PNG, ≤4.7 MB, 320–4096 px, ≤3:1)
  --last <x>          尾帧图片（首尾帧模式）/ last frame, same ratio as the first
  --camera <id>       运镜模板 / camera template (hitchcock_dolly_in, robo_arm, …)
  --strength <S>      运镜强度 weak | medium | strong (default medium)
  --wait, -w          提交后等待完成 / wait for the result
  --out, -o <file>    下载视频到文件（隐含 --wait）/ download the MP4 (implies --wait)
  --timeout <s>       最长等待秒数 / max wait in seconds (default 1200)
  --account, -a <N>   用哪个账号（默认第一个）/ which account (default: the first; check: all)
  --json              机器可读输出 / JSON on stdout
  --help, -h          显示帮助 / this help

环境变量 Environment:
  VOLC_ACCESSKEY, VOLC_SECRETKEY   火山引擎 AK/SK (required except for models/help); 多个账号用逗号分隔，顺序一一对应
                                   / several accounts: comma-separated lists of the same length
  CONFIG_FILE                      或者用配置文件里的 jimeng.accounts / or the bot's config file with jimeng.accounts
  JIMENG_ENDPOINT                  default https://visual.volcengineapi.com
  JIMENG_QPS                       account QPS budget (default 1)
  JIMENG_DEFAULT_MODEL             check 先探测的模型 / model check probes first (720p | 1080p | pro | req_key)

退出码 Exit codes: 0 成功 ok, 1 任务失败 failed, 2 用法或配置错误 usage/config error
`;
