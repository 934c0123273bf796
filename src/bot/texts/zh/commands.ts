import { CAMERA_TEMPLATES } from '../../../jimeng/camera-templates.js';
import type { Refusal } from '../../../store/port.js';
import type { ParseError } from '../../parse/parse-error.js';
import { formatYuan } from '../format.js';
import type { HelpParams, ModelRow, Texts } from '../texts.js';

/** Each mode: its name and how to ask for it. */
const MODE: Record<ModelRow['mode'], { name: string; how: string }> = {
  text: { name: '文生视频', how: '/video 橘猫打哈欠' },
  first_frame: { name: '图生视频（首帧）', how: '回复一张图片：/video 让它动起来' },
  first_last_frame: {
    name: '首尾帧视频',
    how: '回复一条带两张图片的消息（或一条消息里放两张图片加命令）：/video 从白天到黑夜',
  },
  camera: { name: '运镜', how: '回复一张图片：/video --camera 希区柯克推进 人物特写' },
};

const quotaExample = (sub: string, user: string) =>
  sub === 'chat' ? '/quota chat 100' : sub === 'set' ? `/quota set ${user} 20` : `/quota add ${user} 5`;
const exampleValue = (option: string) =>
  option.includes('model')
    ? '1080p'
    : option.includes('duration')
      ? '10'
      : option.includes('ratio')
        ? '9:16'
        : '42';

function parseError(e: ParseError): string {
  switch (e.code) {
    case 'EMPTY_PROMPT':
      return '请在命令后面写上想要的画面，例如：/video 橘猫打哈欠\n也可以加选项：/video --ratio 9:16 -d 10 海边日落延时';
    case 'PROMPT_TOO_LONG':
      return `描述太长了（${e.params.length} 字），最多 ${e.params.max} 字，请精简后再发。`;
    case 'UNKNOWN_OPTION':
      return `不认识的选项 ${e.params.option}${e.params.suggestion ? `，你是不是想用 ${e.params.suggestion}？` : '。'}可用选项：${e.params.valid.join('、')}\n例如：/video --ratio 9:16 -d 10 海边日落延时`;
    case 'MISSING_VALUE':
      return `选项 ${e.params.option} 后面缺少取值，例如：/video ${e.params.option} ${exampleValue(e.params.option)} 橘猫打哈欠`;
    case 'BAD_MODEL':
      return `没有「${e.params.value}」这个模型，可选：${e.params.allowed.join('、')}\n例如：/video --model 1080p 橘猫打哈欠（发送 /models 查看价格）`;
    case 'BAD_DURATION':
      return `时长「${e.params.value}」不支持，只能是 ${e.params.allowed.join(' 或 ')} 秒\n例如：/video -d 10 橘猫打哈欠 或 /video 10s 橘猫打哈欠`;
    case 'BAD_RATIO':
      return `画面比例「${e.params.value}」不支持，可选：${e.params.allowed.join('、')}\n例如：/video --ratio 9:16 橘猫打哈欠`;
    case 'BAD_SEED':
      return `随机种子「${e.params.value}」不对，应为 0 到 ${e.params.max} 之间的整数（-1 表示随机），例如：/video --seed 42 橘猫打哈欠`;
    case 'BAD_CAMERA':
      return `没有「${e.params.value}」这个运镜模板，发送 /help 查看可用的运镜。`;
    case 'BAD_STRENGTH':
      return `运镜强度「${e.params.value}」不支持，可选：weak（弱）、medium（中）、strong（强）。`;
    case 'MISSING_JOB_ID':
      return '请写上要取消的任务编号，例如：/cancel J0008（发送 /jobs 查看你的任务）';
    case 'BAD_JOB_ID':
      return `任务编号「${e.params.value}」格式不对，发送 /jobs 查看你的任务编号，然后：/cancel J0008`;
    case 'BAD_QUOTA_ARGS':
      return `/quota 不支持「${e.params.sub}」。用法：/quota（查看额度）、/quota set @成员 20、/quota add @成员 5、/quota chat 100`;
    case 'BAD_USER':
      return `${e.params.value ? `「${e.params.value}」不是群成员。` : ''}请 @ 要设置的成员，例如：/quota ${e.params.sub} @张三 ${e.params.sub === 'set' ? 20 : 5}`;
    case 'BAD_NUMBER':
      return `${e.params.value ? `「${e.params.value}」不是有效的数量，` : '缺少数量，'}请写 ${e.params.min} 到 ${e.params.max} 之间的整数，例如：${quotaExample(e.params.sub, '@张三')}`;
    case 'BAD_RANGE':
      return `不支持的时间范围「${e.params.value}」，可选 today（今天）或 7d（最近 7 天），例如：/usage 7d`;
    case 'UNKNOWN_COMMAND':
      return `没有 ${e.params.command} 这个命令${e.params.suggestion ? `，你是不是想用 ${e.params.suggestion}？` : '。'}发送 /help 查看全部用法。`;
  }
}

