/** Task status names for progress lines and results. */
export const STATUS_ZH: Readonly<Record<string, string>> = {
  submitted: '已提交',
  in_queue: '排队中',
  generating: '生成中',
  done: '已完成',
  failed: '失败',
  not_found: '未找到',
  expired: '已过期',
};

export function statusText(status: string): string {
  return `${STATUS_ZH[status] ?? status} (${status})`;
}

export function formatElapsed(ms: number): string {
  const s = Math.floor(ms / 1000);
  return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}
