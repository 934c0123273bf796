import { describe, expect, it } from 'vitest';
import { imageInfo } from '../../src/jimeng/image-info.js';
import { gif, jpeg, png, webp } from './images.js';

describe('imageInfo', () => {
  it('reads PNG width/height from IHDR', () => {
    expect(imageInfo(png(1280, 720))).toEqual({ format: 'png', mime: 'image/png', width: 1280, height: 720 });
    expect(imageInfo(png(70000, 3))).toMatchObject({ width: 70000, height: 3 });
  });

  it('reads JPEG size from SOF0 after APP0/APP1/COM/DQT segments', () => {
    expect(imageInfo(jpeg(640, 480))).toEqual({
      format: 'jpeg',
      mime: 'image/jpeg',
      width: 640,
      height: 480,
    });
  });

  it('reads progressive (SOF2) and other SOFn markers, not DHT (C4)', () => {
    expect(imageInfo(jpeg(1024, 2048, { sof: 0xc2 }))).toMatchObject({ width: 1024, height: 2048 });
    expect(imageInfo(jpeg(333, 444, { sof: 0xc1 }))).toMatchObject({ width: 333, height: 444 });
    // A DHT segment where a SOF would be is skipped; no SOF then → no size.
    expect(imageInfo(jpeg(333, 444, { sof: 0xc4 }))).toEqual({ format: 'jpeg', mime: 'image/jpeg' });
  });

  it('recognises GIF and WebP, and rejects garbage', () => {
    expect(imageInfo(gif()).format).toBe('gif');
    expect(imageInfo(webp()).format).toBe('webp');
    expect(imageInfo(Buffer.from('hello world')).format).toBe('unknown');
    expect(imageInfo(new Uint8Array(0)).format).toBe('unknown');
  });

  it('copes with truncated headers', () => {
    expect(imageInfo(png(500, 500).subarray(0, 18))).toEqual({ format: 'png', mime: 'image/png' });
    const j = jpeg(500, 500);
    for (let n = 3; n < j.length; n += 7) expect(imageInfo(j.subarray(0, n)).format).toBe('jpeg');
  });
});
