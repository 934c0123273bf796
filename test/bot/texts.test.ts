import { describe, expect, it } from 'vitest';
import { parseCommand } from '../../src/bot/commands.js';
import { type ModelListItem, t, texts } from '../../src/bot/texts.js';

const MODELS: ModelListItem[] = [
  {
    tier: '720p',
    label: '即梦 3.0 文生视频 720P',
    resolution: '720P',
    durations: [5, 10],
    pricePerSecond: 0.6,
    kind: 't2v',
  },
  {
    tier: '1080p',
    label: '即梦 3.0 图生视频 1080P',
    resolution: '1080P',
    durations: [5, 10],
    pricePerSecond: 0.8,
    kind: 'i2v',
  },
  {
    tier: 'pro',
    label: '即梦 3.0 Pro',
    resolution: '1080P',
    durations: [5, 10],
    pricePerSecond: 1,
    kind: 'both',
  },
];

function shape(o: object): string[] {
  return Object.entries(o)
    .flatMap(([k, v]) => (typeof v === 'object' && v ? shape(v).map((x) => `${k}.${x}`) : [k]))
    .sort();
}

describe('texts', () => {
  it('zh and en have the same keys', () => {
    expect(shape(texts.en)).toEqual(shape(texts.zh));
    expect(t()).toBe(texts.zh);
    expect(t('en')).toBe(texts.en);
  });

  it('help lists every command, the examples, the options and the prices', () => {
    const help = t('zh').help();
    for (const s of [
      '/video 橘猫打哈欠',
      '/video --ratio 9:16 -d 10 海边日落延时',
      '/video 让它动起来',
      '--model',
      '--duration',
      '--ratio',
      '--seed',
      '/models',
      '/quota',
      '/jobs',
      '/cancel',
      '/help',
      '/quota set',
      '/quota add',
      '/quota chat',
      '/usage',
      '/pause',
      '/resume',
      '0.6 元/秒',
      '0.8 元/秒',
      '1.0 元/秒',
    ]) {
      expect(help).toContain(s);
    }
    expect(t('zh').help({ showAdmin: false })).not.toContain('/pause');
    expect(t('zh').help({ prices: { pro: 1.2 }, defaults: { model: '1080p' } })).toMatch(
      /pro 1\.2 元\/秒[\s\S]*默认 1080p|默认 1080p[\s\S]*pro 1\.2 元\/秒/,
    );
  });

  it('every example in the help parses', () => {
    const examples = t('zh')
      .help()
      .split('\n')
      .filter((l) => l.startsWith('/video '));
    expect(examples.length).toBeGreaterThanOrEqual(2);
    for (const e of examples) {
      expect(parseCommand(e, { mentions: [], chatType: 'p2p' }).type).toBe('video');
    }
  });

  it('model list shows tier, label, resolution, durations and price', () => {
    const text = t('zh').models(MODELS);
    expect(text).toContain('即梦 3.0 文生视频 720P');
    expect(text).toContain('1080p');
    expect(text).toContain('5/10 秒');
    expect(text).toContain('约 0.8 元/秒');
    expect(text).toContain('约 1.0 元/秒');
    expect(text).toContain('图生视频');
    expect(t('zh').models([])).toMatch(/没有/);
    expect(t('en').models(MODELS)).toContain('yuan/s');
  });

  it('mention-only help is short and shows the example', () => {
    const zh = t('zh').mentionOnly({ chatType: 'group' });
    expect(zh).toContain('/video 橘猫打哈欠');
    expect(zh).toContain('@我');
    expect(t('zh').mentionOnly({ chatType: 'p2p' })).not.toContain('@我');
    expect(zh.split('\n').length).toBeLessThanOrEqual(5);
  });
});
