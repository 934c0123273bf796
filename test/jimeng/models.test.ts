import { describe, expect, it } from 'vitest';
import { framesFor, getModel, MODELS, priceOf, RATIOS, resolveModel } from '../../src/jimeng/models.js';
import documented from '../fixtures/jimeng/documented-req-keys.json' with { type: 'json' };

describe('model catalog', () => {
  it('holds exactly the documented req_keys (test/fixtures/jimeng/documented-req-keys.json)', () => {
    for (const key of documented.reqKeys) expect(getModel(key), key).toBeDefined();
    expect(MODELS.map((m) => m.reqKey).sort()).toEqual([...documented.reqKeys].sort());
    // The original spec's text-to-video Pro key does not exist: Pro text-to-video is ti2v without an image.
    expect(getModel('jimeng_t2v_v30_pro')).toBeUndefined();
  });

  it('has kinds, images, ratios and prices per the doc', () => {
    expect(getModel('jimeng_t2v_v30')).toMatchObject({
      kind: 't2v',
      images: 0,
      ratios: RATIOS,
      pricePerSecond: 0.6,
    });
    expect(getModel('jimeng_t2v_v30_1080p')).toMatchObject({
      kind: 't2v',
      tier: '1080p',
      pricePerSecond: 0.8,
    });
    expect(getModel('jimeng_ti2v_v30_pro')).toMatchObject({ kind: 'both', images: 1, pricePerSecond: 1 });
    expect(getModel('jimeng_i2v_recamera_v30')).toMatchObject({ kind: 'i2v', images: 1, tier: '720p' });
    expect(getModel('jimeng_i2v_first_v30')).toMatchObject({ kind: 'i2v', images: 1, ratios: [] });
    expect(getModel('jimeng_i2v_first_tail_v30_1080')).toMatchObject({
      kind: 'i2v',
      images: 2,
      tier: '1080p',
    });
    for (const m of MODELS) expect(m.durations).toEqual([5, 10]);
    expect(RATIOS).toEqual(['16:9', '4:3', '1:1', '3:4', '9:16', '21:9']);
  });

  it('resolves tiers to req_keys (the 1080P t2v key ends in p, the i2v one does not)', () => {
    expect(resolveModel('720p', false).reqKey).toBe('jimeng_t2v_v30');
    expect(resolveModel('720p', true).reqKey).toBe('jimeng_i2v_first_v30');
    expect(resolveModel('1080p', false).reqKey).toBe('jimeng_t2v_v30_1080p');
    expect(resolveModel('1080p', true).reqKey).toBe('jimeng_i2v_first_v30_1080');
    expect(resolveModel('pro', false).reqKey).toBe('jimeng_ti2v_v30_pro');
    expect(resolveModel('pro', true).reqKey).toBe('jimeng_ti2v_v30_pro');
  });

  it('maps durations to frames and computes prices', () => {
    expect(framesFor(5)).toBe(121);
    expect(framesFor(10)).toBe(241);
    expect(priceOf(resolveModel('720p', false), 5)).toBe(3);
    expect(priceOf(resolveModel('1080p', false), 10)).toBe(8);
    expect(priceOf(resolveModel('pro', true), 5)).toBe(5);
  });
});
