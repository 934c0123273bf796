/** Words for JimengErrors in the CLI. The reader is the operator: say what to check, never "ask the admin". */
import type { JimengError, JimengErrorCode } from '../../jimeng/errors.js';

type D = Record<string, string | number | undefined>;

const MODE_ZH: Record<string, string> = {
  text: '文生视频',
  first_frame: '首帧图生视频',
  first_last_frame: '首尾帧',
  camera: '运镜',
};
const MODE_HINT: Record<string, string> = {
  first_last_frame: '首尾帧请用 720p 或 1080p。',
  camera: '运镜请用 720p。',
};

const TEXT: Record<JimengErrorCode, (d: D, e: JimengError) => string> = {
  CONTENT_RISK_INPUT_TEXT: () => '描述文字未通过内容审核 (input text risk)，请改写描述。',
  CONTENT_RISK_INPUT_IMAGE: () => '图片未通过内容审核 (input image risk / copyright)，请换一张图片。',
  CONTENT_RISK_OUTPUT_TEXT: () => '描述内容未通过审核 (output text risk)，请改写描述。',
  CONTENT_RISK_OUTPUT: () => '生成的视频未通过内容审核 (output risk)，可以重试或稍改描述。',
  RISK_SERVICE_ERROR: () => '内容审核服务异常 (risk service error)，稍后再试。',
  INVALID_INPUT: () => '即梦不接受这次的参数 (50215 input invalid)：检查模型、图片和 req_key 是否匹配。',
  ACCESS_DENIED: () => '账号没有这个模型的权限 (access denied)：在火山引擎控制台开通即梦视频服务或该模型。',
  QPS_LIMIT: () => '请求太频繁 (QPS limit)：稍后再试，或调低 JIMENG_QPS。',
  CONCURRENCY_LIMIT: () => '同时进行的任务太多 (concurrency limit)：等已有任务完成后再试。',
  INTERNAL: () => '即梦服务内部错误 (internal error)，稍后再试。',
  SIGNATURE: () => '签名不匹配 (signature mismatch)：检查 VOLC_SECRETKEY 和本机时间。',
  AUTH: () => '密钥无效 (auth failed)：检查 VOLC_ACCESSKEY / VOLC_SECRETKEY 和本机时间。',
  BAD_REQUEST: () => '网关拒绝了请求 (bad request)：检查 JIMENG_ENDPOINT。',
  PROMPT_EMPTY: () => '描述为空 (empty prompt)：请写一段视频描述。',
  PROMPT_TOO_LONG: (d) => `描述太长 (${d.chars} 字)，最多 ${d.max} 字，建议 ${d.recommended} 字以内。`,
  BAD_DURATION: (d) => `时长 ${d.value} 秒不支持 (duration)，可选：${d.allowed} 秒。`,
  BAD_RATIO: (d) =>
    `画面比例 ${d.value} 不支持 (ratio)${d.model ? `（模型 ${d.model}）` : ''}，可选：${d.allowed}。`,
  BAD_SEED: (d) => `随机种子 ${d.value} 无效 (seed)：-1 表示随机，或 0 到 ${d.max} 的整数。`,
  BAD_MODEL: (d) => `不认识的模型「${d.model}」(unknown model)，可选：${d.allowed} 或完整的 req_key。`,
  BAD_TASK_ID: () => '缺少任务号 (missing task id)。',
  MODE_UNSUPPORTED: (d) =>
    `档位 ${d.model} 没有${MODE_ZH[String(d.mode)] ?? d.mode}模型 (mode unsupported)：${MODE_HINT[String(d.mode)] ?? '换一个档位。'}`,
  CAMERA_REQUIRED: (d) =>
    `模型 ${d.model} 需要运镜模板 (camera template required)：加 --camera <模板>，见 jimeng models。`,
  CAMERA_NOT_ALLOWED: (d) =>
    `模型 ${d.model} 不支持运镜 (no camera motion)：运镜只有 720p（jimeng_i2v_recamera_v30）。`,
  BAD_CAMERA_TEMPLATE: (d) => `不认识的运镜模板「${d.value}」(unknown template)，可选：${d.allowed}。`,
  BAD_CAMERA_STRENGTH: (d) => `运镜强度「${d.value}」无效 (camera strength)，可选：${d.allowed}。`,
  IMAGE_REQUIRED: (d) => `模型 ${d.model} 需要 ${d.expected} 张图片 (image required)，用 --image 指定。`,
  IMAGE_NOT_ALLOWED: (d) => `模型 ${d.model} 只做文生视频，不能带图片 (no image)；图生视频请用 i2v。`,
  IMAGE_COUNT: (d) => `模型 ${d.model} 需要 ${d.expected} 张图片，收到 ${d.got} 张 (image count)。`,
  IMAGE_FORMAT: (d) => `第 ${Number(d.index) + 1} 张图片格式是 ${d.format}，只支持 JPEG 或 PNG (format)。`,
  IMAGE_UNREADABLE: (d) =>
    `第 ${Number(d.index) + 1} 张图片读不出尺寸，文件可能损坏 (unreadable ${d.format})。`,
  IMAGE_TOO_LARGE: (d) =>
    `第 ${Number(d.index) + 1} 张图片 ${mb(d.bytes)} MB，最大 ${mb(d.max)} MB (too large)。`,
  IMAGE_DIMENSIONS: (d) =>
    `第 ${Number(d.index) + 1} 张图片 ${d.width}×${d.height}：短边至少 ${d.minSide}、长边最多 ${d.maxSide} 像素 (dimensions)。`,
  IMAGE_ASPECT: (d) =>
    `第 ${Number(d.index) + 1} 张图片 ${d.width}×${d.height} 太细长，长短边之比不能超过 ${d.maxRatio}:1 (aspect)。`,
  IMAGE_URL: (d) => `第 ${Number(d.index) + 1} 张图片的链接必须是 http(s) 网址 (image url)：${d.url}`,
  IMAGE_MIXED: () => '多张图片须都是链接或都是本地文件，不能混用 (mixed image sources)。',
  MISSING_CREDENTIALS: () => '缺少 AK/SK (missing credentials)：设置 VOLC_ACCESSKEY 和 VOLC_SECRETKEY。',
  BAD_PRICE: (d) => `价格配置有误 (bad price)：${d.model} = ${d.value}，须是已知 req_key 和不小于 0 的数。`,
  NETWORK: (_d, e) =>
    e.maybeCreated
      ? '提交时连接中断 (connection lost after sending)：任务可能已经创建，为免重复扣费没有重试；稍后用 jimeng status 查看，或到控制台核对。'
      : '连不上即梦服务 (network)：检查网络和 JIMENG_ENDPOINT。',
  TIMEOUT: (d, e) =>
    e.maybeCreated
      ? '提交后等不到回答 (timeout after sending)：任务可能已经创建，为免重复扣费没有重试；稍后到控制台核对。'
      : d.taskId
        ? `等待超时 (timeout)：任务 ${d.taskId} 可能还在排队，稍后用 jimeng wait 继续等。`
        : '即梦服务响应超时 (timeout)，稍后再试。',
  TASK_FAILED: () => '视频生成失败 (task failed)，可以重新提交。',
  TASK_NOT_FOUND: () => '找不到这个任务 (not found)：任务号或 --model 不对，或已超过 12 小时。',
  TASK_EXPIRED: () => '任务已过期 (expired)，请重新提交。',
  ABORTED: () => '已取消 (aborted)。',
  BAD_RESPONSE: (_d, e) =>
    e.maybeCreated
      ? '提交的回答无法识别 (unreadable answer)：任务可能已经创建，为免重复扣费没有重试；稍后到控制台核对。'
      : '即梦服务返回了无法识别的结果 (bad response)：检查 JIMENG_ENDPOINT。',
  DOWNLOAD_FAILED: () => '视频下载失败 (download failed)：链接约 1 小时后失效。',
  UNKNOWN: () => '即梦服务返回了未知错误码 (unknown code)：见下方原始信息。',
};

function mb(bytes: string | number | undefined): string {
  return (Number(bytes) / 1024 / 1024).toFixed(1);
}

/** `错误 [CODE]：sentence (technical message; code, request_id)`. */
export function jimengErrorText(e: JimengError): string {
  const sentence = TEXT[e.code](e.details ?? {}, e);
  const extra = [e.jimengCode ?? e.gatewayCode, e.requestId ? `request_id ${e.requestId}` : undefined]
    .filter((x) => x !== undefined && !e.message.includes(String(x)))
    .join(', ');
  return `错误 [${e.code}]：${sentence} (${e.message}${extra ? `; ${extra}` : ''})`;
}
