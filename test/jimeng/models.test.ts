import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { framesFor, getModel, MODELS, priceOf, RATIOS, resolveModel } from '../../src/jimeng/models.js';

describe('model catalog', () => {
  it('lists every req_key named in the reference doc', () => {
    const doc = readFileSync('/work/shared/reference/jimeng-api.md', 'utf8');
    const keys = new Set<string>();
    for (const m of doc.matchAll(/jimeng_[a-z0-9_]+/g)) keys.add(m[0]);
    // "jimeng_i2v_first_tail_v30 / _1080" names the 1080 variant by suffix.
    keys.add('jimeng_i2v_first_tail_v30_1080');
    for (const key of keys) expect(getModel(key), key).toBeDefined();
    expect(MODELS.map((m) => m.reqKey).sort()).toEqual([...keys].sort());
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
    expect(getModel('jimeng_t2v_v30_pro')).toMatchObject({ documented: false });
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
