import { describe, expect, it } from 'vitest';
import { CAMERA_STRENGTHS, CAMERA_TEMPLATES, getCameraTemplate } from '../../src/jimeng/camera-templates.js';
import { createModelCatalog, DEFAULT_PRICES, defaultCatalog } from '../../src/jimeng/model-catalog.js';
import { MODELS, priceOf } from '../../src/jimeng/models.js';
import { thrown } from '../helpers/jimeng-error.js';

describe('createModelCatalog: prices are configuration', () => {
  it('defaults: 0.6 / 0.8 / 1.0 yuan per second by tier; first+last frame and camera take their tier price', () => {
    const c = createModelCatalog();
    expect(c.get('jimeng_t2v_v30')?.pricePerSecond).toBe(0.6);
    expect(c.get('jimeng_t2v_v30_1080p')?.pricePerSecond).toBe(0.8);
    expect(c.get('jimeng_ti2v_v30_pro')?.pricePerSecond).toBe(1);
    expect(c.get('jimeng_i2v_first_tail_v30')?.pricePerSecond).toBe(0.6);
    expect(c.get('jimeng_i2v_first_tail_v30_1080')?.pricePerSecond).toBe(0.8);
    expect(c.get('jimeng_i2v_recamera_v30')?.pricePerSecond).toBe(0.6);
    expect(DEFAULT_PRICES.jimeng_t2v_v30).toBe(0.6);
    expect(c.priceOf('jimeng_t2v_v30', 5)).toBe(3);
    expect(c.priceOf(c.get('jimeng_ti2v_v30_pro')!, 10)).toBe(10);
  });

  it('takes a partial price table by req_key, leaving other models at their defaults', () => {
    const c = createModelCatalog({ jimeng_t2v_v30: 0.28, jimeng_t2v_v30_1080p: 0.63 });
    expect(c.priceOf('jimeng_t2v_v30', 5)).toBe(1.4);
    expect(c.priceOf('jimeng_t2v_v30_1080p', 10)).toBe(6.3);
    expect(c.get('jimeng_ti2v_v30_pro')?.pricePerSecond).toBe(1);
    expect(c.list().find((m) => m.reqKey === 'jimeng_t2v_v30')?.pricePerSecond).toBe(0.28);
    // The default catalog is untouched.
    expect(defaultCatalog.priceOf('jimeng_t2v_v30', 5)).toBe(3);
    expect(priceOf(MODELS[0]!, 5)).toBe(3);
  });

  it('rejects a price for an unknown model or a negative / non-number price, with details', () => {
    expect(thrown(() => createModelCatalog({ jimeng_t2v_v30_pro: 1 }))).toMatchObject({
      code: 'BAD_PRICE',
      details: { model: 'jimeng_t2v_v30_pro' },
    });
    expect(thrown(() => createModelCatalog({ jimeng_t2v_v30: -1 }))).toMatchObject({
      code: 'BAD_PRICE',
      details: { model: 'jimeng_t2v_v30', value: -1 },
    });
    expect(thrown(() => createModelCatalog({ jimeng_t2v_v30: Number.NaN })).code).toBe('BAD_PRICE');
  });

  it('list() returns copies', () => {
    const c = createModelCatalog();
    c.list()[0]!.ratios.length = 0;
    expect(c.list()[0]!.ratios).toHaveLength(6);
  });

  it('resolves a tier and a mode to a req_key, and says when a tier has no model for a mode', () => {
    const c = defaultCatalog;
    expect(c.resolve('720p', 'text').reqKey).toBe('jimeng_t2v_v30');
    expect(c.resolve('720p', 'first_frame').reqKey).toBe('jimeng_i2v_first_v30');
    expect(c.resolve('720p', 'first_last_frame').reqKey).toBe('jimeng_i2v_first_tail_v30');
    expect(c.resolve('720p', 'camera').reqKey).toBe('jimeng_i2v_recamera_v30');
    expect(c.resolve('1080p', 'text').reqKey).toBe('jimeng_t2v_v30_1080p');
    expect(c.resolve('1080p', 'first_frame').reqKey).toBe('jimeng_i2v_first_v30_1080');
    expect(c.resolve('1080p', 'first_last_frame').reqKey).toBe('jimeng_i2v_first_tail_v30_1080');
    expect(c.resolve('pro', 'text').reqKey).toBe('jimeng_ti2v_v30_pro');
    expect(c.resolve('pro', 'first_frame').reqKey).toBe('jimeng_ti2v_v30_pro');
    expect(c.resolve('jimeng_i2v_first_v30', 'first_frame').reqKey).toBe('jimeng_i2v_first_v30');
    expect(thrown(() => c.resolve('1080p', 'camera'))).toMatchObject({
      code: 'MODE_UNSUPPORTED',
      details: { model: '1080p', mode: 'camera' },
    });
    expect(thrown(() => c.resolve('pro', 'first_last_frame')).code).toBe('MODE_UNSUPPORTED');
    expect(thrown(() => c.resolve('4k', 'text'))).toMatchObject({
      code: 'BAD_MODEL',
      details: { model: '4k' },
    });
  });

  it('each model names its modes', () => {
    const modes = Object.fromEntries(defaultCatalog.list().map((m) => [m.reqKey, m.modes]));
    expect(modes).toEqual({
      jimeng_t2v_v30: ['text'],
      jimeng_t2v_v30_1080p: ['text'],
      jimeng_ti2v_v30_pro: ['text', 'first_frame'],
      jimeng_i2v_first_v30: ['first_frame'],
      jimeng_i2v_first_v30_1080: ['first_frame'],
      jimeng_i2v_first_tail_v30: ['first_last_frame'],
      jimeng_i2v_first_tail_v30_1080: ['first_last_frame'],
      jimeng_i2v_recamera_v30: ['camera'],
    });
  });
});

describe('camera templates', () => {
  it('lists the 11 documented templates with Chinese and English names, and three strengths', () => {
    expect(CAMERA_TEMPLATES.map((t) => t.id)).toEqual([
      'hitchcock_dolly_in',
      'hitchcock_dolly_out',
      'robo_arm',
      'dynamic_orbit',
      'central_orbit',
      'crane_push',
      'quick_pull_back',
      'counterclockwise_swivel',
      'clockwise_swivel',
      'handheld',
      'rapid_push_pull',
    ]);
    expect(getCameraTemplate('hitchcock_dolly_in')).toMatchObject({
      zh: '希区柯克推进',
      en: 'Hitchcock dolly in',
    });
    expect(getCameraTemplate('quick_pull_back')?.zh).toBe('超级拉远');
    expect(getCameraTemplate('handheld')?.zh).toBe('手持运镜');
    for (const t of CAMERA_TEMPLATES) expect(t.en).toMatch(/^[A-Z][a-z -]+$/i);
    expect(getCameraTemplate('zoom')).toBeUndefined();
    expect(CAMERA_STRENGTHS).toEqual(['weak', 'medium', 'strong']);
  });
});
