/** Reads an image's format and pixel size from its header bytes (JPEG SOFn, PNG IHDR). No dependencies. */

export type ImageFormat = 'jpeg' | 'png' | 'gif' | 'webp' | 'unknown';

export interface ImageInfo {
  format: ImageFormat;
  /** Pixel size when the header could be read (JPEG/PNG only). */
  width?: number;
  height?: number;
  mime?: string;
}

const PNG_SIG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function startsWith(bytes: Uint8Array, sig: number[], offset = 0): boolean {
  if (bytes.length < offset + sig.length) return false;
  return sig.every((b, i) => bytes[offset + i] === b);
}

const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));
const u16 = (b: Uint8Array, i: number) => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u32 = (b: Uint8Array, i: number) =>
  ((b[i] ?? 0) * 0x1000000 + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0))) >>> 0;

// SOF markers carrying the frame size: C0–CF except DHT (C4), JPG (C8) and DAC (CC).
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i < b.length) {
    if (b[i] !== 0xff) return undefined;
    while (b[i] === 0xff) i++; // fill bytes
    const marker = b[i];
    i++;
    if (marker === undefined) return undefined;
    // Standalone markers without a length: TEM, RSTn, SOI.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) continue;
    if (marker === 0xd9 || marker === 0xda) return undefined; // EOI / start of scan before any SOF
    if (i + 2 > b.length) return undefined;
    const len = u16(b, i);
    if (len < 2) return undefined;
    if (isSof(marker)) {
      if (i + 7 > b.length) return undefined;
      return { height: u16(b, i + 3), width: u16(b, i + 5) };
    }
    i += len; // skip APPn, DQT, DHT, COM, …
  }
  return undefined;
}

export function imageInfo(bytes: Uint8Array): ImageInfo {
  if (startsWith(bytes, PNG_SIG)) {
    // The first chunk must be IHDR: length(4) "IHDR"(4) width(4) height(4).
    if (startsWith(bytes, ascii('IHDR'), 12) && bytes.length >= 24) {
      return { format: 'png', mime: 'image/png', width: u32(bytes, 16), height: u32(bytes, 20) };
    }
    return { format: 'png', mime: 'image/png' };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) {
    const size = jpegSize(bytes);
    return { format: 'jpeg', mime: 'image/jpeg', ...size };
  }
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) {
    return { format: 'gif', mime: 'image/gif' };
  }
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) {
    return { format: 'webp', mime: 'image/webp' };
  }
  return { format: 'unknown' };
}
