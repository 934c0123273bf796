import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { computeLarkSignature, verifyLarkSignature } from '../../src/lark/verify-signature.js';

describe('verifyLarkSignature', () => {
  const rawBody = Buffer.from('{"encrypt":"abc=="}');
  const signature = createHash('sha256').update(`1700000000nonce1key${rawBody.toString()}`).digest('hex');

  it('accepts sha256(timestamp + nonce + key + body)', () => {
    expect(computeLarkSignature('1700000000', 'nonce1', 'key', rawBody)).toBe(signature);
    expect(
      verifyLarkSignature({
        timestamp: '1700000000',
        nonce: 'nonce1',
        encryptKey: 'key',
        rawBody,
        signature,
      }),
    ).toBe(true);
  });

  it('signs the raw bytes, not a re-serialization', () => {
    const spaced = Buffer.from('{ "encrypt": "abc==" }');
    expect(
      verifyLarkSignature({
        timestamp: '1700000000',
        nonce: 'nonce1',
        encryptKey: 'key',
        rawBody: spaced,
        signature,
      }),
    ).toBe(false);
  });

  it('rejects a wrong key, nonce, or a malformed signature', () => {
    const base = { timestamp: '1700000000', nonce: 'nonce1', encryptKey: 'key', rawBody, signature };
    expect(verifyLarkSignature({ ...base, encryptKey: 'other' })).toBe(false);
    expect(verifyLarkSignature({ ...base, nonce: 'nonce2' })).toBe(false);
    expect(verifyLarkSignature({ ...base, signature: 'abc' })).toBe(false);
    expect(verifyLarkSignature({ ...base, signature: '' })).toBe(false);
  });
});
