import { createHash, timingSafeEqual } from 'node:crypto';
import { decryptLarkEvent } from './decrypt-event.js';
import { verifyLarkSignature } from './verify-signature.js';

export interface VerifyOptions {
  /** The app's Encrypt Key. When set, every delivery must carry a valid X-Lark-Signature. */
  encryptKey?: string;
  /** The app's Verification Token, checked on every delivery. */
  verificationToken: string;
  /**
   * A signed request whose X-Lark-Request-Timestamp is older than this (ms) is a replay: acknowledged and
   * dropped. Default 12 h (Feishu re-pushes for ~7.1 h).
   */
  maxAgeMs?: number;
}

export interface SignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
}

export type Verdict =
  | { kind: 'reject'; status: number; error: string; log?: string }
  | { kind: 'stale'; ageMs: number }
  | { kind: 'challenge'; challenge: string }
  | { kind: 'delivery'; body: Record<string, unknown>; eventType: string; eventId: string };

const reject = (status: number, error: string, log?: string): Verdict => ({
  kind: 'reject',
  status,
  error,
  ...(log ? { log } : {}),
});

/**
 * Checks one webhook request (events and card callbacks alike) the way Feishu secures them: signature
 * over the raw bytes, decryption, verification token, schema 2.0 header. Pure; the transport reads the
 * body and writes the answer. `tokenHash` is sha256 of the verification token (computed once).
 */
export function verifyDelivery(
  raw: Buffer,
  h: SignatureHeaders,
  opts: VerifyOptions,
  tokenHash: Buffer,
  now = Date.now(),
): Verdict {
  const signed = Boolean(h.timestamp && h.nonce && h.signature);
  if (opts.encryptKey && signed) {
    // Fields named rather than spread from `h`: this runs for every request, and the spread measurably
    // costs more (bench/ingest.ts, chatter).
    const ok = verifyLarkSignature({
      timestamp: h.timestamp,
      nonce: h.nonce,
      signature: h.signature,
      encryptKey: opts.encryptKey,
      rawBody: raw,
    });
    if (!ok)
      return reject(
        401,
        'bad signature',
        "lark webhook: X-Lark-Signature mismatch: check LARK_ENCRYPT_KEY matches the app's Encrypt Key",
      );
  }
  let body: Record<string, unknown>;
  try {
    body = parseObject(raw.toString('utf8'));
  } catch {
    return reject(400, 'malformed JSON', 'lark webhook: body is not a JSON object');
  }
  if (typeof body.encrypt === 'string') {
    if (!opts.encryptKey)
      return reject(
        400,
        'encrypted event but no encrypt key configured',
        "lark webhook: received an encrypted event but LARK_ENCRYPT_KEY is not set: set it to the app's Encrypt Key",
      );
    try {
      body = parseObject(decryptLarkEvent(opts.encryptKey, body.encrypt));
    } catch {
      return reject(
        400,
        'could not decrypt',
        "lark webhook: could not decrypt the event: check LARK_ENCRYPT_KEY matches the app's Encrypt Key",
      );
    }
  }
  const isChallenge = body.type === 'url_verification';
  // Feishu signs every event when an Encrypt Key is set. Only the URL check may come unsigned: it is
  // still authenticated by decrypting with our key and by the verification token below.
  if (opts.encryptKey && !signed && !isChallenge)
    return reject(
      401,
      'missing signature',
      'lark webhook: event without X-Lark-Signature/-Timestamp/-Nonce headers rejected (an Encrypt Key is configured)',
    );
  const header = isObject(body.header) ? body.header : undefined;
  const token = isChallenge ? body.token : header ? header.token : body.token;
  if (typeof token !== 'string' || !timingSafeEqual(sha256(token), tokenHash))
    return reject(
      401,
      'bad verification token',
      "lark webhook: verification token mismatch: check LARK_VERIFICATION_TOKEN matches the app's Verification Token",
    );
  if (isChallenge) {
    if (typeof body.challenge !== 'string') return reject(400, 'missing challenge');
    return { kind: 'challenge', challenge: body.challenge };
  }
  if (!header || typeof header.event_type !== 'string' || typeof header.event_id !== 'string')
    return reject(
      400,
      'missing header',
      'lark webhook: event without header.event_type/event_id (schema 2.0 only)',
    );
  if (!isObject(body.event)) return reject(400, 'missing event');
  // Authentic but old: a captured request sent again. Acknowledged (nothing to learn from it) and dropped.
  const ageMs = now - Number(h.timestamp) * 1000;
  if (signed && Number.isFinite(ageMs) && ageMs > (opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS))
    return { kind: 'stale', ageMs };
  return { kind: 'delivery', body, eventType: header.event_type, eventId: header.event_id };
}

export const sha256 = (s: string): Buffer => createHash('sha256').update(s).digest();

export const DEFAULT_MAX_AGE_MS = 12 * 3_600_000;

function parseObject(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error('not an object');
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
