/** Words for `jimeng check`: a table of accounts, then each account's models and verdict. */
import type { AccountCheck, ModelAccess } from '../../jimeng/check.js';
import { jimengErrorText } from './errors.js';

const MARK: Record<ModelAccess, string> = { usable: '✅', denied: '⛔', unknown: '❓' };
const ACCESS: Record<ModelAccess, string> = {
  usable: '可用 usable',
  denied: '未开通 denied',
  unknown: '未知 unknown',
};

function verdictSentence(c: AccountCheck): string {
  const e = c.error;
  switch (c.verdict) {
    case 'ok':
      return `密钥有效，默认模型 ${c.defaultModel} 可用 (ok)。`;
    case 'access_denied': {
      const others = c.usable.filter((k) => k !== c.defaultModel);
      return others.length > 0
        ? `密钥有效，但默认模型 ${c.defaultModel} 未开通 (access denied)。可用：${others.join('、')}；把 JIMENG_DEFAULT_MODEL 改成其中之一，或在火山引擎控制台开通 ${c.defaultModel}。`
        : `密钥有效，但账号没有开通即梦视频服务 (access denied)：在火山引擎控制台开通。`;
    }
    case 'bad_credentials':
      return `密钥无效或签名不匹配（${e?.gatewayCode ?? e?.code}）：检查 VOLC_ACCESSKEY / VOLC_SECRETKEY 和本机时间。`;
    case 'unreachable':
      return `连不上 ${c.endpoint} (unreachable)：${e?.message ?? ''}`;
    default:
      return `无法确认账号状态 (unexpected)：${e ? jimengErrorText(e) : ''}`;
  }
}

/** Terminal columns: CJK, full-width forms and the marks used here take two. */
function displayWidth(s: string): number {
  let w = 0;
  for (const ch of s)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6✅❌⛔❓]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

/** The accounts table: account, verdict, models usable. */
export function accountsTable(checks: AccountCheck[]): string[] {
  const rows = checks.map((c) => [
    c.account,
    `${c.ok ? '✅' : '❌'} ${c.verdict}`,
    c.usable.join(', ') || '—',
  ]);
  const head = ['账号 account', '结论 verdict', '可用模型 models usable'];
  const width = (i: number) => Math.max(...[head, ...rows].map((r) => displayWidth(r[i]!))) + 2;
  const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - displayWidth(s)));
  const w0 = width(0);
  const w1 = width(1);
  return [head, ...rows].map((r) => `${pad(r[0]!, w0)}${pad(r[1]!, w1)}${r[2]}`);
}

export function accountDetail(c: AccountCheck): string[] {
  const lines = [`${c.account}：`];
  for (const m of c.models) {
    const code = m.jimengCode ?? (m.access !== 'usable' ? m.code : undefined);
    const isDefault = m.reqKey === c.defaultModel ? '（默认 default）' : '';
    lines.push(
      `  ${m.reqKey.padEnd(33)}${MARK[m.access]} ${ACCESS[m.access]}${code ? ` (${code})` : ''}${isDefault}`,
    );
  }
  lines.push(`  结论：${verdictSentence(c)}`);
  lines.push(`  endpoint ${c.endpoint}, ${c.latencyMs} ms`);
  return lines;
}
