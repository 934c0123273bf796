import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

let cached: { encryptKey: string; key: Buffer } | undefined;
/** sha256(encryptKey): the same for every event of the app, so derived once. */
function keyOf(encryptKey: string): Buffer {
  if (cached?.encryptKey !== encryptKey)
    cached = { encryptKey, key: createHash('sha256').update(encryptKey, 'utf8').digest() };
  return cached.key;
}

/**
 * Decrypts Feishu's `{"encrypt": ...}`: base64(iv16 || AES-256-CBC(plaintext)), key = sha256(encryptKey).
 * Throws on a wrong key or malformed input. Same algorithm as the SDK's AESCipher, but over Buffers so
 * multi-byte UTF-8 split across blocks is decoded correctly.
 */
export function decryptLarkEvent(encryptKey: string, encrypt: string): string {
  const buf = Buffer.from(encrypt, 'base64');
  if (buf.length < 32 || buf.length % 16 !== 0) throw new Error('encrypted payload has an invalid length');
  const decipher = createDecipheriv('aes-256-cbc', keyOf(encryptKey), buf.subarray(0, 16));
  return Buffer.concat([decipher.update(buf.subarray(16)), decipher.final()]).toString('utf8');
}

/** The inverse, as Feishu does it (used by the sandbox event builder and tests). */
export function encryptLarkEvent(
  encryptKey: string,
  plaintext: string,
  iv: Buffer = randomBytes(16),
): string {
  const cipher = createCipheriv('aes-256-cbc', keyOf(encryptKey), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}
