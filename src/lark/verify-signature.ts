import { createHash, timingSafeEqual } from 'node:crypto';

export interface SignatureInput {
  timestamp: string;
  nonce: string;
  encryptKey: string;
  /** The request body exactly as received. */
  rawBody: Buffer;
  /** X-Lark-Signature as sent. */
  signature: string;
}

/** hex sha256(timestamp + nonce + encryptKey + raw body bytes). */
export function computeLarkSignature(
  timestamp: string,
  nonce: string,
  encryptKey: string,
  rawBody: Buffer,
): string {
  return createHash('sha256')
    .update(Buffer.from(timestamp + nonce + encryptKey, 'utf8'))
    .update(rawBody)
    .digest('hex');
}

/** Checks X-Lark-Signature in constant time. */
export function verifyLarkSignature(input: SignatureInput): boolean {
  const expected = Buffer.from(
    computeLarkSignature(input.timestamp, input.nonce, input.encryptKey, input.rawBody),
    'utf8',
  );
  const given = Buffer.from(input.signature.trim().toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