function refusal(r: Refusal): string {
  switch (r.code) {
    case 'PAUSED':
      return `⏸ 视频生成已被管理员暂停${r.reason ? `：${r.reason}` : ''}。恢复后再试吧。`;
    case 'USER_DAILY':
      return `⚠️ 你今天的视频额度已用完（${r.used}/${r.limit}）。额度每天 0 点重置；需要更多请联系管理员。`;
    case 'CHAT_DAILY':
      return `⚠️ 本群今天的视频额度已用完（${r.used}/${r.limit}）。明天再来，或请管理员调整 /quota chat。`;
    case 'BUDGET':
      return `⚠️ 今天的全局预算即将用完（已用 ${r.spent} / ${r.budget} 元，本视频约 ${r.cost} 元），暂停接收新任务，明天恢复。`;
    case 'IN_FLIGHT':
      return `⚠️ 你已有 ${r.limit} 个任务在进行中，请等它们完成后再提交（/jobs 查看进度）。`;
  }
}

function help(p: HelpParams): string {
  const pr = p.prices;
  const d = p.defaults;
  const lines = [
    '🎬 即梦视频机器人 · 使用帮助',
    '',
    '【生成视频】',
    '/video 橘猫打哈欠',
    '/video --ratio 9:16 -d 10 海边日落延时',
    '回复一张图片并发送：/video 让它动起来（图生视频）',
    '',
    '【更多玩法】',
    '首尾帧：回复一条带两张图片的消息（或把两张图片和命令放在一条消息里）发送 /video 从白天到黑夜；第 1 张是首帧，第 2 张是尾帧，两张比例要相同',
    '运镜：回复一张图片发送 /video --camera 希区柯克推进 --strength strong 人物特写（强度 weak | medium | strong，默认 medium）',
    `运镜模板：${CAMERA_TEMPLATES.map((c) => c.zh).join('、')}（也可写英文名，如 handheld）`,
    '多镜头：描述可以分行写，例如「镜头1：清晨的城市」换行「镜头2：咖啡冒着热气」',
    '视频做好后，卡片上的按钮可以一键「再来一个」「高清版」「10 秒版」「改提示词」',
    '',
    '【选项】写在描述前面，可省略',
    `-m, --model 720p | 1080p | pro　清晰度（默认 ${d.model}）`,
    `-d, --duration 5 | 10　时长/秒（默认 ${d.duration}），也可直接写 10s、10秒`,
    `-r, --ratio 16:9 | 9:16 | 4:3 | 3:4 | 1:1 | 21:9　画面比例（默认 ${d.ratio}），也可直接写 9:16`,
    '-s, --seed 数字　随机种子（不写则随机，卡片上会显示）',
    '描述最多 800 字，写清主体、动作、场景和镜头效果更好。',
    '',
    `【价格】约 720p ${formatYuan(pr['720p'])} 元/秒 · 1080p ${formatYuan(pr['1080p'])} 元/秒 · pro ${formatYuan(pr.pro)} 元/秒`,
    `（5 秒 720p 约 ${formatYuan(pr['720p'] * 5)} 元）`,
    '',
    '【其他命令】',
    '/models　查看模型和价格',
    '/quota　查看我今天还能生成几个',
    '/jobs　查看我的任务',
    '/cancel J0008　按任务编号取消排队中的任务',
    '/help　显示本帮助（/帮助 也可以）',
  ];
  if (p.showAdmin)
    lines.push(
      '',
      '【管理员】',
      '/quota set @成员 20　设置成员每日条数',
      '/quota add @成员 5　今天给成员加条数',
      '/quota chat 100　设置本群每日总条数（0 = 不限）',
      '/usage [today | 7d]　查看用量和花费',
      '/pause [原因]　暂停生成　·　/resume　恢复',
    );
  return lines.join('\n');
}

export const zhCommands: Pick<
  Texts,
  'help' | 'mentionOnly' | 'models' | 'parseError' | 'refusal' | 'imageUnreadable' | 'internalError'
> = {
  help,
  mentionOnly: (p) =>
    [
      '👋 我是即梦视频机器人，发一句描述我就帮你做成视频。',
      `${p.chatType !== 'p2p' ? '@我 并发送' : '发送'}：/video 橘猫打哈欠`,
      '回复一张图片发送 /video 让它动起来，可以让图片动起来。',
      '更多用法发送 /help。',
    ].join('\n'),
  models(rows) {
    if (rows.length === 0) return '暂时没有可用的模型。';
    const lines = ['🎞 可用模型（价格为约数：5 秒 / 10 秒）'];
    for (const mode of Object.keys(MODE) as ModelRow['mode'][]) {
      const of = rows.filter((r) => r.mode === mode);
      if (of.length === 0) continue;
      lines.push('', `【${MODE[mode].name}】${MODE[mode].how}`);
      for (const r of of)
        lines.push(
          `• ${r.tier}　${r.resolution}　¥${formatYuan(r.price5)} / ¥${formatYuan(r.price10)}　${r.reqKey}`,
        );
    }
    lines.push('', '用 -m 选清晰度、-d 10 选 10 秒，例如：/video -m 1080p -d 10 海边日落延时');
    return lines.join('\n');
  },
  parseError,
  refusal,
  imageUnreadable:
    '⚠️ 读取不到你回复的图片（可能已被撤回，或机器人没有读取群消息的权限）。请重新发送图片后再试，或联系管理员检查 im:message.group_msg 与 im:resource 权限。',
  internalError: (incident) =>
    `😵 处理这条消息时出错了，请稍后再试。如果一直出错，请把编号 ${incident} 告诉管理员。`,
};
