/** `jimeng models`: the catalog with prices. Needs no keys. */
import { CAMERA_STRENGTHS, CAMERA_TEMPLATES } from '../../jimeng/camera-templates.js';
import { MODELS } from '../../jimeng/models.js';
import { EXIT_OK } from '../io.js';
import type { CommandContext } from './command.js';

const KIND = { t2v: '文生', i2v: '图生', both: '文/图' } as const;

export function modelsCommand({ json, out }: CommandContext): number {
  if (json) {
    out(JSON.stringify(MODELS));
    return EXIT_OK;
  }
  out('模型 Models:');
  out('req_key                          档位   类型  图片  时长     ¥/秒  比例');
  for (const m of MODELS) {
    const durations = m.durations.map((d) => `${d}s`).join('/');
    out(
      `${m.reqKey.padEnd(33)}${m.tier.padEnd(7)}${KIND[m.kind].padEnd(5)}${String(m.images).padEnd(5)}${durations.padEnd(
        9,
      )}${m.pricePerSecond.toFixed(1).padEnd(6)}${m.ratios.length ? m.ratios.join(' ') : '跟随图片'}${
        m.documented ? '' : '  (未在官方文档确认)'
      }`,
    );
  }
  out(
    '档位 --model：720p、1080p、pro（带图时自动选图生模型，--last 选首尾帧，--camera 选运镜）。价格为近似值。',
  );
  out('');
  out(`运镜模板 Camera templates (--camera, 720p; --strength ${CAMERA_STRENGTHS.join(' | ')}):`);
  for (const t of CAMERA_TEMPLATES) out(`  ${t.id.padEnd(25)}${t.zh}　${t.en}`);
  return EXIT_OK;
}
