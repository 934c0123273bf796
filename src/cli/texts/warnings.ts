/** Words for validation warnings (accepted but ignored). */
import type { JimengWarning } from '../../jimeng/validate.js';

const TEXT: Record<JimengWarning['code'], (d: JimengWarning['details']) => string> = {
  RATIO_IGNORED: (d) => `带图片时画面比例由图片决定，已忽略 --ratio ${d.ratio} (ratio ignored)。`,
};

export function warningText(w: JimengWarning): string {
  return `提示：${TEXT[w.code](w.details)}`;
}
