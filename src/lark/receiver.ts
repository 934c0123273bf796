import { createHash, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { type Logger, silentLogger } from '../log.js';
import { decryptLarkEvent } from './decrypt-event.js';
import { BodyTooLargeError, readRawBody } from './read-raw-body.js';
import type { LarkEvent } from './types.js';
import { verifyLarkSignature } from './verify-signature.js';

export interface ReceiverOptions {
  /** The app's Encrypt Key. When set, every event must carry a valid X-Lark-Signature. */
  encryptKey?: string;
  /** The app's Verification Token, checked on every request. */
  verificationToken: string;
  /** Must be quick (persist & enqueue): Feishu re-pushes events not answered within 3 s. */
  onEvent(evt: LarkEvent): void | Promise<void>;
  /** Default 1 MiB. */
  maxBodyBytes?: number;
  /** Default '/webhook/event'. */
  path?: string;
  logger?: Logger;
}

type Outcome = { status: number; body: unknown; log?: string };

/** Koa router answering Feishu's event subscription requests (POST /webhook/event). */
export function createReceiverRouter(opts: ReceiverOptions): Router {
  const router = new Router();
  const path = opts.path ?? '/webhook/event';
  const tokenHash = sha256(opts.verificationToken);
  router.post(path, async (ctx) => {
    const outcome = await handle(ctx, opts, tokenHash);
    if (outcome.log) (opts.logger ?? silentLogger).warn(outcome.log);
    ctx.status = outcome.status;
    // Set outright: Koa would otherwise look the type up by name for every response.
    ctx.set('Content-Type', 'application/json; charset=utf-8');
    ctx.body = outcome.body;
  });
  return router;
}

function reject(status: number, error: string, log?: string): Outcome {
  return { status, body: { error }, ...(log ? { log } : {}) };
}

async function handle(ctx: Context, opts: ReceiverOptions, tokenHash: Buffer): Promise<Outcome> {
  const logger = opts.logger ?? silentLogger;
  const limit = opts.maxBodyBytes ?? 1024 * 1024;
  let raw: Buffer;
  try {
    raw = await readRawBody(ctx.req, limit);
  } catch (e) {
    if (e instanceof BodyTooLargeError) {
      ctx.set('Connection', 'close');
      return reject(413, 'payload too large', `lark webhook: request body over ${limit} bytes rejected`);
    }
    return reject(400, 'could not read body', `lark webhook: could not read body: ${(e as Error).message}`);
  }

  const timestamp = ctx.get('X-Lark-Request-Timestamp');
  const nonce = ctx.get('X-Lark-Request-Nonce');
  const signature = ctx.get('X-Lark-Signature');
  const signed = Boolean(timestamp && nonce && signature);
  if (opts.encryptKey && signed) {
    const ok = verifyLarkSignature({
      timestamp,
      nonce,
      encryptKey: opts.encryptKey,
      rawBody: raw,
      signature,
    });
    if (!ok) {
      return reject(
        401,
        'bad signature',
        "lark webhook: X-Lark-Signature mismatch: check LARK_ENCRYPT_KEY matches the app's Encrypt Key",
      );
    }
  }

  let body: Record<string, unknown>;
  try {
    body = parseObject(raw.toString('utf8'));
  } catch {
    return reject(400, 'malformed JSON', 'lark webhook: body is not a JSON object');
  }

  if (typeof body.encrypt === 'string') {
    if (!opts.encryptKey) {
      return reject(
        400,
        'encrypted event but no encrypt key configured',
        "lark webhook: received an encrypted event but LARK_ENCRYPT_KEY is not set: set it to the app's Encrypt Key",
      );
    }
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
  if (opts.encryptKey && !signed && !isChallenge) {
    return reject(
      401,
      'missing signature',
      'lark webhook: event without X-Lark-Signature/-Timestamp/-Nonce headers rejected (an Encrypt Key is configured)',
    );
  }

  const header = isObject(body.header) ? body.header : undefined;
  const token = isChallenge ? body.token : header ? header.token : body.token;
  if (typeof token !== 'string' || !sameSecret(token, tokenHash)) {
    return reject(
      401,
      'bad verification token',
      "lark webhook: verification token mismatch: check LARK_VERIFICATION_TOKEN matches the app's Verification Token",
    );
  }

  if (isChallenge) {
    if (typeof body.challenge !== 'string') return reject(400, 'missing challenge');
    return { status: 200, body: { challenge: body.challenge } };
  }

  if (!header || typeof header.event_type !== 'string' || typeof header.event_id !== 'string') {
    return reject(
      400,
      'missing header',
      'lark webhook: event without header.event_type/event_id (schema 2.0 only)',
    );
  }
  if (!isObject(body.event)) return reject(400, 'missing event');

  try {
    await opts.onEvent(body as unknown as LarkEvent);
  } catch (e) {
    logger.error(
      { err: e, eventId: header.event_id, eventType: header.event_type },
      'lark webhook: event handler failed; answering 500 so Feishu re-pushes it',
    );
    return { status: 500, body: { error: 'handler failed' } };
  }
  return { status: 200, body: {} };
}

function parseObject(text: string): Record<string, unknown> {
  const v: unknown = JSON.parse(text);
  if (!isObject(v)) throw new Error('not an object');
  return v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison with the configured secret (its hash is taken once per receiver). */
function sameSecret(given: string, expectedHash: Buffer): boolean {
  return timingSafeEqual(sha256(given), expectedHash);
}
