import * as lark from '@larksuiteoapi/node-sdk';
import { describe, expect, it } from 'vitest';
import { decryptLarkEvent, encryptLarkEvent } from '../../src/lark/decrypt-event.js';

describe('decryptLarkEvent', () => {
  it('decrypts the official vector', () => {
    expect(decryptLarkEvent('test key', 'P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=')).toBe('hello world');
  });

  it('round-trips multi-byte text and agrees with the SDK AESCipher', () => {
    const text = JSON.stringify({ text: '@_user_1 /video 一只猫在月球上跳舞 🐱'.repeat(5) });
    const enc = encryptLarkEvent('my key', text);
    expect(decryptLarkEvent('my key', enc)).toBe(text);
    expect(new lark.AESCipher('my key').decrypt(enc)).toBe(text);
  });

  it('throws with the wrong key or garbage', () => {
    const enc = encryptLarkEvent('right', JSON.stringify({ a: 1 }));
    expect(() => decryptLarkEvent('wrong', enc)).toThrow();
    expect(() => decryptLarkEvent('right', 'bm90IGVuY3J5cHRlZA==')).toThrow();
  });
});
