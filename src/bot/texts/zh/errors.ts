type Details = Record<string, string | number> | undefined;

const which = (d: Details) =>
  d?.index !== undefined && Number(d.index) > 0 ? `第 ${Number(d.index) + 1} 张图片` : '图片';
const size = (d: Details) => (d?.width !== undefined ? `（${d.width}×${d.height}）` : '');

/** A request Jimeng would refuse, found before anything was spent. */
export function invalidRequest(code: string, d?: Details): string {
  switch (code) {
    case 'PROMPT_EMPTY':
      return '⚠️ 请写一段视频描述（提示词）。';
    case 'PROMPT_TOO_LONG':
      return `⚠️ 描述太长了${d?.chars !== undefined ? `（${d.chars} 字）` : ''}，最多 ${d?.max ?? 800} 字，建议 400 字以内。`;
    case 'BAD_DURATION':
      return '⚠️ 时长只能是 5 或 10 秒。';
    case 'BAD_RATIO':
      return '⚠️ 这个模型不支持该画面比例，可选 16:9、4:3、1:1、3:4、9:16、21:9。';
    case 'BAD_SEED':
      return '⚠️ 随机种子应为 0 到 2147483647 之间的整数。';
    case 'BAD_MODEL':
      return '⚠️ 不认识这个模型，发送 /models 查看可选的模型。';
    case 'IMAGE_REQUIRED':
      return '⚠️ 这个模式需要图片：请回复一张图片再发送命令。';
    case 'IMAGE_NOT_ALLOWED':
      return '⚠️ 这个模型只支持文字生成视频，不能带图片。';
    case 'IMAGE_COUNT':
      return `⚠️ 这个模式需要 ${d?.expected ?? d?.images ?? '?'} 张图片${d?.got !== undefined ? `，收到 ${d.got} 张` : ''}。`;
    case 'IMAGE_FORMAT':
      return `⚠️ ${which(d)}格式不支持（或文件已损坏），只支持 JPEG 或 PNG。`;
    case 'IMAGE_TOO_LARGE':
      return `⚠️ ${which(d)}太大${d?.mb !== undefined ? `（${d.mb} MB）` : ''}，最大 4.7 MB。`;
    case 'IMAGE_DIMENSIONS':
      return `⚠️ ${which(d)}尺寸${size(d)}不符合要求：短边至少 320 像素，长边最多 4096 像素。`;
    case 'IMAGE_ASPECT':
      return `⚠️ ${which(d)}太细长${size(d)}，长边与短边之比不能超过 3:1。`;
    case 'IMAGE_RATIO_MISMATCH':
      return `⚠️ 首帧和尾帧两张图片的比例需要一致${d?.firstWidth !== undefined ? `（现在是 ${d.firstWidth}×${d.firstHeight} 和 ${d.lastWidth}×${d.lastHeight}）` : ''}，请换成比例相同的两张图片。`;
    case 'BAD_CAMERA':
    case 'CAMERA_TEMPLATE':
      return '⚠️ 没有这个运镜模板，发送 /help 查看可用的运镜。';
    case 'CAMERA_NEEDS_IMAGE':
      return '⚠️ 运镜需要一张图片：请回复一张图片，再发送 /video --camera 模板 描述。';
    default:
      return '⚠️ 这个请求不符合即梦的要求，请检查描述、选项和图片后再试。';
  }
}

const TELL_ADMIN = '请联系管理员处理。';

/** Why a job failed, for the user: by error code (Jimeng's and the bot's own). */
export function jobError(code: string): string {
  switch (code) {
    case 'CONTENT_RISK_INPUT_TEXT':
    case 'CONTENT_RISK_OUTPUT_TEXT':
      return '描述文字未通过内容审核，请修改描述后再试。';
    case 'CONTENT_RISK_INPUT_IMAGE':
      return '图片未通过内容审核（可能涉及敏感或版权内容），请更换图片后再试。';
    case 'CONTENT_RISK_OUTPUT':
      return '生成的视频未通过内容审核，可以重试一次，或稍微修改描述。';
    case 'RISK_SERVICE_ERROR':
      return '内容审核服务暂时异常，请稍后再试。';
    case 'INVALID_INPUT':
      return '即梦不接受这个请求（图片或参数不符合要求），请检查后再试。';
    case 'ACCESS_DENIED':
      return `视频服务暂不可用（账号没有开通这个模型）。${TELL_ADMIN}`;
    case 'SIGNATURE':
    case 'AUTH':
      return `视频服务配置有误（密钥校验失败）。${TELL_ADMIN}`;
    case 'BAD_REQUEST':
    case 'BAD_RESPONSE':
    case 'UNKNOWN':
      return `即梦服务返回了无法识别的结果。${TELL_ADMIN}`;
    case 'QPS_LIMIT':
    case 'CONCURRENCY_LIMIT':
      return '即梦一直很忙，多次重试后仍未能提交，请稍后再试。';
    case 'INTERNAL':
    case 'POLL_FAILED':
      return '即梦服务内部错误，请稍后再试。';
    case 'NETWORK':
    case 'TIMEOUT':
      return '暂时连不上即梦服务，请稍后再试。';
    case 'TASK_FAILED':
      return '即梦生成失败，可以换个描述再试一次。';
    case 'TASK_NOT_FOUND':
      return '即梦找不到这个任务，请重新发送命令。';
    case 'TASK_EXPIRED':
      return '任务已过期（即梦只保留 12 小时），请重新发送命令。';
    case 'TASK_TIMEOUT':
      return '生成超时：即梦长时间没有返回结果，请稍后重试。';
    case 'SUBMIT_UNCERTAIN':
      return '提交时服务中断，无法确认任务是否已在即梦创建。为避免重复扣费，本任务不再自动重试，请重新发送命令。';
    case 'IMAGE_LOST':
      return '参考图读取不到了（可能已被撤回），请重新回复图片发送命令。';
    case 'VIDEO_EXPIRED':
    case 'DOWNLOAD_FAILED':
      return '视频已生成，但下载失败，原始链接已过期，无法再发送。';
    case 'UNDELIVERABLE':
      return '视频已生成，但无法发送到本群（机器人可能已被移出群聊）。';
    case 'CANCELLED_RECALLED':
      return '原消息已撤回，任务已取消。';
    default:
      return '生成失败，原因未知。';
  }
}
