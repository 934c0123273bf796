import { describe, expect, it } from 'vitest';
import { isJimengError, type JimengError } from '../../src/jimeng/errors.js';
import { createModelCatalog } from '../../src/jimeng/model-catalog.js';
import { type VideoRequest, validateRequest } from '../../src/jimeng/validate.js';
import { gif, jpeg, png, webp } from './images.js';

function fails(req: VideoRequest): JimengError {
  try {
    validateRequest(req);
  } catch (err) {
    if (isJimengError(err)) return err;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('validateRequest', () => {
  it('builds a t2v body with defaults (5 s → 121 frames, 16:9, seed -1)', () => {
    const v = validateRequest({ model: '720p', prompt: '  千军万马  ' });
    expect(v.body).toEqual({
      req_key: 'jimeng_t2v_v30',
      prompt: '千军万马',
      seed: -1,
      frames: 121,
      aspect_ratio: '16:9',
    });
    expect(
      validateRequest({ model: '1080p', prompt: 'x', duration: 10, ratio: '9:16', seed: 42 }).body,
    ).toEqual({
      req_key: 'jimeng_t2v_v30_1080p',
      prompt: 'x',
      seed: 42,
      frames: 241,
      aspect_ratio: '9:16',
    });
  });

  it('counts prompt length in code points (800 emoji ok, 801 not), and rejects empty prompts', () => {
    expect(validateRequest({ model: '720p', prompt: '😺'.repeat(800) }).body.prompt).toHaveLength(1600);
    const e = fails({ model: '720p', prompt: '猫'.repeat(801) });
    expect(e.code).toBe('PROMPT_TOO_LONG');
    expect(e.details).toEqual({ chars: 801, max: 800, recommended: 400 });
    expect(e).not.toHaveProperty('userMessage');
    expect(e.message).not.toMatch(/[\u4e00-\u9fff]/);
    expect(e.audience).toBe('user');
    expect(e.retryable).toBe(false);
    expect(fails({ model: '720p', prompt: '   ' }).code).toBe('PROMPT_EMPTY');
  });

  it('rejects bad durations, ratios, seeds and models', () => {
    expect(fails({ model: '720p', prompt: 'x', duration: 7 as 5 }).code).toBe('BAD_DURATION');
    const r = fails({ model: '720p', prompt: 'x', ratio: '5:4' });
    expect(r.code).toBe('BAD_RATIO');
    expect(r.details).toMatchObject({ value: '5:4', allowed: '16:9, 4:3, 1:1, 3:4, 9:16, 21:9' });
    expect(fails({ model: '720p', prompt: 'x', ratio: '' }).code).toBe('BAD_RATIO');
    expect(fails({ model: '720p', prompt: 'x', seed: 1.5 }).code).toBe('BAD_SEED');
    expect(fails({ model: '720p', prompt: 'x', seed: -2 }).code).toBe('BAD_SEED');
    expect(fails({ model: '4k', prompt: 'x' }).code).toBe('BAD_MODEL');
  });

  it('checks model capabilities: image required / not allowed / count', () => {
    expect(fails({ model: 'jimeng_i2v_first_v30', prompt: 'x' }).code).toBe('IMAGE_REQUIRED');
    expect(fails({ model: 'jimeng_t2v_v30', prompt: 'x', image: { bytes: png(640, 480) } }).code).toBe(
      'IMAGE_NOT_ALLOWED',
    );
    expect(
      fails({ model: 'jimeng_i2v_first_tail_v30', prompt: 'x', image: { bytes: png(640, 480) } }).code,
    ).toBe('IMAGE_COUNT');
    expect(
      fails({
        model: 'pro',
        prompt: 'x',
        image: { url: 'https://a/1.png' },
        images: { last: { url: 'https://a/2.png' } },
      }).code,
    ).toBe('MODE_UNSUPPORTED');
  });

  it('i2v by bytes: base64 body, no aspect_ratio, a given ratio is ignored with a warning', () => {
    const bytes = jpeg(1280, 720);
    const v = validateRequest({
      model: '720p',
      prompt: '动起来',
      image: { bytes },
      ratio: '1:1',
      duration: 10,
    });
    expect(v.model.reqKey).toBe('jimeng_i2v_first_v30');
    expect(v.body).toEqual({
      req_key: 'jimeng_i2v_first_v30',
      prompt: '动起来',
      seed: -1,
      frames: 241,
      binary_data_base64: [bytes.toString('base64')],
    });
    expect(v.warnings).toHaveLength(1);
  });

  it('i2v by URL sends image_urls; pro with an image ignores the ratio; two images pick first+tail', () => {
    const v = validateRequest({
      model: 'pro',
      prompt: 'x',
      ratio: '9:16',
      image: { url: 'https://img.example/a.png' },
    });
    expect(v.body).toEqual({
      req_key: 'jimeng_ti2v_v30_pro',
      prompt: 'x',
      seed: -1,
      frames: 121,
      image_urls: ['https://img.example/a.png'],
    });
    const pro = validateRequest({ model: 'pro', prompt: 'x', ratio: '21:9' });
    expect(pro.body.aspect_ratio).toBe('21:9');
    const tail = validateRequest({
      model: '1080p',
      prompt: 'x',
      image: { bytes: png(800, 600) },
      images: { last: { bytes: png(800, 600) } },
    });
    expect(tail.model.reqKey).toBe('jimeng_i2v_first_tail_v30_1080');
    expect(tail.body.binary_data_base64).toHaveLength(2);
    expect(
      fails({
        model: '1080p',
        prompt: 'x',
        image: { bytes: png(800, 600) },
        images: { last: { url: 'https://a/b.png' } },
      }).code,
    ).toBe('IMAGE_MIXED');
  });

  it('checks image bytes: format, size, dimensions, aspect', () => {
    const i2v = (bytes: Uint8Array) => fails({ model: '720p', prompt: 'x', image: { bytes } });
    expect(i2v(gif()).code).toBe('IMAGE_FORMAT');
    expect(i2v(webp()).code).toBe('IMAGE_FORMAT');
    expect(i2v(Buffer.from('not an image')).code).toBe('IMAGE_FORMAT');
    const max = Math.floor(4.7 * 1024 * 1024);
    expect(
      validateRequest({ model: '720p', prompt: 'x', image: { bytes: png(800, 600, max) } }).body,
    ).toBeTruthy();
    expect(i2v(png(800, 600, max + 1)).code).toBe('IMAGE_TOO_LARGE');
    expect(i2v(jpeg(800, 600, { padTo: 5_000_000 })).code).toBe('IMAGE_TOO_LARGE');
    expect(i2v(png(319, 400)).code).toBe('IMAGE_DIMENSIONS');
    expect(i2v(png(4097, 2000)).code).toBe('IMAGE_DIMENSIONS');
    expect(validateRequest({ model: '720p', prompt: 'x', image: { bytes: png(320, 960) } })).toBeTruthy();
    expect(validateRequest({ model: '720p', prompt: 'x', image: { bytes: jpeg(4096, 4096) } })).toBeTruthy();
    const aspect = i2v(jpeg(1000, 3001));
    expect(aspect.code).toBe('IMAGE_ASPECT');
    expect(aspect.details).toEqual({ index: 0, width: 1000, height: 3001, maxRatio: 3 });
  });

  it('checks URL schemes only', () => {
    expect(fails({ model: '720p', prompt: 'x', image: { url: 'ftp://a/b.png' } }).code).toBe('IMAGE_URL');
    expect(fails({ model: '720p', prompt: 'x', image: { url: '/etc/passwd' } }).code).toBe('IMAGE_URL');
    expect(
      validateRequest({ model: '720p', prompt: 'x', image: { url: 'http://a/b.gif' } }).body.image_urls,
    ).toEqual(['http://a/b.gif']);
  });

  it.each<[string, VideoRequest, Record<string, string | number>]>([
    ['PROMPT_EMPTY', { model: '720p', prompt: ' ' }, { chars: 0, max: 800 }],
    ['BAD_DURATION', { model: '720p', prompt: 'x', duration: 7 as 5 }, { value: 7, allowed: '5, 10' }],
    ['BAD_SEED', { model: '720p', prompt: 'x', seed: 1.5 }, { value: 1.5, min: -1 }],
    ['BAD_MODEL', { model: '4k', prompt: 'x' }, { model: '4k', allowed: '720p, 1080p, pro' }],
    [
      'IMAGE_REQUIRED',
      { model: 'jimeng_i2v_first_v30', prompt: 'x' },
      { model: 'jimeng_i2v_first_v30', expected: 1 },
    ],
    [
      'IMAGE_NOT_ALLOWED',
      { model: 'jimeng_t2v_v30', prompt: 'x', image: { url: 'https://a/b.png' } },
      { model: 'jimeng_t2v_v30' },
    ],
    [
      'IMAGE_COUNT',
      { model: 'jimeng_i2v_first_tail_v30', prompt: 'x', image: { url: 'https://a/b.png' } },
      { model: 'jimeng_i2v_first_tail_v30', expected: 2, got: 1 },
    ],
    ['IMAGE_FORMAT', { model: '720p', prompt: 'x', image: { bytes: gif() } }, { index: 0, format: 'gif' }],
    [
      'IMAGE_UNREADABLE',
      { model: '720p', prompt: 'x', image: { bytes: Buffer.from([0xff, 0xd8, 0xff, 0xd9]) } },
      { index: 0, format: 'jpeg' },
    ],
    [
      'IMAGE_TOO_LARGE',
      { model: '720p', prompt: 'x', image: { bytes: png(800, 600, 5_000_000) } },
      { index: 0, bytes: 5_000_000, max: Math.floor(4.7 * 1024 * 1024) },
    ],
    [
      'IMAGE_DIMENSIONS',
      { model: '720p', prompt: 'x', image: { bytes: png(200, 300) } },
      { index: 0, width: 200, height: 300, minSide: 320, maxSide: 4096 },
    ],
    [
      'IMAGE_URL',
      { model: '720p', prompt: 'x', image: { url: 'ftp://a/b.png' } },
      { index: 0, url: 'ftp://a/b.png' },
    ],
    [
      'IMAGE_MIXED',
      {
        model: 'jimeng_i2v_first_tail_v30',
        prompt: 'x',
        image: { url: 'https://a/1.png' },
        images: { last: { bytes: png(800, 600) } },
      },
      { urls: 1, files: 1 },
    ],
  ])('%s carries the details a sentence needs', (code, req, details) => {
    const e = fails(req);
    expect(e.code).toBe(code);
    expect(e.details).toMatchObject(details);
    expect(e.message).not.toMatch(/[\u4e00-\u9fff]/);
    expect(e.toJSON()).toMatchObject({ code, details });
    expect(e.toJSON()).not.toHaveProperty('userMessage');
  });

  it('seeds: -1 (random) or an integer in [0, 2^31-1]; anything larger is refused', () => {
    expect(validateRequest({ model: '720p', prompt: 'x', seed: 0 }).body.seed).toBe(0);
    expect(validateRequest({ model: '720p', prompt: 'x', seed: 2 ** 31 - 1 }).body.seed).toBe(2147483647);
    expect(validateRequest({ model: '720p', prompt: 'x' }).body.seed).toBe(-1);
    expect(fails({ model: '720p', prompt: 'x', seed: 2 ** 31 })).toMatchObject({
      code: 'BAD_SEED',
      details: { value: 2147483648, min: -1, max: 2147483647 },
    });
    expect(fails({ model: '720p', prompt: 'x', seed: 0xffffffff }).code).toBe('BAD_SEED');
  });

  it('multi-line prompts reach the body unchanged (only surrounding whitespace is trimmed)', () => {
    const prompt = '第一镜：清晨的港口\n第二镜：海鸥掠过\r\n\n  第三镜：渔船出海';
    expect(validateRequest({ model: '720p', prompt: `\n ${prompt} \n` }).body.prompt).toBe(prompt);
  });

  it("first + last frame: two images in that order, the tier's first_tail key", () => {
    const first = png(800, 600);
    const last = png(1600, 1200);
    const v = validateRequest({
      model: '1080p',
      prompt: 'x',
      images: { first: { bytes: first }, last: { bytes: last } },
    });
    expect(v.model.reqKey).toBe('jimeng_i2v_first_tail_v30_1080');
    expect(v.body).toEqual({
      req_key: 'jimeng_i2v_first_tail_v30_1080',
      prompt: 'x',
      seed: -1,
      frames: 121,
      binary_data_base64: [first.toString('base64'), last.toString('base64')],
    });
    expect(v.warnings).toEqual([]);
    const urls = validateRequest({
      model: '720p',
      prompt: 'x',
      images: { first: { url: 'https://a/first.png' }, last: { url: 'https://a/last.png' } },
    });
    expect(urls.body).toMatchObject({
      req_key: 'jimeng_i2v_first_tail_v30',
      image_urls: ['https://a/first.png', 'https://a/last.png'],
    });
    // `image` is the first frame too.
    expect(
      validateRequest({
        model: '720p',
        prompt: 'x',
        image: { bytes: first },
        images: { last: { bytes: last } },
      }).model.reqKey,
    ).toBe('jimeng_i2v_first_tail_v30');
  });

  it('first + last frame of different shapes is accepted with a warning', () => {
    const v = validateRequest({
      model: '720p',
      prompt: 'x',
      images: { first: { bytes: png(800, 600) }, last: { bytes: png(600, 800) } },
    });
    expect(v.warnings).toEqual([
      {
        code: 'FRAME_RATIOS_DIFFER',
        details: { firstWidth: 800, firstHeight: 600, lastWidth: 600, lastHeight: 800 },
      },
    ]);
  });

  it('image counts and modes are checked before any network call, with details', () => {
    const img = { bytes: png(800, 600) };
    expect(fails({ model: '720p', prompt: 'x', images: { last: img } })).toMatchObject({
      code: 'IMAGE_REQUIRED',
      details: { model: 'jimeng_i2v_first_tail_v30', expected: 2, frame: 'first' },
    });
    expect(fails({ model: 'pro', prompt: 'x', images: { first: img, last: img } })).toMatchObject({
      code: 'MODE_UNSUPPORTED',
      details: { model: 'pro', mode: 'first_last_frame' },
    });
    expect(
      fails({ model: 'jimeng_i2v_first_v30', prompt: 'x', images: { first: img, last: img } }),
    ).toMatchObject({
      code: 'IMAGE_COUNT',
      details: { model: 'jimeng_i2v_first_v30', expected: 1, got: 2 },
    });
    expect(fails({ model: 'jimeng_i2v_first_tail_v30', prompt: 'x', image: img })).toMatchObject({
      code: 'IMAGE_COUNT',
      details: { model: 'jimeng_i2v_first_tail_v30', expected: 2, got: 1 },
    });
    expect(fails({ model: '720p', prompt: 'x', image: img, images: { first: img } })).toMatchObject({
      code: 'IMAGE_COUNT',
      details: { expected: 1, got: 2 },
    });
  });

  it('camera motion: template and strength (default medium) in the body, one image, 720P only', () => {
    const img = { url: 'https://a/still.jpg' };
    const v = validateRequest({
      model: '720p',
      prompt: '推进',
      image: img,
      camera: { template: 'hitchcock_dolly_in' },
    });
    expect(v.body).toEqual({
      req_key: 'jimeng_i2v_recamera_v30',
      prompt: '推进',
      seed: -1,
      frames: 121,
      image_urls: ['https://a/still.jpg'],
      template_id: 'hitchcock_dolly_in',
      camera_strength: 'medium',
    });
    const strong = validateRequest({
      model: 'jimeng_i2v_recamera_v30',
      prompt: 'x',
      image: img,
      camera: { template: 'robo_arm', strength: 'strong' },
    });
    expect(strong.body).toMatchObject({ template_id: 'robo_arm', camera_strength: 'strong' });
    expect(fails({ model: '720p', prompt: 'x', image: img, camera: { template: 'zoom_in' } })).toMatchObject({
      code: 'BAD_CAMERA_TEMPLATE',
      details: { value: 'zoom_in' },
    });
    expect(
      fails({ model: '720p', prompt: 'x', image: img, camera: { template: 'handheld', strength: 'max' } }),
    ).toMatchObject({
      code: 'BAD_CAMERA_STRENGTH',
      details: { value: 'max', allowed: 'weak, medium, strong' },
    });
    expect(
      fails({ model: '1080p', prompt: 'x', image: img, camera: { template: 'handheld' } }),
    ).toMatchObject({
      code: 'MODE_UNSUPPORTED',
      details: { model: '1080p', mode: 'camera' },
    });
    expect(fails({ model: '720p', prompt: 'x', camera: { template: 'handheld' } })).toMatchObject({
      code: 'IMAGE_REQUIRED',
      details: { model: 'jimeng_i2v_recamera_v30', expected: 1 },
    });
    expect(fails({ model: 'jimeng_i2v_recamera_v30', prompt: 'x', image: img })).toMatchObject({
      code: 'CAMERA_REQUIRED',
      details: { model: 'jimeng_i2v_recamera_v30' },
    });
    expect(
      fails({ model: 'jimeng_i2v_first_v30', prompt: 'x', image: img, camera: { template: 'handheld' } }),
    ).toMatchObject({
      code: 'CAMERA_NOT_ALLOWED',
      details: { model: 'jimeng_i2v_first_v30' },
    });
  });

  it('a catalog with other prices validates the same way and reports its price', () => {
    const catalog = createModelCatalog({ jimeng_t2v_v30: 0.28 });
    expect(validateRequest({ model: '720p', prompt: 'x' }, catalog).model.pricePerSecond).toBe(0.28);
  });
});
