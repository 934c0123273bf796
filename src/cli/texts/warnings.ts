/** Words for validation warnings (accepted but ignored). */
import type { JimengWarning } from '../../jimeng/validate.js';

const TEXT: Record<JimengWarning['code'], (d: JimengWarning['details']) => string> = {
  RATIO_IGNORED: (d) => `带图片时画面比例由图片决定，已忽略 --ratio ${d.ratio} (ratio ignored)。`,
  FRAME_RATIOS_DIFFER: (d) =>
    `首帧 ${d.firstWidth}×${d.firstHeight} 与尾帧 ${d.lastWidth}×${d.lastHeight} 比例不同，即梦要求首尾帧比例一致 (frame ratios differ)。`,
};

export function warningText(w: JimengWarning): string {
  return `提示：${TEXT[w.code](w.details)}`;
}
